"""What the card node's use cases need from the world: its store and its PIN hasher."""

from __future__ import annotations

from typing import Protocol

from jukinet.domain.cards import Card, CardEvent
from jukinet.nodes.ports import UnitOfWork


class Cards(Protocol):
    def add(self, card: Card) -> None: ...

    def get(self, card_number: str) -> Card | None:
        """The card, locked for update until the unit of work ends (where supported), so that
        two PIN checks at once cannot both miss the third wrong PIN."""
        ...

    def update(self, card: Card) -> None: ...

    def held_by(self, resident_code: str) -> list[Card]:
        """Every card ever issued to this resident, the oldest first."""
        ...


class CardEvents(Protocol):
    """The card event log: every change and every PIN check, with who asked."""

    def record(self, event: CardEvent) -> None: ...

    def of_card(self, card_number: str, limit: int) -> list[CardEvent]:
        """The card's latest ``limit`` events, newest first."""
        ...


class PinHasher(Protocol):
    """Turns a card's PIN into the only form the store keeps, and checks a PIN against it."""

    def protect(self, card_number: str, pin: str) -> str: ...

    def matches(self, card_number: str, pin: str, stored: str) -> bool: ...


class CardUnitOfWork(UnitOfWork, Protocol):
    @property
    def cards(self) -> Cards: ...

    @property
    def card_events(self) -> CardEvents: ...
