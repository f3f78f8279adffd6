"""訂正の申出: after a disclosure, the person says an item is wrong; the node investigates
and answers in writing.

The node cannot change identity information itself: when it finds an error it asks the
person's municipality, which holds the register, to correct its record (the change then
reaches this node as a new version). That request goes in writing, outside the network.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from jukinet.domain.errors import NotFound
from jukinet.domain.rights import (
    Answer,
    CorrectionRequest,
    CorrectionResult,
    Investigation,
    correction_items,
)
from jukinet.nodes.ports import RightsUnitOfWork
from jukinet.nodes.rights.disclosures import load_disclosure
from jukinet.nodes.rights.offices import RightsOffice, choice, person_held, resident_code_key
from jukinet.protocol.ids import uuid7


@dataclass(frozen=True, slots=True)
class RecordCorrectionRequest:
    disclosure_id: str
    items: Iterable[object]  # name, kana, birth_date, sex, address, my_number, …
    statement: str  # what the person says is wrong, in their words
    received_on: object = None


def record_correction_request(
    cmd: RecordCorrectionRequest, operator: str, office: RightsOffice
) -> CorrectionRequest:
    """Register a request; ``Conflict`` unless the disclosure it follows was made."""
    items = correction_items(cmd.items)
    received_on = office.day("received_on", cmd.received_on)
    with office.unit_of_work() as uow:
        disclosure = load_disclosure(uow, cmd.disclosure_id, field="disclosure_id")
        correction = CorrectionRequest.receive(
            uuid7(), disclosure, items, cmd.statement, received_on, operator
        )
        uow.rights.corrections.add(correction)
        uow.commit()
    return correction


def record_investigation(
    correction_id: str,
    findings: str,
    result: str,
    investigated_on: object,
    operator: str,
    office: RightsOffice,
) -> CorrectionRequest:
    """What was found: no error, or an error the person's municipality was asked to correct
    (the municipality where the person is registered now, or was last)."""
    outcome = choice("result", CorrectionResult, result)
    on = office.day("investigated_on", investigated_on)
    with office.unit_of_work() as uow:
        correction = load_correction(uow, correction_id)
        asked = None
        if outcome is CorrectionResult.MUNICIPALITY_ASKED:
            person = person_held(uow, resident_code_key(correction.resident_code))
            asked = person.municipality_code
        investigation = Investigation(findings, outcome, on, operator, asked)
        correction = correction.investigate(investigation)
        uow.rights.corrections.update(correction)
        uow.commit()
    return correction


def answer_correction(
    correction_id: str, answered_on: object, operator: str, office: RightsOffice
) -> CorrectionRequest:
    """The written answer (``correction_letter``) went out on ``answered_on``."""
    answer = Answer(office.day("answered_on", answered_on), operator)
    with office.unit_of_work() as uow:
        correction = load_correction(uow, correction_id).answer_in_writing(answer)
        uow.rights.corrections.update(correction)
        uow.commit()
    return correction


def correction_request(correction_id: str, office: RightsOffice) -> CorrectionRequest:
    with office.unit_of_work() as uow:
        return load_correction(uow, correction_id)


def load_correction(uow: RightsUnitOfWork, correction_id: str) -> CorrectionRequest:
    correction = uow.rights.corrections.get(correction_id)
    if correction is None:
        raise NotFound("correction_id", f"there is no correction request {correction_id!r}")
    return correction
