"""苦情: complaints about how the node handled identity information, tracked until answered."""

from __future__ import annotations

from dataclasses import dataclass

from jukinet.domain.errors import NotFound
from jukinet.domain.rights import Answer, Complaint
from jukinet.nodes.ports import RightsUnitOfWork
from jukinet.nodes.rights.disclosures import load_disclosure
from jukinet.nodes.rights.offices import RightsOffice
from jukinet.protocol.ids import uuid7


@dataclass(frozen=True, slots=True)
class RecordComplaint:
    complainant: str
    subject: str
    details: str
    disclosure_id: str | None = None  # the request it concerns, if any
    received_on: object = None


def record_complaint(cmd: RecordComplaint, operator: str, office: RightsOffice) -> Complaint:
    received_on = office.day("received_on", cmd.received_on)
    complaint = Complaint(
        uuid7(),
        cmd.complainant,
        cmd.subject,
        cmd.details,
        received_on,
        operator,
        cmd.disclosure_id,
    )
    with office.unit_of_work() as uow:
        if cmd.disclosure_id is not None:
            load_disclosure(uow, cmd.disclosure_id, field="disclosure_id")
        uow.rights.complaints.add(complaint)
        uow.commit()
    return complaint


def answer_complaint(
    complaint_id: str, text: str, answered_on: object, operator: str, office: RightsOffice
) -> Complaint:
    answer = Answer(office.day("answered_on", answered_on), operator, text)
    with office.unit_of_work() as uow:
        complaint = load_complaint(uow, complaint_id).respond(answer)
        uow.rights.complaints.update(complaint)
        uow.commit()
    return complaint


def complaint_file(complaint_id: str, office: RightsOffice) -> Complaint:
    with office.unit_of_work() as uow:
        return load_complaint(uow, complaint_id)


def open_complaints(office: RightsOffice) -> list[Complaint]:
    """Complaints not answered yet, oldest first."""
    with office.unit_of_work() as uow:
        return uow.rights.complaints.unanswered()


def load_complaint(uow: RightsUnitOfWork, complaint_id: str) -> Complaint:
    complaint = uow.rights.complaints.get(complaint_id)
    if complaint is None:
        raise NotFound("complaint_id", f"there is no complaint {complaint_id!r}")
    return complaint
