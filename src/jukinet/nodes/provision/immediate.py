"""即時提供: one recipient asks about one person, for one affair, and is answered at once.

Every request leaves a line in the provision log — the answer's residents when something was
provided, and also a refusal, an unreadable key or a search too wide — in the same
transaction as the answer is read, so nothing is ever provided without its log entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from jukinet.domain.errors import DomainError
from jukinet.domain.provision import Channel, NarrowYourSearch
from jukinet.domain.searches import SearchKey
from jukinet.nodes.ports import AnswerUnitOfWork
from jukinet.nodes.provision.answers import ProvidedPerson
from jukinet.nodes.provision.attempts import Attempt, key_kind_of
from jukinet.nodes.provision.providers import Caller, Provider


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
    attempt = Attempt.start(caller, query.affair, key_kind_of(query.key))
    with provider.answering() as uow:
        try:
            people = _search(query, caller, provider, uow)
        except DomainError as refusal:
            attempt.refuse(uow, provider, refusal)
            raise
        attempt.record(uow, provider, "provided", [p.identity.resident_code for p in people])
        uow.commit()
    return Answer(attempt.provision_id, tuple(people))


def _search(
    query: IdentityQuery, caller: Caller, provider: Provider, uow: AnswerUnitOfWork
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
