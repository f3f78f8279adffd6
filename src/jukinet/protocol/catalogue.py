"""The message catalogue: every message type, its schema version, body and allowed route.

A body is a frozen dataclass with ``to_body()`` and ``from_body()``; ``from_body`` checks
every field (including check digits and name rules, through the domain value objects) and
raises :class:`MalformedEnvelope` naming the field, so a bad message is refused before any
of it is applied. Golden JSON for each type lives in ``tests/golden/``.

| type | from → to | meaning |
|---|---|---|
| ``identity.update`` | municipality → prefecture → national | one new version of a person's 本人確認情報 |
| ``codes.pool-request`` / ``codes.pool-grant`` | municipality ⇄ national | 住民票コード for the municipality's pool |
| ``my-number.request`` / ``my-number.issued`` | municipality ⇄ national | generate a 個人番号 from a 住民票コード |
| ``consistency.digest-request`` / ``consistency.digest-report`` | national → prefecture, municipality | 整合性確認 |
| ``delivery.receipt`` | any receiver → sender | which messages were applied, which were duplicates |
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, Protocol, TypeVar

from jukinet.domain.codes import LocalGovernmentCode, MyNumber, ResidentCode
from jukinet.domain.errors import DomainError
from jukinet.domain.identity import IDENTITY_FIELDS, IdentityInfo
from jukinet.protocol.envelope import Message, new_message
from jukinet.protocol.errors import MalformedEnvelope, UnknownMessageType


class Role(StrEnum):
    MUNICIPALITY = "municipality"
    PREFECTURE = "prefecture"
    NATIONAL = "national"


class Body(Protocol):
    TYPE: ClassVar[str]
    VERSION: ClassVar[int]

    def to_body(self) -> dict[str, Any]: ...


T = TypeVar("T")


def _require(body: Mapping[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    if name not in body:
        raise MalformedEnvelope(f"body.{name}: is missing")
    value = body[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise MalformedEnvelope(f"body.{name}: has the wrong type ({type(value).__name__})")
    return value


def _code(kind: Any, body: Mapping[str, Any], name: str) -> str:
    """A code field checked by its value object (length, digits, check digit)."""
    try:
        return str(kind.parse(body.get(name), f"body.{name}").value)
    except DomainError as error:
        raise MalformedEnvelope(f"{error.field}: {error.problem}") from error


def _domain(name: str, build: Callable[[], T]) -> T:
    try:
        return build()
    except DomainError as error:
        raise MalformedEnvelope(f"body.{name}.{error.field}: {error.problem}") from error
    except (KeyError, TypeError, ValueError) as error:
        raise MalformedEnvelope(f"body.{name}: {error}") from error


@dataclass(frozen=True, slots=True)
class IdentityUpdate:
    """A new version of one person's 本人確認情報.

    ``stream`` identifies the municipal record (one stay of one person) and ``sequence``
    numbers its versions from 1, so receivers apply them idempotently and in order.
    """

    TYPE: ClassVar[str] = "identity.update"
    VERSION: ClassVar[int] = 1

    stream: str
    sequence: int
    recorded_at: str
    identity: IdentityInfo

    def message(self, now: datetime) -> Message:
        """This update as a new message of its record's stream (a fresh id, same sequence)."""
        return new_message(
            self.TYPE,
            self.VERSION,
            self.to_body(),
            stream=self.stream,
            sequence=self.sequence,
            now=now,
        )

    def to_body(self) -> dict[str, Any]:
        return {
            "stream": self.stream,
            "sequence": self.sequence,
            "recorded_at": self.recorded_at,
            "identity": self.identity.to_wire(),
        }

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> IdentityUpdate:
        identity = _require(body, "identity", dict)
        extra = set(identity) - IDENTITY_FIELDS
        if extra:
            raise MalformedEnvelope(f"body.identity: fields not allowed here: {sorted(extra)}")
        sequence = _require(body, "sequence", int)
        if sequence < 1:
            raise MalformedEnvelope("body.sequence: must be 1 or more")
        recorded_at = _require(body, "recorded_at", str)
        moment = _domain(
            "recorded_at", lambda: datetime.fromisoformat(recorded_at.replace("Z", "+00:00"))
        )
        if moment.tzinfo is None:
            raise MalformedEnvelope("body.recorded_at: must carry a time zone (use Z for UTC)")
        return cls(
            stream=_require(body, "stream", str),
            sequence=sequence,
            recorded_at=recorded_at,
            identity=_domain("identity", lambda: IdentityInfo.from_wire(identity)),
        )


