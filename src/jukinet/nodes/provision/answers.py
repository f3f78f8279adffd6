"""What a recipient receives about one person: the identity information and its status.

The status says whether the person lives at the address given (``resident``) or the record
was removed, with the reason (死亡, 国外転出, 転出 …) and the date; history, when asked for,
is every version the store holds, oldest first.

Answers are built from the identity's wire form (``IdentityInfo.to_wire``, which is also what
the stores keep), so an immediate answer and a batch row built straight from stored JSON
are the same shape by construction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jukinet.domain.changes import ChangeReason
from jukinet.domain.identity import IdentityInfo, RecordStatus

Wire = Mapping[str, Any]
_CHANGE_FIELDS = ("status", "reason", "change_date")


@dataclass(frozen=True, slots=True)
class ProvidedPerson:
    identity: IdentityInfo
    history: tuple[IdentityInfo, ...] | None = None

    def to_wire(self) -> dict[str, object]:
        history = None if self.history is None else [v.to_wire() for v in self.history]
        return person_wire(self.identity.to_wire(), history)


def person_wire(identity: Wire, history: Sequence[Wire] | None = None) -> dict[str, object]:
    """The answer about one person, from the wire form of their current identity."""
    wire: dict[str, object] = {"identity": _identity(identity), "status": status_of(identity)}
    if history is not None:
        wire["history"] = [_version(v) for v in history]
    return wire


def status_of(identity: Wire) -> dict[str, object]:
    if identity["status"] == RecordStatus.ACTIVE.value:
        return {"state": "resident", "since": identity["change_date"]}
    return {
        "state": "removed",
        "reason": identity["reason"],
        "reason_label": ChangeReason(identity["reason"]).label,
        "date": identity["change_date"],
    }


def _identity(identity: Wire) -> dict[str, object]:
    return {k: v for k, v in identity.items() if k not in _CHANGE_FIELDS}


def _version(identity: Wire) -> dict[str, object]:
    reason = ChangeReason(identity["reason"])
    return {
        **_identity(identity),
        "reason": reason.value,
        "reason_label": reason.label,
        "change_date": identity["change_date"],
        "kind": reason.kind.value,
    }
