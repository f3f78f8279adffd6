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
| ``household.query`` / ``household.answer`` | national → municipality | 世帯情報の確認: household and 続柄 of named people |
| ``delivery.receipt`` | any receiver → sender | which messages were applied, which were duplicates |
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, Protocol, TypeVar

from jukinet.domain.agency_codes import check_acquisition_number
from jukinet.domain.codes import LocalGovernmentCode, MyNumber, ResidentCode
from jukinet.domain.errors import DomainError
from jukinet.domain.identity import IDENTITY_FIELDS, IdentityInfo
from jukinet.domain.provision import check_id
from jukinet.domain.residents import Relationship
from jukinet.protocol.envelope import Message, new_message
from jukinet.protocol.errors import MalformedEnvelope, UnknownMessageType


class Role(StrEnum):
    MUNICIPALITY = "municipality"
    PREFECTURE = "prefecture"
    NATIONAL = "national"
    LINKAGE = "linkage"  # the provision network's code component (機関別符号)


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


@dataclass(frozen=True, slots=True)
class HouseholdQuery:
    """世帯情報の照会: do these people live here, in which household, with which 続柄?

    The national node asks the home municipality of the first code (the applicant) on behalf
    of ``recipient`` for ``affair``, under ``provision_id`` of its provision log, so that the
    municipality's record of who asked about whom can be matched with that log.
    """

    TYPE: ClassVar[str] = "household.query"
    VERSION: ClassVar[int] = 1
    MAX_CODES: ClassVar[int] = 100

    municipality_code: str
    provision_id: str
    recipient: str
    affair: str
    resident_codes: tuple[str, ...]

    def to_body(self) -> dict[str, Any]:
        return {
            "municipality_code": self.municipality_code,
            "provision_id": self.provision_id,
            "recipient": self.recipient,
            "affair": self.affair,
            "resident_codes": list(self.resident_codes),
        }

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> HouseholdQuery:
        raw = _require(body, "resident_codes", list)
        if not 1 <= len(raw) <= cls.MAX_CODES:
            raise MalformedEnvelope(f"body.resident_codes: give 1 to {cls.MAX_CODES} codes")
        codes = tuple(
            _code(ResidentCode, {f"resident_codes[{i}]": c}, f"resident_codes[{i}]")
            for i, c in enumerate(raw)
        )
        if len(set(codes)) != len(codes):
            raise MalformedEnvelope("body.resident_codes: each code may be asked about once")
        return cls(
            municipality_code=_code(LocalGovernmentCode, body, "municipality_code"),
            provision_id=_identifier(body, "provision_id"),
            recipient=_identifier(body, "recipient"),
            affair=_identifier(body, "affair"),
            resident_codes=codes,
        )


def _identifier(body: Mapping[str, Any], name: str) -> str:
    """A registry or log id: lower-case ASCII letters, digits, '.' and '-' (see check_id)."""
    try:
        return check_id(f"body.{name}", _require(body, name, str))
    except DomainError as error:
        raise MalformedEnvelope(f"{error.field}: {error.problem}") from error


@dataclass(frozen=True, slots=True)
class HouseholdMember:
    """What a municipality says about one person asked about, and nothing more.

    ``registered``: the person has a current record here. ``household`` is a label that holds
    only within one answer ("1", "2" …, in the order asked), so two people with the same label
    live in the same household; the register's own household id never leaves. ``relationship``
    is the 続柄 to that household's head. No name, address or date crosses.
    """

    FIELDS: ClassVar[frozenset[str]] = frozenset(
        {"resident_code", "registered", "household", "relationship"}
    )

    resident_code: str
    registered: bool
    household: str | None = None
    relationship: Relationship | None = None

    def to_wire(self) -> dict[str, Any]:
        return {
            "resident_code": self.resident_code,
            "registered": self.registered,
            "household": self.household,
            "relationship": None if self.relationship is None else self.relationship.value,
        }


