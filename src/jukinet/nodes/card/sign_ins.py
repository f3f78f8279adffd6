"""A resident signs in at a resident portal with the card and its PIN.

The portal (a registered recipient of kind ``portal``) sends the card number and the PIN the
resident typed; the card node judges them by the same rules as a municipality's PIN check
(``checks.py``), except that the resident names no 住民票コード — the card says whose it is:

1. no such card: ``unknown-card``, with nothing about any card;
2. a revoked, suspended, expired or locked card: its state, the PIN left unchecked;
3. the PIN: ``accepted`` (the count of wrong PINs back to 0) or ``wrong-pin`` (counted; the
   third in a row locks the card until a PIN reset at the counter).

Only ``accepted`` tells who holds the card and where it is registered. Every sign-in is
written to the card event log with the portal's id and the outcome, never the PIN. A card
number or PIN that is not well-formed is :class:`InvalidValue`, and nothing is counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jukinet.domain.cards import (
    Card,
    CardAction,
    CardEvent,
    PinOutcome,
    check_card_number,
    check_pin,
)
from jukinet.domain.provision import check_id
from jukinet.nodes.card.counter import CardCounter


@dataclass(frozen=True, slots=True)
class CardSignIn:
    """What the resident typed at the portal."""

    card_number: str
    pin: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class SignInVerdict:
    """The outcome of a sign-in; ``card`` is None when nothing about the card may be told
    (an unknown card). Whose the card is may be told only when ``accepted``."""

    outcome: PinOutcome
    card: Card | None

    @property
    def accepted(self) -> bool:
        return self.outcome is PinOutcome.ACCEPTED

    @property
    def attempts_left(self) -> int:
        return 0 if self.card is None else self.card.attempts_left


def sign_in_with_card(request: CardSignIn, portal: str, counter: CardCounter) -> SignInVerdict:
    """Judge the card and its PIN for ``portal``; a wrong PIN is committed against the card."""
    number = check_card_number("card_number", request.card_number)
    pin = check_pin("pin", request.pin)
    actor = check_id("portal", portal)
    with counter.unit_of_work() as uow:
        verdict = _judge(uow.cards.get(number), pin, counter)
        if verdict.card is not None and verdict.outcome in (
            PinOutcome.ACCEPTED,
            PinOutcome.WRONG_PIN,
        ):
            uow.cards.update(verdict.card)
        detail = "card now locked" if _locked_now(verdict) else ""
        uow.card_events.record(
            CardEvent(
                counter.clock.now(),
                number,
                CardAction.PORTAL_SIGN_IN,
                actor,
                verdict.outcome.value,
                detail,
            )
        )
        uow.commit()
    return verdict


def _judge(card: Card | None, pin: str, counter: CardCounter) -> SignInVerdict:
    if card is None:
        return SignInVerdict(PinOutcome.UNKNOWN_CARD, None)
    refusal = card.refusal(counter.clock.today())
    if refusal is not None:
        return SignInVerdict(refusal, card)
    matched = counter.hasher.matches(card.number, pin, card.pin_hash)
    outcome = PinOutcome.ACCEPTED if matched else PinOutcome.WRONG_PIN
    return SignInVerdict(outcome, card.after_pin(matched))


def _locked_now(verdict: SignInVerdict) -> bool:
    return verdict.outcome is PinOutcome.WRONG_PIN and verdict.attempts_left == 0
