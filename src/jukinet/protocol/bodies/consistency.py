"""整合性確認: the national node asks a holder for its digest of one municipality's records."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from jukinet.domain.codes import LocalGovernmentCode
from jukinet.protocol.errors import MalformedEnvelope
from jukinet.protocol.fields import checked_code, require


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
            checked_code(LocalGovernmentCode, body, "municipality_code"),
            require(body, "detail", bool),
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
        count = require(body, "count", int)
        if count < 0 or (entries is not None and count != len(entries)):
            raise MalformedEnvelope("body.count: must be the number of entries (0 or more)")
        return cls(
            municipality_code=checked_code(LocalGovernmentCode, body, "municipality_code"),
            count=count,
            digest=require(body, "digest", str),
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