@dataclass(frozen=True, slots=True)
class CodePoolRequest:
    TYPE: ClassVar[str] = "codes.pool-request"
    VERSION: ClassVar[int] = 1
    MAX_COUNT: ClassVar[int] = 10_000

    municipality_code: str
    count: int

    def to_body(self) -> dict[str, Any]:
        return {"municipality_code": self.municipality_code, "count": self.count}

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> CodePoolRequest:
        count = _require(body, "count", int)
        if not 1 <= count <= cls.MAX_COUNT:
            raise MalformedEnvelope(f"body.count: must be between 1 and {cls.MAX_COUNT}")
        return cls(_code(LocalGovernmentCode, body, "municipality_code"), count)


@dataclass(frozen=True, slots=True)
class CodePoolGrant:
    TYPE: ClassVar[str] = "codes.pool-grant"
    VERSION: ClassVar[int] = 1

    municipality_code: str
    codes: tuple[str, ...]

    def to_body(self) -> dict[str, Any]:
        return {"municipality_code": self.municipality_code, "codes": list(self.codes)}

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> CodePoolGrant:
        codes = _require(body, "codes", list)
        return cls(
            municipality_code=_code(LocalGovernmentCode, body, "municipality_code"),
            codes=tuple(
                _code(ResidentCode, {f"codes[{i}]": c}, f"codes[{i}]") for i, c in enumerate(codes)
            ),
        )


class MyNumberReason(StrEnum):
    INITIAL = "initial"  # a new 住民票コード was recorded
    LEAK = "leak"  # 番号法7条2項: leaked and at risk of misuse


@dataclass(frozen=True, slots=True)
class MyNumberRequest:
    TYPE: ClassVar[str] = "my-number.request"
    VERSION: ClassVar[int] = 1

    resident_code: str
    reason: MyNumberReason
    replaces: str | None = None  # the leaked number, when ``reason`` is LEAK

    def to_body(self) -> dict[str, Any]:
        return {
            "resident_code": self.resident_code,
            "reason": self.reason.value,
            "replaces": self.replaces,
        }

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> MyNumberRequest:
        reason = _domain("reason", lambda: MyNumberReason(_require(body, "reason", str)))
        replaces = body.get("replaces")
        if (reason is MyNumberReason.LEAK) != (replaces is not None):
            raise MalformedEnvelope(
                "body.replaces: give the leaked number exactly when reason is leak"
            )
        return cls(
            resident_code=_code(ResidentCode, body, "resident_code"),
            reason=reason,
            replaces=None if replaces is None else _code(MyNumber, body, "replaces"),
        )


@dataclass(frozen=True, slots=True)
class MyNumberIssued:
    TYPE: ClassVar[str] = "my-number.issued"
    VERSION: ClassVar[int] = 1

    resident_code: str
    my_number: str

    def to_body(self) -> dict[str, Any]:
        return {"resident_code": self.resident_code, "my_number": self.my_number}

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> MyNumberIssued:
        return cls(_code(ResidentCode, body, "resident_code"), _code(MyNumber, body, "my_number"))


@dataclass(frozen=True, slots=True)
class DigestRequest:
    """Ask a holder for its digest of one municipality's identity information."""

    TYPE: ClassVar[str] = "consistency.digest-request"
    VERSION: ClassVar[int] = 1

    municipality_code: str
    detail: bool

    def to_body(self) -> dict[str, Any]:
        return {"municipality_code": self.municipality_code, "detail": self.detail}

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> DigestRequest:
        return cls(
            _code(LocalGovernmentCode, body, "municipality_code"), _require(body, "detail", bool)
        )


@dataclass(frozen=True, slots=True)
class DigestEntry:
    stream: str
    sequence: int
    resident_code: str
    digest: str


