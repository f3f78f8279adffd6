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
from jukinet.domain.provision import Channel, NarrowYourSearch
from jukinet.domain.searches import SearchKey
from jukinet.nodes.ports import Peer, ProvisionUnitOfWork
from jukinet.nodes.provision.attempts import Attempt
from jukinet.nodes.provision.providers import Caller, Provider
from jukinet.protocol.catalogue import AgencyCodeRequest
from jukinet.protocol.directory import LINKAGE_ID


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
    attempt = Attempt.start(caller, query.affair, "agency-code")
    with provider.unit_of_work() as uow:
        try:
            number = check_acquisition_number("acquisition_number", query.acquisition_number)
            person = _one_person(query, caller, provider, uow)
        except DomainError as refusal:
            attempt.refuse(uow, provider, refusal)
            raise
        detail = f"住民票コード handed to the provision network (取得番号 {number})"
        attempt.record(uow, provider, "provided", [person.resident_code], detail)
        peer.request(
            LINKAGE_ID, AgencyCodeRequest(caller.recipient_id, number, person.resident_code)
        )
        uow.commit()
    return attempt.provision_id


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
