"""What a recipient receives about one person: the identity information and its status.

The status says whether the person lives at the address given (``resident``) or the record
was removed, with the reason (死亡, 国外転出, 転出 …) and the date; history, when asked for,
is every version the store holds, oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass

from jukinet.domain.identity import IdentityInfo, RecordStatus


@dataclass(frozen=True, slots=True)
class ProvidedPerson:
    identity: IdentityInfo
    history: tuple[IdentityInfo, ...] | None = None

    def to_wire(self) -> dict[str, object]:
        wire: dict[str, object] = {
            "identity": _identity(self.identity),
            "status": status_of(self.identity),
        }
        if self.history is not None:
            wire["history"] = [_version(v) for v in self.history]
        return wire


def status_of(identity: IdentityInfo) -> dict[str, object]:
    if identity.status is RecordStatus.ACTIVE:
        return {"state": "resident", "since": identity.change_date.isoformat()}
    return {
        "state": "removed",
        "reason": identity.reason.value,
        "reason_label": identity.reason.label,
        "date": identity.change_date.isoformat(),
    }


def _identity(identity: IdentityInfo) -> dict[str, object]:
    wire = identity.to_wire()
    for change_field in ("status", "reason", "change_date"):
        wire.pop(change_field)
    return wire


def _version(identity: IdentityInfo) -> dict[str, object]:
    return {
        **_identity(identity),
        "reason": identity.reason.value,
        "reason_label": identity.reason.label,
        "change_date": identity.change_date.isoformat(),
        "kind": identity.kind.value,
    }