@dataclass(frozen=True, slots=True)
class HouseholdAnswer:
    """The home municipality's answer: one member per code asked, in the order asked."""

    TYPE: ClassVar[str] = "household.answer"
    VERSION: ClassVar[int] = 1

    municipality_code: str
    members: tuple[HouseholdMember, ...]

    def to_body(self) -> dict[str, Any]:
        return {
            "municipality_code": self.municipality_code,
            "members": [member.to_wire() for member in self.members],
        }

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> HouseholdAnswer:
        raw = _require(body, "members", list)
        if len(raw) > HouseholdQuery.MAX_CODES:
            raise MalformedEnvelope(f"body.members: at most {HouseholdQuery.MAX_CODES}")
        return cls(
            _code(LocalGovernmentCode, body, "municipality_code"),
            tuple(_member(f"members[{i}]", item) for i, item in enumerate(raw)),
        )


_LABEL = re.compile(r"[0-9]{1,3}")
_RELATIONSHIPS = frozenset(r.value for r in Relationship)


def _member(name: str, item: object) -> HouseholdMember:
    if not isinstance(item, dict):
        raise MalformedEnvelope(f"body.{name}: expected an object")
    extra = set(item) - HouseholdMember.FIELDS
    if extra:
        raise MalformedEnvelope(f"body.{name}: fields not allowed here: {sorted(extra)}")
    code = _code(
        ResidentCode, {f"{name}.resident_code": item.get("resident_code")}, f"{name}.resident_code"
    )
    registered = item.get("registered")
    if not isinstance(registered, bool):
        raise MalformedEnvelope(f"body.{name}.registered: expected true or false")
    household, relationship = item.get("household"), item.get("relationship")
    if not registered:
        if household is not None or relationship is not None:
            raise MalformedEnvelope(f"body.{name}: someone not registered has no household")
        return HouseholdMember(code, registered=False)
    if not (isinstance(household, str) and _LABEL.fullmatch(household)):
        raise MalformedEnvelope(f"body.{name}.household: expected a label of 1-3 digits")
    if not isinstance(relationship, str) or relationship not in _RELATIONSHIPS:
        raise MalformedEnvelope(f"body.{name}.relationship: {relationship!r} is not a 続柄")
    return HouseholdMember(code, True, household, Relationship(relationship))


@dataclass(frozen=True, slots=True)
class AgencyCodeRequest:
    """J-LIS asks the provision network to derive an agency's code for one person (機関別符号).

    Only the 住民票コード travels — never the 個人番号 — with the agency and its 取得番号.
    """

    TYPE: ClassVar[str] = "agency-code.request"
    VERSION: ClassVar[int] = 1

    agency_id: str
    acquisition_number: str
    resident_code: str

    def to_body(self) -> dict[str, Any]:
        return {
            "agency_id": self.agency_id,
            "acquisition_number": self.acquisition_number,
            "resident_code": self.resident_code,
        }

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> AgencyCodeRequest:
        number = _domain(
            "acquisition_number",
            lambda: check_acquisition_number("value", body.get("acquisition_number")),
        )
        return cls(
            _identifier(body, "agency_id"), number, _code(ResidentCode, body, "resident_code")
        )


@dataclass(frozen=True, slots=True)
class AgencyCodeAccepted:
    """The codes are derived and wait for the agency; the answer carries no code."""

    TYPE: ClassVar[str] = "agency-code.accepted"
    VERSION: ClassVar[int] = 1

    accepted: int

    def to_body(self) -> dict[str, Any]:
        return {"accepted": self.accepted}

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> AgencyCodeAccepted:
        return cls(_require(body, "accepted", int))


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
        HouseholdQuery,
        HouseholdAnswer,
        AgencyCodeRequest,
        AgencyCodeAccepted,
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
    (Role.NATIONAL, HouseholdQuery.TYPE, Role.MUNICIPALITY),
    (Role.NATIONAL, AgencyCodeRequest.TYPE, Role.LINKAGE),
)

RESPONSES: dict[str, str] = {
    IdentityUpdate.TYPE: DeliveryReceipt.TYPE,
    CodePoolRequest.TYPE: CodePoolGrant.TYPE,
    MyNumberRequest.TYPE: MyNumberIssued.TYPE,
    DigestRequest.TYPE: DigestReport.TYPE,
    HouseholdQuery.TYPE: HouseholdAnswer.TYPE,
    AgencyCodeRequest.TYPE: AgencyCodeAccepted.TYPE,
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
