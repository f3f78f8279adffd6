"""世帯情報の確認 at the home municipality: answer the national node about named people.

For each 住民票コード asked about, the answer says whether the person has a current record
here, a household label that holds only within this answer, and the 続柄 — nothing else
leaves: no name, no address, not the register's own household id. Every code asked about is
recorded with who asked (the requesting node, the recipient and affair it asked for, and its
provision id), in the same transaction as the answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from jukinet.domain.residents import Resident
from jukinet.nodes.municipal.office import Office
from jukinet.nodes.ports import Clock, HouseholdInquiry, MunicipalUnitOfWork
from jukinet.protocol.catalogue import HouseholdAnswer, HouseholdMember, HouseholdQuery
from jukinet.protocol.directory import NodeEntry
from jukinet.protocol.envelope import Envelope
from jukinet.protocol.errors import RouteRefused


@dataclass(frozen=True, slots=True)
class AnswerHouseholdQuery:
    """The CS handler of ``household.query`` (only the national node may send it)."""

    office: Office
    clock: Clock

    def __call__(
        self,
        uow: MunicipalUnitOfWork,
        sender: NodeEntry,
        envelope: Envelope,
        bodies: tuple[HouseholdQuery, ...],
    ) -> HouseholdAnswer:
        query = bodies[0]
        if query.municipality_code != self.office.municipality_code:
            raise RouteRefused(f"this node answers only for {self.office.municipality_code}")
        found = {r.resident_code: r for r in uow.residents.active_by_codes(query.resident_codes)}
        now = self.clock.now()
        uow.household_inquiries.record(
            [
                HouseholdInquiry(
                    now, sender.id, query.provision_id, query.recipient, query.affair, code
                )
                for code in query.resident_codes
            ]
        )
        return HouseholdAnswer(query.municipality_code, _members(query.resident_codes, found))


def _members(codes: tuple[str, ...], found: dict[str, Resident]) -> tuple[HouseholdMember, ...]:
    labels: dict[str, str] = {}  # household id → "1", "2" … in the order first asked about
    members = []
    for code in codes:
        resident = found.get(code)
        if resident is None:
            members.append(HouseholdMember(code, registered=False))
            continue
        label = labels.setdefault(resident.household_id, str(len(labels) + 1))
        members.append(HouseholdMember(code, True, label, resident.relationship))
    return tuple(members)
