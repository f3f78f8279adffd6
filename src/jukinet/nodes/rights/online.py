"""What a resident portal asks a providing node for the resident it signed in: the resident's
own identity information, their online disclosure and correction requests, and a correction
request filed online after a disclosure.

A resident's own look-up is not a provision (docs/rights.md): it is logged in the provision
log with the outcome ``resident-view`` (as the look-up of their provision records is), never
counted in the notice nor shown among the provisions. A portal sees only the requests it
filed itself; any other is ``NotFound``, as in ``disclosures.portal_request``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from jukinet.domain.errors import NotFound
from jukinet.domain.identity import IdentityInfo
from jukinet.domain.provision import Channel
from jukinet.domain.rights import CorrectionRequest, DisclosureRequest, correction_items
from jukinet.domain.searches import SearchKey
from jukinet.nodes.ports import ProvisionEntry, RightsUnitOfWork
from jukinet.nodes.provision.providers import Caller
from jukinet.nodes.rights.disclosures import load_disclosure
from jukinet.nodes.rights.offices import RightsOffice, person_held, person_key
from jukinet.protocol.ids import uuid7

OWN_IDENTITY = "own-identity"  # the provision log's affair of a resident's own look-up


@dataclass(frozen=True, slots=True)
class PortalCases:
    """The resident's online requests filed by this portal, the newest first."""

    disclosures: tuple[DisclosureRequest, ...]
    corrections: tuple[CorrectionRequest, ...]


@dataclass(frozen=True, slots=True)
class FileOnlineCorrection:
    """訂正の申出 online: ``person`` names the resident, ``disclosure_id`` the disclosure
    (filed online by the same portal) that showed the items the resident says are wrong."""

    person: Mapping[str, object]
    disclosure_id: str
    items: Iterable[object]
    statement: str


def own_identity(
    person: Mapping[str, object], caller: Caller, office: RightsOffice
) -> IdentityInfo:
    """The identity information held now of the resident the portal signed in (logged)."""
    key = person_key(person)
    with office.unit_of_work() as uow:
        found = person_held(uow, key)
        entry = ProvisionEntry(
            uuid7(),
            office.clock.now(),
            caller.recipient_id,
            OWN_IDENTITY,
            Channel.IMMEDIATE.value,
            caller.operator,
            key.kind.value,
            "resident-view",
        )
        uow.provision_log.record(entry, [])
        uow.commit()
    return found


def portal_cases(person: Mapping[str, object], caller: Caller, office: RightsOffice) -> PortalCases:
    """The disclosure requests this portal filed for the resident (under every 住民票コード
    they held) and the correction requests that followed them."""
    key = person_key(person)
    with office.unit_of_work() as uow:
        codes = _codes_of(uow, key)
        disclosures = uow.rights.disclosures.filed_by_portal(codes, caller.recipient_id)
        ids = [request.request_id for request in disclosures]
        corrections = uow.rights.corrections.following(ids) if ids else []
    return PortalCases(tuple(disclosures), tuple(corrections))


def file_online_correction(
    cmd: FileOnlineCorrection, caller: Caller, office: RightsOffice
) -> CorrectionRequest:
    """Register a correction request the resident filed online; ``Conflict`` unless the
    disclosure was made, ``NotFound`` for a disclosure of another portal or person."""
    items = correction_items(cmd.items)
    key = person_key(cmd.person)
    today = office.clock.today()
    with office.unit_of_work() as uow:
        disclosure = load_disclosure(
            uow, cmd.disclosure_id, portal=caller.recipient_id, field="disclosure_id"
        )
        if disclosure.resident_code not in _codes_of(uow, key):
            raise NotFound("disclosure_id", f"there is no disclosure request {cmd.disclosure_id!r}")
        correction = CorrectionRequest.receive(
            uuid7(), disclosure, items, cmd.statement, today, caller.operator
        )
        uow.rights.corrections.add(correction)
        uow.commit()
    return correction


def _codes_of(uow: RightsUnitOfWork, key: SearchKey) -> list[str]:
    """Every 住民票コード of the person the key names, so that a code change hides nothing."""
    person = person_held(uow, key)
    if person.my_number is not None:
        return uow.search.codes_of(person.my_number)
    earlier = [person.previous_resident_code] if person.previous_resident_code else []
    return [person.resident_code, *earlier]