@dataclass(frozen=True, slots=True)
class DigestReport:
    """The holder's latest version per record of one municipality, folded into one digest."""

    TYPE: ClassVar[str] = "consistency.digest-report"
    VERSION: ClassVar[int] = 1

    municipality_code: str
    count: int
    digest: str
    entries: tuple[DigestEntry, ...] | None

    @classmethod
    def fold(
        cls, municipality_code: str, entries: Sequence[DigestEntry], detail: bool
    ) -> DigestReport:
        """Fold the entries (sorted by stream) into one SHA-256 digest."""
        digest = hashlib.sha256()
        for entry in entries:
            digest.update(f"{entry.stream}:{entry.sequence}:{entry.digest}\n".encode())
        return cls(
            municipality_code, len(entries), digest.hexdigest(), tuple(entries) if detail else None
        )

    def to_body(self) -> dict[str, Any]:
        return {
            "municipality_code": self.municipality_code,
            "count": self.count,
            "digest": self.digest,
            "entries": None
            if self.entries is None
            else [[e.stream, e.sequence, e.resident_code, e.digest] for e in self.entries],
        }

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> DigestReport:
        raw = body.get("entries")
        if raw is not None and not isinstance(raw, list):
            raise MalformedEnvelope("body.entries: expected a list or null")
        entries = None if raw is None else tuple(_entry(i, row) for i, row in enumerate(raw))
        count = _require(body, "count", int)
        if count < 0 or (entries is not None and count != len(entries)):
            raise MalformedEnvelope("body.count: must be the number of entries (0 or more)")
        return cls(
            municipality_code=_code(LocalGovernmentCode, body, "municipality_code"),
            count=count,
            digest=_require(body, "digest", str),
            entries=entries,
        )


def _entry(index: int, row: object) -> DigestEntry:
    if (
        not isinstance(row, list)
        or len(row) != 4
        or not all(isinstance(row[i], str) for i in (0, 2, 3))
        or not isinstance(row[1], int)
        or isinstance(row[1], bool)
    ):
        raise MalformedEnvelope(f"body.entries[{index}]: expected [stream, sequence, code, digest]")
    return DigestEntry(row[0], row[1], row[2], row[3])


@dataclass(frozen=True, slots=True)
class DeliveryReceipt:
    """The receiver's answer to one-way messages: applied now, or already applied before."""

    TYPE: ClassVar[str] = "delivery.receipt"
    VERSION: ClassVar[int] = 1

    accepted: tuple[str, ...]
    duplicates: tuple[str, ...]

    def to_body(self) -> dict[str, Any]:
        return {"accepted": list(self.accepted), "duplicates": list(self.duplicates)}

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> DeliveryReceipt:
        return cls(_ids(body, "accepted"), _ids(body, "duplicates"))


def _ids(body: Mapping[str, Any], name: str) -> tuple[str, ...]:
    values = _require(body, name, list)
    if not all(isinstance(v, str) for v in values):
        raise MalformedEnvelope(f"body.{name}: expected a list of message ids")
    return tuple(values)


CATALOGUE: dict[tuple[str, int], Any] = {
    (cls.TYPE, cls.VERSION): cls
    for cls in (
        IdentityUpdate,
        CodePoolRequest,
        CodePoolGrant,
        MyNumberRequest,
        MyNumberIssued,
        DigestRequest,
        DigestReport,
        DeliveryReceipt,
    )
}

# Which role may send which request type to which role. Responses travel back on the same
# HTTP exchange and are checked against the request they answer, not against this table.
DEFAULT_ROUTES: tuple[tuple[Role, str, Role], ...] = (
    (Role.MUNICIPALITY, IdentityUpdate.TYPE, Role.PREFECTURE),
    (Role.PREFECTURE, IdentityUpdate.TYPE, Role.NATIONAL),
    (Role.MUNICIPALITY, CodePoolRequest.TYPE, Role.NATIONAL),
    (Role.MUNICIPALITY, MyNumberRequest.TYPE, Role.NATIONAL),
    (Role.NATIONAL, DigestRequest.TYPE, Role.PREFECTURE),
    (Role.NATIONAL, DigestRequest.TYPE, Role.MUNICIPALITY),
)

RESPONSES: dict[str, str] = {
    IdentityUpdate.TYPE: DeliveryReceipt.TYPE,
    CodePoolRequest.TYPE: CodePoolGrant.TYPE,
    MyNumberRequest.TYPE: MyNumberIssued.TYPE,
    DigestRequest.TYPE: DigestReport.TYPE,
}


def require_known(message_type: str, version: int) -> Any:
    """The body class of a catalogued type and version, or :class:`UnknownMessageType`."""
    cls = CATALOGUE.get((message_type, version))
    if cls is None:
        raise UnknownMessageType(f"{message_type} v{version} is not in the catalogue")
    return cls


def parse_body(message_type: str, version: int, body: Mapping[str, Any]) -> Any:
    """Turn a wire body into its typed message, or refuse it."""
    return require_known(message_type, version).from_body(body)
