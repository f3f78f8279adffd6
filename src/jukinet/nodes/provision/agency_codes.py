"""機関別符号 at J-LIS: identify the person, hand their 住民票コード to the provision network.

The agency names the person (one of the restricted keys) and its 取得番号. J-LIS finds exactly
one person, logs the provision, and sends the provision network (node ``linkage``) the agency,
the 取得番号 and the 住民票コード — never the 個人番号. The network derives the agency's code
and keeps it for the agency to collect there. J-LIS never sees the code, and the agency
never sees the 住民票コード.

If the network cannot be reached, the transaction is rolled back: nothing was handed over, so
nothing is logged as provided, and the agency may ask again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from jukinet.domain.agency_codes import check_acquisition_number
from jukinet.domain.errors import DomainError, NotFound
from jukinet.domain.identity import IdentityInfo
from jukinet.domain.provision import Channel, NarrowYourSearch, ProvisionNotPermitted
from jukinet.domain.searches import SearchKey
from jukinet.nodes.ports import Peer, ProvisionEntry, ProvisionUnitOfWork
from jukinet.nodes.provision.providers import Caller, Provider
from jukinet.protocol.catalogue import AgencyCodeRequest
from jukinet.protocol.directory import LINKAGE_ID
from jukinet.protocol.ids import uuid7


@dataclass(frozen=True, slots=True)
class AgencyCodeQuery:
    affair: str
    key: Mapping[str, object]
    acquisition_number: str


def request_agency_code(
    query: AgencyCodeQuery, caller: Caller, provider: Provider, peer: Peer
) -> str:
    """Have the provision network derive the caller's code for one person; returns the
    provision id. Raises the provision errors (logged), ``NotFound`` or ``PeerUnavailable``."""
    provision_id = uuid7()
    with provider.unit_of_work() as uow:
        try:
            number = check_acquisition_number("acquisition_number", query.acquisition_number)
            person = _one_person(query, caller, provider, uow)
        except DomainError as refusal:
            uow.provision_log.record(_entry(provision_id, query, caller, provider, refusal), [])
            uow.commit()
            raise
        entry = _entry(provision_id, query, caller, provider, None)
        uow.provision_log.record(entry, [person.resident_code])
        peer.request(
            LINKAGE_ID, AgencyCodeRequest(caller.recipient_id, number, person.resident_code)
        )
        uow.commit()
    return provision_id


def _one_person(
    query: AgencyCodeQuery, caller: Caller, provider: Provider, uow: ProvisionUnitOfWork
) -> IdentityInfo:
    affair = provider.law().permit(caller.recipient_id, query.affair, Channel.IMMEDIATE)
    found = uow.search.find(SearchKey.parse(query.key), affair.prefecture, 2)
    if not found:
        raise NotFound("key", "no one matches; a code is made only for one identified person")
    if len(found) > 1:
        raise NarrowYourSearch("key", "several people match; a code needs exactly one")
    return found[0]


def _entry(
    provision_id: str,
    query: AgencyCodeQuery,
    caller: Caller,
    provider: Provider,
    refusal: DomainError | None,
) -> ProvisionEntry:
    outcome = "provided"
    if isinstance(refusal, ProvisionNotPermitted):
        outcome = "refused"
    elif refusal is not None:
        outcome = "invalid"
    detail = (
        f"住民票コード handed to the provision network for the agency's code "
        f"(取得番号 {query.acquisition_number[:40]})"
        if refusal is None
        else f"{refusal.field}: {refusal.problem}"
    )
    return ProvisionEntry(
        provision_id=provision_id,
        at=provider.clock.now(),
        recipient_id=caller.recipient_id,
        affair_id=query.affair[:64],
        channel=Channel.IMMEDIATE.value,
        operator=caller.operator,
        key_kind="agency-code",
        outcome=outcome,
        detail=detail,
    )
