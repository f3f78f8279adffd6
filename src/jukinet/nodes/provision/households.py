"""世帯情報の確認 at the national node: who is registered at a person's address, and, from
their home municipality, which household each named person belongs to and with which 続柄.

Both are open only to affairs the registry marks ``household = true`` (survivors' pensions and
the like); for any other affair they are refused with the field ``household``. Both leave a
line in the provision log as 即時提供 does — a refusal, an unreadable key, a person not found
or a municipality that did not answer as well as what was provided, listing every resident the
answer concerned.

* ``provide_same_address`` finds the named person by the rules of 即時提供 (one person, who
  must be living in a municipality now), then everyone with a current record at the same
  address of the same municipality.
* ``check_household`` asks the home municipality of the first code (the applicant) about every
  code given. The store is read in one unit of work and the log written in another, so that
  no transaction is held open across the network call (ADR 0010).

    DomainError
    ├── ProvisionNotPermitted   outside the law, or the affair allows no household checks
    ├── NarrowYourSearch        the key matches more than one person
    ├── NotFound                no one matches the key, or they no longer live anywhere
    └── InvalidValue            a key or a code that cannot be read
    PortError                   the home municipality could not be reached, or refused
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from jukinet.domain.codes import ResidentCode
from jukinet.domain.errors import DomainError, InvalidValue, NotFound
from jukinet.domain.identity import IdentityInfo, RecordStatus
from jukinet.domain.matching import address_key
from jukinet.domain.provision import Affair, Channel, NarrowYourSearch, ProvisionNotPermitted
from jukinet.domain.searches import KeyKind, SearchKey
from jukinet.nodes.ports import (
    Peer,
    PeerRejected,
    PortError,
    ProvisionUnitOfWork,
)
from jukinet.nodes.provision.answers import ProvidedPerson
from jukinet.nodes.provision.attempts import Attempt
from jukinet.nodes.provision.providers import Caller, Provider
from jukinet.protocol.catalogue import HouseholdAnswer, HouseholdMember, HouseholdQuery
from jukinet.protocol.directory import municipality_node_id

# An agency may check the household of everyone a same-address answer names.
MAX_PEOPLE = HouseholdQuery.MAX_CODES
SAME_ADDRESS, HOUSEHOLD = "same-address", "household"


@dataclass(frozen=True, slots=True)
class SameAddressQuery:
    """The affair, and a search key (as for 即時提供) naming the person whose address counts."""

    affair: str
    key: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class SameAddressAnswer:
    provision_id: str
    person: str  # the 住民票コード of the person the key named
    residents: tuple[ProvidedPerson, ...]  # everyone registered there, that person first


@dataclass(frozen=True, slots=True)
class HouseholdCheck:
    """The affair, and the codes to ask about: the applicant's first."""

    affair: str
    resident_codes: Sequence[object]


@dataclass(frozen=True, slots=True)
class HouseholdCheckAnswer:
    provision_id: str
    municipality_code: str  # the home municipality that answered
    members: tuple[HouseholdMember, ...]  # one per code, in the order asked


def provide_same_address(
    query: SameAddressQuery, caller: Caller, provider: Provider
) -> SameAddressAnswer:
    """Everyone registered at the address of the person ``query.key`` names; logged."""
    asked = Attempt.start(caller, query.affair, SAME_ADDRESS)
    with provider.unit_of_work() as uow:
        try:
            affair = _household_affair(query.affair, caller, provider)
            person = _living(uow, SearchKey.parse(query.key), affair, "key")
            residents = _at_address_of(person, uow)
        except DomainError as refusal:
            asked.refuse(uow, provider, refusal)
            raise
        asked.record(uow, provider, "provided", [r.resident_code for r in residents])
        uow.commit()
    people = tuple(ProvidedPerson(identity) for identity in residents)
    return SameAddressAnswer(asked.provision_id, person.resident_code, people)


def check_household(
    check: HouseholdCheck, caller: Caller, provider: Provider, peer: Peer
) -> HouseholdCheckAnswer:
    """Ask the applicant's home municipality about every code in ``check``; logged."""
    asked = Attempt.start(caller, check.affair, HOUSEHOLD)
    with provider.unit_of_work() as uow:
        try:
            affair = _household_affair(check.affair, caller, provider)
            codes = _codes(check.resident_codes)
            applicant = SearchKey(KeyKind.RESIDENT_CODE, resident_code=codes[0])
            home = _living(uow, applicant, affair, "resident_codes[0]").municipality_code
        except DomainError as refusal:
            asked.refuse(uow, provider, refusal)
            raise
    query = HouseholdQuery(home, asked.provision_id, caller.recipient_id, affair.id, codes)
    try:
        answer = _ask(peer, query)
    except PortError as failure:
        asked.record_alone(provider, "unanswered", [], str(failure))
        raise
    registered = [m.resident_code for m in answer.members if m.registered]
    asked.record_alone(provider, "provided", registered)
    return HouseholdCheckAnswer(asked.provision_id, home, answer.members)


def _household_affair(affair_id: str, caller: Caller, provider: Provider) -> Affair:
    law = provider.law()
    affair = law.permit(caller.recipient_id, affair_id, Channel.IMMEDIATE)
    if not affair.household:
        raise ProvisionNotPermitted(
            "household",
            f"{affair_id!r} does not allow household checks; in registry {law.version} only "
            "affairs marked household = true do",
        )
    return affair


def _living(uow: ProvisionUnitOfWork, key: SearchKey, affair: Affair, field: str) -> IdentityInfo:
    found = uow.search.find(key, affair.prefecture, 2)
    if len(found) > 1:
        raise NarrowYourSearch(
            field, "more than one person matches; add the address, or name them by a code"
        )
    if not found or found[0].status is not RecordStatus.ACTIVE:
        raise NotFound(field, "no one living in a municipality now matches this")
    return found[0]


def _at_address_of(person: IdentityInfo, uow: ProvisionUnitOfWork) -> list[IdentityInfo]:
    found = uow.search.living_at(
        person.municipality_code, address_key(person.address), MAX_PEOPLE + 1
    )
    if len(found) > MAX_PEOPLE:
        raise ProvisionNotPermitted(
            "household",
            f"more than {MAX_PEOPLE} people are registered at this address; check the "
            "household by the codes on the application instead",
        )
    others = [i for i in found if i.resident_code != person.resident_code]
    return [person, *sorted(others, key=lambda i: (i.birth_date, i.resident_code))]


def _codes(values: Sequence[object]) -> tuple[str, ...]:
    if not 1 <= len(values) <= MAX_PEOPLE:
        raise InvalidValue("resident_codes", f"give 1 to {MAX_PEOPLE} codes, the applicant's first")
    codes = tuple(
        ResidentCode.parse(value, f"resident_codes[{i}]").value for i, value in enumerate(values)
    )
    for index, code in enumerate(codes):
        if code in codes[:index]:
            raise InvalidValue(f"resident_codes[{index}]", f"{code} is given twice")
    return codes


def _ask(peer: Peer, query: HouseholdQuery) -> HouseholdAnswer:
    answer: HouseholdAnswer = peer.request(municipality_node_id(query.municipality_code), query)
    if tuple(m.resident_code for m in answer.members) != query.resident_codes:
        raise PeerRejected(
            "unexpected-answer", "the municipality answered about other people than were asked"
        )
    return answer
