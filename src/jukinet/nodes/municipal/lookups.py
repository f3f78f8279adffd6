"""Look-ups for operators (照会): exact keys only, never a list of the register.

An operator finds a record by one of the keys agencies use (``domain/searches.SearchKey``):
住民票コード, 個人番号, name + date of birth + sex (address optional), or furigana + date of
birth + sex. Partial names, prefixes and wildcards are refused by the key itself, so there is
no way to browse. Every match says plainly whether the person is suppressed for look-ups
(and why) and whether a support measure covers them; a match suppressed at ``error`` level
shows only enough to recognise the suppression (code, name, status), never the address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jukinet.domain.operators import Permission, Principal
from jukinet.domain.provision import NarrowYourSearch
from jukinet.domain.searches import SearchKey
from jukinet.domain.suppressions import Process, SuppressionState, Verdict
from jukinet.nodes.municipal.protection import ProtectionDesk
from jukinet.nodes.municipal.protection_checks import protected, state_of

MAX_MATCHES = 20


@dataclass(frozen=True, slots=True)
class LookupMatch:
    """One record found, with its suppression state for look-ups."""

    resident_code: str
    name: str
    birth_date: date
    sex: str
    status: str
    address: str | None  # None when a suppression withholds it
    suppression: SuppressionState
    protected: bool  # covered by an open 支援措置

    def to_wire(self) -> dict[str, object]:
        return {
            "resident_code": self.resident_code,
            "name": self.name,
            "birth_date": self.birth_date.isoformat(),
            "sex": self.sex,
            "status": self.status,
            "address": self.address,
            "suppression": self.suppression.to_wire(),
            "protected": self.protected,
        }


def look_up(key_fields: object, principal: Principal, desk: ProtectionDesk) -> list[LookupMatch]:
    """The records matching one exact key, current and removed.

    Raises ``NotPermitted`` without RESIDENT_READ, ``InvalidValue`` for anything but one
    whole key, and ``NarrowYourSearch`` when more than ``MAX_MATCHES`` records match.
    """
    principal.require(Permission.RESIDENT_READ)
    if not isinstance(key_fields, dict):
        key_fields = {}
    key = SearchKey.parse(key_fields)
    with desk.unit_of_work() as uow:
        found = uow.lookups.find(key, MAX_MATCHES + 1)
        if len(found) > MAX_MATCHES:
            raise NarrowYourSearch("key", f"more than {MAX_MATCHES} records match")
        covered = protected(uow, found)
        states = [state_of(uow, desk.clock, r, Process.LOOKUP) for r in found]
    return [
        LookupMatch(
            resident_code=r.resident_code,
            name=f"{r.name.family}\u3000{r.name.given}".strip(),
            birth_date=r.birth_date,
            sex=r.sex.value,
            status=r.status.value,
            address=None if state.verdict is Verdict.REFUSE else r.address,
            suppression=state,
            protected=r.resident_code in covered,
        )
        for r, state in zip(found, states, strict=True)
    ]
