"""The written answers, as data a renderer sets in type.

``DisclosureNotice`` is the written decision on a disclosure request (本人確認情報開示決定通知書):
for a disclosure, the identity information held now, every version held (its change history)
and every provision of it to a recipient, each named as the law in force names it; for a
refusal, only the reason. ``CorrectionLetter`` answers a correction request in writing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jukinet.domain.errors import Conflict, NotFound
from jukinet.domain.identity import IdentityInfo
from jukinet.domain.municipalities import municipality
from jukinet.domain.provision import Channel
from jukinet.domain.reports import ContactMethod
from jukinet.domain.rights import CorrectionRequest, Decision, Delivery, DisclosureRequest
from jukinet.nodes.ports import RightsUnitOfWork
from jukinet.nodes.provision.providers import Caller
from jukinet.nodes.provision.records import ProvisionLine
from jukinet.nodes.rights.disclosures import load_disclosure
from jukinet.nodes.rights.offices import RightsOffice, person_held, resident_code_key


@dataclass(frozen=True, slots=True)
class DisclosureNotice:
    provider: str
    request: DisclosureRequest
    person: IdentityInfo
    history: tuple[IdentityInfo, ...]
    provisions: tuple[ProvisionLine, ...]
    printed_on: date

    @property
    def addressee(self) -> str:
        return self.request.requester.name or self.person.full_name


@dataclass(frozen=True, slots=True)
class CorrectionLetter:
    provider: str
    correction: CorrectionRequest
    addressee: str
    person: IdentityInfo
    municipality: str | None  # the municipality asked to correct its record, by full name
    printed_on: date


def written_disclosure(request_id: str, office: RightsOffice) -> DisclosureNotice:
    """The notice of a decided request; ``Conflict`` while it is undecided."""
    with office.unit_of_work() as uow:
        request = load_disclosure(uow, request_id)
        return _notice(uow, request, office)


def online_answer(request_id: str, caller: Caller, office: RightsOffice) -> DisclosureNotice:
    """The notice, fetched by the portal that filed the request; the first fetch is the
    delivery (受取方法: オンライン). Another portal's request is ``NotFound``."""
    with office.unit_of_work() as uow:
        request = load_disclosure(uow, request_id, portal=caller.recipient_id)
        notice = _notice(uow, request, office)
        if request.delivery is None:
            today = office.clock.today()
            uow.rights.disclosures.update(
                request.deliver(Delivery(ContactMethod.ONLINE, today, caller.operator))
            )
            uow.commit()
    return notice


def correction_letter(correction_id: str, office: RightsOffice) -> CorrectionLetter:
    """The written answer to a correction request; ``Conflict`` before the investigation."""
    with office.unit_of_work() as uow:
        correction = uow.rights.corrections.get(correction_id)
        if correction is None:
            raise NotFound("correction_id", f"there is no correction request {correction_id!r}")
        found = correction.investigation
        if found is None:
            raise Conflict("investigation", "the request has not been investigated yet")
        disclosure = load_disclosure(uow, correction.disclosure_id)
        person = person_held(uow, resident_code_key(correction.resident_code))
    asked = None if found.municipality_code is None else municipality(found.municipality_code)
    return CorrectionLetter(
        office.provider.name,
        correction,
        disclosure.requester.name or person.full_name,
        person,
        None if asked is None else asked.full_name,
        office.clock.today(),
    )


def _notice(
    uow: RightsUnitOfWork, request: DisclosureRequest, office: RightsOffice
) -> DisclosureNotice:
    if request.decision is None:
        raise Conflict("decision", "the request has not been decided yet")
    person = person_held(uow, resident_code_key(request.resident_code))
    history: tuple[IdentityInfo, ...] = ()
    provisions: tuple[ProvisionLine, ...] = ()
    if request.decision.outcome is Decision.DISCLOSED:
        codes = _codes_held(uow, person)
        versions = [v for held in uow.search.histories(codes).values() for v in held]
        history = tuple(sorted(versions, key=lambda version: version.change_date))
        law = office.provider.law()
        provisions = tuple(
            ProvisionLine(
                record.at,
                *law.affair_title(record.recipient_id, record.affair_id),
                Channel(record.channel),
            )
            for record in uow.provision_log.records_of(codes)
        )
    return DisclosureNotice(
        office.provider.name, request, person, history, provisions, office.clock.today()
    )


def _codes_held(uow: RightsUnitOfWork, person: IdentityInfo) -> list[str]:
    """Every 住民票コード the person has held, so that a code change hides nothing."""
    if person.my_number is not None:
        return uow.search.codes_of(person.my_number)
    earlier = [person.previous_resident_code] if person.previous_resident_code else []
    return [person.resident_code, *earlier]
