"""個人番号カード: a municipality asks the card node to check a card's PIN, or to let the card
go on being used after its holder moved in (継続利用).

The PIN travels only inside the signed envelope over mutual TLS, and is never repeated in an
error or a ``repr``. Every answer names the card and says what came of it (``outcome``), how
many wrong PINs the card still takes (``attempts_left``) and, for the holder's own card, when
it expires; an unknown card or somebody else's card is answered with nothing about the card.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from jukinet.domain.cards import PIN_ATTEMPTS, PinOutcome, check_card_number, check_pin
from jukinet.domain.codes import LocalGovernmentCode, ResidentCode
from jukinet.domain.dates import parse_date
from jukinet.domain.errors import DomainError
from jukinet.protocol.errors import MalformedEnvelope
from jukinet.protocol.fields import checked_code, require

CHECK_OUTCOMES = frozenset(o.value for o in PinOutcome if o is not PinOutcome.TOO_LATE)
CONTINUED_USE_OUTCOMES = frozenset(o.value for o in PinOutcome)


@dataclass(frozen=True, slots=True)
class CardPinCheck:
    """特例転入 at the counter: is this the holder's card, usable, and is this its PIN?

    ``card_number`` is the card's serial (see ``domain/cards.py``), not the 個人番号. A wrong
    PIN counts against the card even though the answer is an ordinary verdict.
    """

    TYPE: ClassVar[str] = "card.pin-check"
    VERSION: ClassVar[int] = 1

    card_number: str
    resident_code: str
    pin: str = field(repr=False)

    def to_body(self) -> dict[str, Any]:
        return {
            "card_number": self.card_number,
            "resident_code": self.resident_code,
            "pin": self.pin,
        }

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> CardPinCheck:
        return cls(
            _card_number(body),
            checked_code(ResidentCode, body, "resident_code"),
            _pin(body),
        )


@dataclass(frozen=True, slots=True)
class CardPinVerdict:
    """What the card node made of a :class:`CardPinCheck`."""

    TYPE: ClassVar[str] = "card.pin-verdict"
    VERSION: ClassVar[int] = 1
    OUTCOMES: ClassVar[frozenset[str]] = CHECK_OUTCOMES

    card_number: str
    outcome: str
    attempts_left: int
    expires_on: str | None

    def to_body(self) -> dict[str, Any]:
        return _verdict_body(self.card_number, self.outcome, self.attempts_left, self.expires_on)

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> CardPinVerdict:
        return cls(*_verdict_fields(body, cls.OUTCOMES))


@dataclass(frozen=True, slots=True)
class CardContinuedUse:
    """継続利用: the municipality the holder moved to registers the card for itself.

    Checked like a :class:`CardPinCheck`, and refused (``too-late``) once more than 90 days
    have passed since ``moved_in_notified_on``, the day of the 転入届. A municipality may
    register cards for its own code only.
    """

    TYPE: ClassVar[str] = "card.continued-use"
    VERSION: ClassVar[int] = 1

    card_number: str
    resident_code: str
    pin: str = field(repr=False)
    municipality_code: str
    moved_in_notified_on: str

    def to_body(self) -> dict[str, Any]:
        return {
            "card_number": self.card_number,
            "resident_code": self.resident_code,
            "pin": self.pin,
            "municipality_code": self.municipality_code,
            "moved_in_notified_on": self.moved_in_notified_on,
        }

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> CardContinuedUse:
        return cls(
            card_number=_card_number(body),
            resident_code=checked_code(ResidentCode, body, "resident_code"),
            pin=_pin(body),
            municipality_code=checked_code(LocalGovernmentCode, body, "municipality_code"),
            moved_in_notified_on=_iso_date(body, "moved_in_notified_on").isoformat(),
        )


@dataclass(frozen=True, slots=True)
class CardContinuedUseVerdict:
    """What the card node made of a :class:`CardContinuedUse`; ``accepted`` means the card is
    now registered to the new municipality."""

    TYPE: ClassVar[str] = "card.continued-use-verdict"
    VERSION: ClassVar[int] = 1
    OUTCOMES: ClassVar[frozenset[str]] = CONTINUED_USE_OUTCOMES

    card_number: str
    outcome: str
    attempts_left: int
    expires_on: str | None

    def to_body(self) -> dict[str, Any]:
        return _verdict_body(self.card_number, self.outcome, self.attempts_left, self.expires_on)

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> CardContinuedUseVerdict:
        return cls(*_verdict_fields(body, cls.OUTCOMES))


def _card_number(body: Mapping[str, Any]) -> str:
    try:
        return check_card_number("body.card_number", body.get("card_number"))
    except DomainError as error:
        raise MalformedEnvelope(f"{error.field}: {error.problem}") from None


def _pin(body: Mapping[str, Any]) -> str:
    try:
        return check_pin("body.pin", body.get("pin"))
    except DomainError as error:
        raise MalformedEnvelope(f"{error.field}: {error.problem}") from None


def _iso_date(body: Mapping[str, Any], name: str) -> date:
    try:
        return parse_date(f"body.{name}", require(body, name, str))
    except DomainError as error:
        raise MalformedEnvelope(f"{error.field}: {error.problem}") from None


def _verdict_body(
    card_number: str, outcome: str, attempts_left: int, expires_on: str | None
) -> dict[str, Any]:
    return {
        "card_number": card_number,
        "outcome": outcome,
        "attempts_left": attempts_left,
        "expires_on": expires_on,
    }


def _verdict_fields(
    body: Mapping[str, Any], outcomes: frozenset[str]
) -> tuple[str, str, int, str | None]:
    outcome = require(body, "outcome", str)
    if outcome not in outcomes:
        raise MalformedEnvelope(f"body.outcome: {outcome!r} is not one of {sorted(outcomes)}")
    attempts_left = require(body, "attempts_left", int)
    if not 0 <= attempts_left <= PIN_ATTEMPTS:
        raise MalformedEnvelope(f"body.attempts_left: must be between 0 and {PIN_ATTEMPTS}")
    expires_on = None
    if body.get("expires_on") is not None:
        expires_on = _iso_date(body, "expires_on").isoformat()
    return _card_number(body), outcome, attempts_left, expires_on
