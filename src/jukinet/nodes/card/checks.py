"""PIN checks that municipalities ask for: ``card.pin-check`` (特例転入 at the counter) and
``card.continued-use`` (継続利用 at the municipality moved to).

The order of judgement: an unknown card, then somebody else's card (both answered with
nothing about the card), then a revoked, suspended, expired or locked card (answered with its
state, the PIN left unchecked), then, for 継続利用, the 90 days; only then is the PIN checked.
A wrong PIN is committed against the card although the answer is an ordinary verdict: the
third in a row answers ``wrong-pin`` with no attempts left, and every check after it
``locked``. Each check is logged with its outcome and the asking node, never with the PIN.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jukinet.domain.cards import (
    Card,
    CardAction,
    CardEvent,
    PinOutcome,
    too_late_for_continued_use,
)
from jukinet.nodes.card.ports import CardUnitOfWork, PinHasher
from jukinet.nodes.ports import Clock
from jukinet.protocol.catalogue import (
    CardContinuedUse,
    CardContinuedUseVerdict,
    CardPinCheck,
    CardPinVerdict,
)
from jukinet.protocol.directory import NodeEntry
from jukinet.protocol.envelope import Envelope
from jukinet.protocol.errors import RouteRefused


@dataclass(frozen=True, slots=True)
class Judgement:
    """What a check came to; ``card`` is None when nothing about the card may be told."""

    outcome: PinOutcome
    card: Card | None

    @property
    def attempts_left(self) -> int:
        return 0 if self.card is None else self.card.attempts_left

    @property
    def expires_on(self) -> str | None:
        return None if self.card is None else self.card.expires_on.isoformat()


def judge(
    uow: CardUnitOfWork,
    hasher: PinHasher,
    request: CardPinCheck | CardContinuedUse,
    today: date,
    too_late: bool = False,
) -> Judgement:
    """Judge a PIN against the card, storing what the check changed on it."""
    card = uow.cards.get(request.card_number)
    if card is None:
        return Judgement(PinOutcome.UNKNOWN_CARD, None)
    if card.holder.resident_code != request.resident_code:
        return Judgement(PinOutcome.NOT_HOLDER, None)
    refusal = card.refusal(today) or (PinOutcome.TOO_LATE if too_late else None)
    if refusal is not None:
        return Judgement(refusal, card)
    matched = hasher.matches(card.number, request.pin, card.pin_hash)
    card = card.after_pin(matched)
    uow.cards.update(card)
    return Judgement(PinOutcome.ACCEPTED if matched else PinOutcome.WRONG_PIN, card)


@dataclass(frozen=True, slots=True)
class CheckPin:
    """Inbound handler of ``card.pin-check``."""

    hasher: PinHasher
    clock: Clock

    def __call__(
        self,
        uow: CardUnitOfWork,
        sender: NodeEntry,
        envelope: Envelope,
        bodies: tuple[CardPinCheck, ...],
    ) -> CardPinVerdict:
        (check,) = bodies
        judgement = judge(uow, self.hasher, check, self.clock.today())
        _log(uow, self.clock, CardAction.PIN_CHECK, sender, check, judgement, "")
        return CardPinVerdict(
            check.card_number,
            judgement.outcome.value,
            judgement.attempts_left,
            judgement.expires_on,
        )


@dataclass(frozen=True, slots=True)
class ContinueUse:
    """Inbound handler of ``card.continued-use``: on success the card belongs to the sender's
    municipality from now on. A municipality may ask for its own code only (refused and
    logged otherwise); a 転入届 dated after today is refused as invalid."""

    hasher: PinHasher
    clock: Clock

    def __call__(
        self,
        uow: CardUnitOfWork,
        sender: NodeEntry,
        envelope: Envelope,
        bodies: tuple[CardContinuedUse, ...],
    ) -> CardContinuedUseVerdict:
        (request,) = bodies
        if sender.municipality_code != request.municipality_code:
            raise RouteRefused(
                f"{sender.id} may ask for 継続利用 in its own municipality only, "
                f"not in {request.municipality_code}"
            )
        today = self.clock.today()
        notified_on = date.fromisoformat(request.moved_in_notified_on)
        late = too_late_for_continued_use(notified_on, today)
        judgement = judge(uow, self.hasher, request, today, too_late=late)
        detail = f"転入届 {notified_on}"
        if judgement.outcome is PinOutcome.ACCEPTED and judgement.card is not None:
            detail += f", from {judgement.card.municipality_code} to {request.municipality_code}"
            uow.cards.update(judgement.card.moved_to(request.municipality_code))
        _log(uow, self.clock, CardAction.CONTINUED_USE, sender, request, judgement, detail)
        return CardContinuedUseVerdict(
            request.card_number,
            judgement.outcome.value,
            judgement.attempts_left,
            judgement.expires_on,
        )


def _log(
    uow: CardUnitOfWork,
    clock: Clock,
    action: CardAction,
    sender: NodeEntry,
    request: CardPinCheck | CardContinuedUse,
    judgement: Judgement,
    detail: str,
) -> None:
    if judgement.outcome is PinOutcome.NOT_HOLDER:
        detail = ", ".join(filter(None, [f"asked for resident {request.resident_code}", detail]))
    elif judgement.outcome is PinOutcome.WRONG_PIN and judgement.attempts_left == 0:
        detail = ", ".join(filter(None, ["card now locked", detail]))
    uow.card_events.record(
        CardEvent(
            clock.now(), request.card_number, action, sender.id, judgement.outcome.value, detail
        )
    )
