"""One request to a providing node, as the provision log records it.

Every provision use case opens an ``Attempt`` before it reads anything and records it exactly
once, whatever happens: what was provided, or why nothing was (``outcome_of``). Keeping this
in one place keeps the log's outcomes and key kinds the same for every kind of request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from jukinet.domain.errors import DomainError, NotFound
from jukinet.domain.provision import Channel, NarrowYourSearch, ProvisionNotPermitted
from jukinet.domain.searches import KeyKind
from jukinet.nodes.ports import AnswerUnitOfWork, ProvisionEntry
from jukinet.nodes.provision.providers import Caller, Provider
from jukinet.protocol.ids import uuid7

_KINDS_BY_FIELD = (
    ("resident_code", KeyKind.RESIDENT_CODE),
    ("my_number", KeyKind.MY_NUMBER),
    ("name", KeyKind.NAME),
    ("kana", KeyKind.KANA),
)


def key_kind_of(key: Mapping[str, object]) -> str:
    """The kind of key asked with, for the log — even when the key itself was unreadable."""
    for field, kind in _KINDS_BY_FIELD:
        if key.get(field) not in (None, ""):
            return kind.value
    return "none"


def outcome_of(refusal: DomainError) -> str:
    """How the log names a request that provided nothing."""
    if isinstance(refusal, ProvisionNotPermitted):
        return "refused"
    if isinstance(refusal, NarrowYourSearch):
        return "narrow"
    if isinstance(refusal, NotFound):
        return "not-found"
    return "invalid"


@dataclass(frozen=True, slots=True)
class Attempt:
    provision_id: str
    caller: Caller
    affair: str
    key_kind: str
    channel: Channel = Channel.IMMEDIATE

    @classmethod
    def start(
        cls, caller: Caller, affair: str, key_kind: str, channel: Channel = Channel.IMMEDIATE
    ) -> Attempt:
        return cls(uuid7(), caller, affair[:64], key_kind, channel)

    def record(
        self,
        uow: AnswerUnitOfWork,
        provider: Provider,
        outcome: str,
        codes: Sequence[str],
        detail: str = "",
    ) -> None:
        """Write the log line (and the residents provided) in ``uow``'s transaction."""
        entry = ProvisionEntry(
            provision_id=self.provision_id,
            at=provider.clock.now(),
            recipient_id=self.caller.recipient_id,
            affair_id=self.affair,
            channel=self.channel.value,
            operator=self.caller.operator,
            key_kind=self.key_kind,
            outcome=outcome,
            detail=detail,
        )
        uow.provision_log.record(entry, codes)

    def refuse(self, uow: AnswerUnitOfWork, provider: Provider, refusal: DomainError) -> None:
        """Log why nothing was provided, and commit: the refusal stays on record."""
        self.record(uow, provider, outcome_of(refusal), [], f"{refusal.field}: {refusal.problem}")
        uow.commit()

    def record_alone(
        self, provider: Provider, outcome: str, codes: Sequence[str], detail: str = ""
    ) -> None:
        """Log in a transaction of its own (after a network call, never around one)."""
        with provider.unit_of_work() as uow:
            self.record(uow, provider, outcome, codes, detail)
            uow.commit()
