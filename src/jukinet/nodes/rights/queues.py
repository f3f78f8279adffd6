"""The rights desk's work queues: what waits for staff, the most urgent first.

* disclosure requests waiting for a decision (the earliest deadline first, overdue flagged);
* disclosure requests decided but not yet handed over;
* correction requests not yet answered (to investigate, or to answer in writing);
* complaints not yet answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jukinet.domain.rights import Complaint, CorrectionRequest, DisclosureRequest
from jukinet.nodes.rights.offices import RightsOffice


@dataclass(frozen=True, slots=True)
class WorkQueues:
    today: date
    to_decide: list[DisclosureRequest]
    to_deliver: list[DisclosureRequest]
    corrections: list[CorrectionRequest]
    complaints: list[Complaint]

    @property
    def overdue(self) -> list[DisclosureRequest]:
        return [request for request in self.to_decide if request.overdue(self.today)]


def work_queues(office: RightsOffice) -> WorkQueues:
    """Every open case of the node, in one unit of work."""
    with office.unit_of_work() as uow:
        cases = uow.rights
        return WorkQueues(
            office.clock.today(),
            cases.disclosures.undecided(),
            cases.disclosures.undelivered(),
            cases.corrections.unanswered(),
            cases.complaints.unanswered(),
        )
