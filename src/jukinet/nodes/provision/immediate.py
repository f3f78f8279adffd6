"""即時提供: one recipient asks about one person, for one affair, and is answered at once.

Every request leaves a line in the provision log — the answer's residents when something was
provided, and also a refusal, an unreadable key or a search too wide — in the same
transaction as the answer is read, so nothing is ever provided without its log entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from jukinet.domain.errors import DomainError
from jukinet.domain.provision import Channel, NarrowYourSearch, ProvisionNotPermitted
from jukinet.domain.searches import KeyKind, SearchKey
from jukinet.nodes.ports import ProvisionEntry, ProvisionUnitOfWork
from jukinet.nodes.provision.answers import ProvidedPerson
from jukinet.nodes.provision.providers import Caller, Provider
from jukinet.protocol.ids import uuid7


@dataclass(frozen=True, slots=True)
class IdentityQuery:
    """What a recipient asks: the affair it acts for, the search key, and whether it wants the
    history of changes too."""

    affair: str
    key: Mapping[str, object]
    history: bool = False


@dataclass(frozen=True, slots=True)
class Answer:
    provision_id: str
    people: tuple[ProvidedPerson, ...]


def provide_identity(query: IdentityQuery, caller: Caller, provider: Provider) -> Answer:
    """Answer ``query``; raise ``ProvisionNotPermitted``, ``NarrowYourSearch`` or
    ``InvalidValue`` — each after logging the attempt."""
    provision_id = uuid7()
    with provider.unit_of_work() as uow:
        try:
            people = _search(query, caller, provider, uow)
        except DomainError as refusal:
            _log(uow, provider, provision_id, caller, query, _outcome(refusal), [], refusal)
            uow.commit()
            raise
        codes = [p.identity.resident_code for p in people]
        _log(uow, provider, provision_id, caller, query, "provided", codes)
        uow.commit()
    return Answer(provision_id, tuple(people))


def _search(
    query: IdentityQuery, caller: Caller, provider: Provider, uow: ProvisionUnitOfWork
) -> list[ProvidedPerson]:
    affair = provider.law().permit(caller.recipient_id, query.affair, Channel.IMMEDIATE)
    key = SearchKey.parse(query.key)
    limit = provider.max_candidates
    found = uow.search.find(key, affair.prefecture, limit + 1)
    if len(found) > limit:
        raise NarrowYourSearch(
            "key", f"more than {limit} people match; add the address, or search by a code"
        )
    if not query.history:
        return [ProvidedPerson(identity) for identity in found]
    histories = uow.search.histories([identity.resident_code for identity in found])
    return [ProvidedPerson(i, tuple(histories[i.resident_code])) for i in found]


def _outcome(refusal: DomainError) -> str:
    if isinstance(refusal, ProvisionNotPermitted):
        return "refused"
    if isinstance(refusal, NarrowYourSearch):
        return "narrow"
    return "invalid"


def _log(
    uow: ProvisionUnitOfWork,
    provider: Provider,
    provision_id: str,
    caller: Caller,
    query: IdentityQuery,
    outcome: str,
    codes: list[str],
    refusal: DomainError | None = None,
) -> None:
    entry = ProvisionEntry(
        provision_id=provision_id,
        at=provider.clock.now(),
        recipient_id=caller.recipient_id,
        affair_id=query.affair[:64],
        channel=Channel.IMMEDIATE.value,
        operator=caller.operator,
        key_kind=_key_kind(query.key),
        outcome=outcome,
        detail="" if refusal is None else f"{refusal.field}: {refusal.problem}",
    )
    uow.provision_log.record(entry, codes)


def _key_kind(key: Mapping[str, object]) -> str:
    """The kind of key asked with, for the log — even when the key itself was unreadable."""
    for field, kind in _KINDS_BY_FIELD:
        if key.get(field) not in (None, ""):
            return kind.value
    return "none"


_KINDS_BY_FIELD = (
    ("resident_code", KeyKind.RESIDENT_CODE),
    ("my_number", KeyKind.MY_NUMBER),
    ("name", KeyKind.NAME),
    ("kana", KeyKind.KANA),
)
