"""開示請求: a request to see one's own identity information, from receipt to delivery.

Staff record a request made at the counter or by post, then the identity check, the decision
and how the answer was handed over; a resident portal files a request online, already
checked by 公的個人認証. The decision is due ``RightsOffice.disclosure_days`` after receipt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from jukinet.domain.errors import InvalidValue, NotFound
from jukinet.domain.reports import ContactMethod
from jukinet.domain.requesters import (
    IdentityCheck,
    IdentityDocument,
    Relation,
    Requester,
    identity_documents,
)
from jukinet.domain.rights import Decision, Delivery, DisclosureRequest
from jukinet.nodes.ports import RightsUnitOfWork
from jukinet.nodes.provision.providers import Caller
from jukinet.nodes.rights.offices import RightsOffice, choice, person_held, person_key
from jukinet.protocol.ids import uuid7


@dataclass(frozen=True, slots=True)
class RecordDisclosureRequest:
    """A request received at the counter (``visit``) or by post; ``person`` holds
    ``my_number`` or ``resident_code``; a legal representative gives their own name."""

    person: Mapping[str, object]
    method: str
    relation: str = Relation.SELF.value
    requester_name: str = ""
    received_on: object = None


@dataclass(frozen=True, slots=True)
class DecideDisclosure:
    decision: str  # disclosed | refused
    reason: str = ""  # required for a refusal
    decided_on: object = None


def record_disclosure_request(
    cmd: RecordDisclosureRequest, operator: str, office: RightsOffice
) -> DisclosureRequest:
    """Register a request; raise ``InvalidValue`` (a proxy, a minor's representative for an
    adult, an online method) or ``NotFound`` (nobody held under that key)."""
    method = choice("method", ContactMethod, cmd.method)
    requester = Requester(choice("requester.relation", Relation, cmd.relation), cmd.requester_name)
    received_on = office.day("received_on", cmd.received_on)
    key = person_key(cmd.person)
    with office.unit_of_work() as uow:
        person = person_held(uow, key)
        requester.may_act_for(person.birth_date, received_on)
        request = DisclosureRequest.receive(
            uuid7(),
            person.resident_code,
            requester,
            method,
            received_on,
            office.disclosure_days,
            operator,
        )
        uow.rights.disclosures.add(request)
        uow.commit()
    return request


def file_online_request(
    person: Mapping[str, object], caller: Caller, office: RightsOffice
) -> DisclosureRequest:
    """A resident portal files a request for the resident it authenticated (公的個人認証)."""
    key = person_key(person)
    today = office.clock.today()
    check = IdentityCheck(
        frozenset({IdentityDocument.PUBLIC_KEY_AUTHENTICATION}), today, caller.operator
    )
    with office.unit_of_work() as uow:
        found = person_held(uow, key)
        request = DisclosureRequest.receive(
            uuid7(),
            found.resident_code,
            Requester(Relation.SELF),
            ContactMethod.ONLINE,
            today,
            office.disclosure_days,
            caller.operator,
            portal=caller.recipient_id,
        ).check_identity(check)
        uow.rights.disclosures.add(request)
        uow.commit()
    return request


def record_identity_check(
    request_id: str,
    documents: Iterable[object],
    checked_on: object,
    operator: str,
    office: RightsOffice,
) -> DisclosureRequest:
    """The documents the requester showed (or sent copies of): one photo ID or two others."""
    seen = identity_documents(documents)
    check = IdentityCheck(seen, office.day("identity_check.checked_on", checked_on), operator)
    return _step(request_id, office, lambda request: request.check_identity(check))


def decide_disclosure(
    request_id: str, cmd: DecideDisclosure, operator: str, office: RightsOffice
) -> DisclosureRequest:
    """Disclose (after the identity check) or refuse, with the reason."""
    decision = choice("decision", Decision, cmd.decision)
    on = office.day("decided_on", cmd.decided_on)
    if decision is Decision.DISCLOSED:
        if cmd.reason:
            raise InvalidValue("reason", "only a refusal gives a reason")
        return _step(request_id, office, lambda request: request.disclose(on, operator))
    return _step(request_id, office, lambda request: request.refuse(cmd.reason, on, operator))


def record_delivery(
    request_id: str, method: str, delivered_on: object, operator: str, office: RightsOffice
) -> DisclosureRequest:
    """How the written decision reached the requester: at the counter, by post or online."""
    how = choice("delivery.method", ContactMethod, method)
    delivery = Delivery(how, office.day("delivered_on", delivered_on), operator)
    return _step(request_id, office, lambda request: request.deliver(delivery))


def disclosure_request(request_id: str, office: RightsOffice) -> DisclosureRequest:
    with office.unit_of_work() as uow:
        return load_disclosure(uow, request_id)


def portal_request(request_id: str, caller: Caller, office: RightsOffice) -> DisclosureRequest:
    """A request as the portal that filed it sees it; any other request is ``NotFound``."""
    with office.unit_of_work() as uow:
        return load_disclosure(uow, request_id, portal=caller.recipient_id)


def undecided_requests(overdue_only: bool, office: RightsOffice) -> list[DisclosureRequest]:
    """Requests still waiting for a decision, the earliest deadline first; with
    ``overdue_only``, those whose deadline has passed."""
    today = office.clock.today()
    with office.unit_of_work() as uow:
        waiting = uow.rights.disclosures.undecided()
    return [request for request in waiting if request.overdue(today) or not overdue_only]


def load_disclosure(
    uow: RightsUnitOfWork,
    request_id: str,
    portal: str | None = None,
    field: str = "request_id",
) -> DisclosureRequest:
    """The request, or ``NotFound`` naming ``field``; with ``portal``, only a request that
    portal filed (so that a portal cannot even learn that another's request exists)."""
    request = uow.rights.disclosures.get(request_id)
    if request is None or (portal is not None and request.portal != portal):
        raise NotFound(field, f"there is no disclosure request {request_id!r}")
    return request


def _step(
    request_id: str, office: RightsOffice, change: Callable[[DisclosureRequest], DisclosureRequest]
) -> DisclosureRequest:
    with office.unit_of_work() as uow:
        request = change(load_disclosure(uow, request_id))
        uow.rights.disclosures.update(request)
        uow.commit()
    return request
