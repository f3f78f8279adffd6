"""The card counter's work: issue a card, suspend, resume and revoke it, set a new PIN, and
look a card up.

Every change is written to the card event log in the same transaction, with the operator who
made it; the new PIN is hashed before the transaction opens, and is never logged. Raises
:class:`InvalidValue` for bad input, :class:`NotFound` for an unknown card and
:class:`Conflict` for a change the card's state does not allow; nothing is written then.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from jukinet.domain.cards import (
    Card,
    CardAction,
    CardEvent,
    CardHolder,
    CardState,
    check_card_number,
    check_pin,
    check_reason,
)
from jukinet.domain.dates import parse_date
from jukinet.domain.errors import Conflict, NotFound
from jukinet.domain.provision import check_id
from jukinet.nodes.card.ports import CardUnitOfWork, PinHasher
from jukinet.nodes.ports import Clock

STATUS_EVENTS = 20


@dataclass(frozen=True, slots=True)
class CardIssue:
    """What the counter keys in to issue a card; validated by :meth:`CardCounter.issue`."""

    card_number: str
    resident_code: str
    name: str
    birth_date: str | date
    municipality_code: str
    expires_on: str | date
    pin: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class CardStatus:
    """A card as the counter sees it: ``condition`` is valid, suspended, revoked, expired or
    locked; ``events`` are the latest lines of its log, newest first."""

    card: Card
    condition: str
    events: tuple[CardEvent, ...]


@dataclass(frozen=True, slots=True)
class CardCounter:
    """The card node's operator work, each step one unit of work."""

    unit_of_work: Callable[[], CardUnitOfWork]
    hasher: PinHasher
    clock: Clock

    def issue(self, request: CardIssue, operator: str) -> Card:
        """Issue a card to a resident who holds no other card that is not revoked."""
        actor, today = check_id("operator", operator), self.clock.today()
        holder = CardHolder.of(request.resident_code, request.name, request.birth_date, today)
        number = check_card_number("card_number", request.card_number)
        pin_hash = self.hasher.protect(number, check_pin("pin", request.pin))
        expires_on = parse_date("expires_on", request.expires_on)
        card = Card.issue(number, holder, request.municipality_code, expires_on, pin_hash, today)
        with self.unit_of_work() as uow:
            if uow.cards.get(number) is not None:
                raise Conflict("card_number", f"card {number} was issued already")
            held = [
                c
                for c in uow.cards.held_by(holder.resident_code)
                if c.state is not CardState.REVOKED
            ]
            if held:
                raise Conflict(
                    "resident_code",
                    f"{holder.resident_code} holds card {held[0].number}; revoke it first",
                )
            uow.cards.add(card)
            detail = f"municipality {card.municipality_code}, expires {card.expires_on}"
            self._log(uow, card, CardAction.ISSUED, actor, detail)
            uow.commit()
        return card

    def suspend(self, card_number: str, operator: str, reason: str = "") -> Card:
        """一時停止 (e.g. the card was reported lost): no PIN is checked until it is resumed."""
        return self._change(card_number, operator, CardAction.SUSPENDED, Card.suspended, reason)

    def resume(self, card_number: str, operator: str, reason: str = "") -> Card:
        return self._change(card_number, operator, CardAction.RESUMED, Card.resumed, reason)

    def revoke(self, card_number: str, operator: str, reason: str = "") -> Card:
        """廃止: final; the holder may be issued a new card afterwards."""
        return self._change(card_number, operator, CardAction.REVOKED, Card.revoked, reason)

    def reset_pin(self, card_number: str, new_pin: str, operator: str) -> Card:
        """A new PIN set at the counter (the holder present), which also unlocks the card."""
        number = check_card_number("card_number", card_number)
        pin_hash = self.hasher.protect(number, check_pin("pin", new_pin))
        today = self.clock.today()
        return self._change(
            number, operator, CardAction.PIN_RESET, lambda c: c.with_new_pin(pin_hash, today)
        )

    def status(self, card_number: str) -> CardStatus:
        number = check_card_number("card_number", card_number)
        with self.unit_of_work() as uow:
            card = _existing(uow, number)
            events = uow.card_events.of_card(number, STATUS_EVENTS)
        return CardStatus(card, card.condition(self.clock.today()), tuple(events))

    def _change(
        self,
        card_number: str,
        operator: str,
        action: CardAction,
        change: Callable[[Card], Card],
        reason: str = "",
    ) -> Card:
        actor, detail = check_id("operator", operator), check_reason(reason)
        number = check_card_number("card_number", card_number)
        with self.unit_of_work() as uow:
            card = change(_existing(uow, number))
            uow.cards.update(card)
            self._log(uow, card, action, actor, detail)
            uow.commit()
        return card

    def _log(
        self, uow: CardUnitOfWork, card: Card, action: CardAction, actor: str, detail: str
    ) -> None:
        uow.card_events.record(
            CardEvent(self.clock.now(), card.number, action, actor, card.state.value, detail)
        )


def _existing(uow: CardUnitOfWork, number: str) -> Card:
    card = uow.cards.get(number)
    if card is None:
        raise NotFound("card_number", f"no card {number} was issued")
    return card
