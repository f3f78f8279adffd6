"""個人番号カード: which cards exist for whom, in which state, and how a PIN is judged.

Card number. The card's own serial, never the holder's 個人番号: twelve ASCII digits, the
last a Luhn (mod 10) check digit over the first eleven, and the whole must *not* also pass the
個人番号 check, so that a clerk who types the holder's My Number into the card-number field
is told so instead of finding a card. (The real card's serial format is not published; this
one is our own, chosen to catch typing errors and that confusion.)

States. A card is ``valid``, ``suspended`` (一時停止, e.g. reported lost; can be resumed) or
``revoked`` (廃止; final). ``expired`` is not stored: a card whose expiry date is before
today is expired whatever its state says. ``locked`` is not stored either: a card is locked
once its count of consecutive wrong PINs reaches :data:`PIN_ATTEMPTS` (3); only a PIN reset
at the counter unlocks it.

PIN. The 住民基本台帳用暗証番号 is exactly four ASCII digits. Errors about a PIN never
quote it. A correct PIN sets the count of wrong ones back to zero.

継続利用. After a 特例転入 the new municipality re-registers the card for itself; that is
possible up to :data:`CONTINUED_USE_DAYS` (90) days after the day the 転入届 was made,
counting from the next day, so the 90th day after it is the last one.

Raises :class:`InvalidValue` for a malformed number, PIN or date and :class:`Conflict` for a
change the card's state does not allow.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from jukinet.domain.checkdigits import MY_NUMBER_SCHEME
from jukinet.domain.codes import LocalGovernmentCode, ResidentCode
from jukinet.domain.dates import past_date
from jukinet.domain.errors import Conflict, InvalidValue
from jukinet.domain.identity import NAME_LIMIT
from jukinet.domain.text import clean_text

CARD_NUMBER_LENGTH = 12
PIN_LENGTH = 4
PIN_ATTEMPTS = 3
CONTINUED_USE_DAYS = 90
LONGEST_VALIDITY_YEARS = 11  # an adult's card runs to the 10th birthday after issue: a typing guard
REASON_LIMIT = 200


def luhn_check_digit(body: str) -> int:
    """The Luhn check digit of a string of ASCII digits."""
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char) * (2 if position % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return (10 - total % 10) % 10


def card_number_with_check_digit(body: str) -> str:
    """Eleven digits and their Luhn check digit (the result may still read as a 個人番号)."""
    return body + str(luhn_check_digit(body))


def check_card_number(field: str, value: object) -> str:
    """A card number as described in the module docstring, or :class:`InvalidValue`."""
    if not isinstance(value, str):
        raise InvalidValue(field, f"expected 12 digits as text, got {type(value).__name__}")
    if not value.isascii() or not value.isdigit():
        raise InvalidValue(field, f"{value!r} must be ASCII digits only")
    if len(value) != CARD_NUMBER_LENGTH:
        raise InvalidValue(field, f"must be {CARD_NUMBER_LENGTH} digits, got {len(value)}")
    if MY_NUMBER_SCHEME.check_digit(value[:-1]) == int(value[-1]):
        raise InvalidValue(field, "reads as a 個人番号; give the card's own number")
    if luhn_check_digit(value[:-1]) != int(value[-1]):
        raise InvalidValue(field, f"check digit of {value!r} does not match (Luhn)")
    return value


def check_pin(field: str, value: object) -> str:
    """Exactly four ASCII digits. The message never repeats what was given."""
    if not (
        isinstance(value, str) and len(value) == PIN_LENGTH and value.isascii() and value.isdigit()
    ):
        raise InvalidValue(field, f"a PIN is exactly {PIN_LENGTH} ASCII digits")
    return value


def continued_use_deadline(moved_in_notified_on: date) -> date:
    """The last day the card can be re-registered after a 特例転入 filed on that day."""
    return moved_in_notified_on + timedelta(days=CONTINUED_USE_DAYS)


def too_late_for_continued_use(moved_in_notified_on: date, today: date) -> bool:
    """Whether the 90 days for 継続利用 are over; a 転入届 dated after today is refused."""
    if moved_in_notified_on > today:
        raise InvalidValue(
            "moved_in_notified_on", f"{moved_in_notified_on} is after today ({today})"
        )
    return today > continued_use_deadline(moved_in_notified_on)


class CardState(StrEnum):
    VALID = "valid"
    SUSPENDED = "suspended"  # 一時停止
    REVOKED = "revoked"  # 廃止


class PinOutcome(StrEnum):
    """What a PIN check (or a 継続利用) came to; the values are the protocol's words."""

    ACCEPTED = "accepted"
    WRONG_PIN = "wrong-pin"
    LOCKED = "locked"
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    UNKNOWN_CARD = "unknown-card"
    NOT_HOLDER = "not-holder"
    TOO_LATE = "too-late"


class CardAction(StrEnum):
    """What a line of the card event log records."""

    ISSUED = "issued"
    SUSPENDED = "suspended"
    RESUMED = "resumed"
    REVOKED = "revoked"
    PIN_RESET = "pin-reset"
    PIN_CHECK = "pin-check"
    CONTINUED_USE = "continued-use"
    PORTAL_SIGN_IN = "portal-sign-in"  # a resident signing in at a portal with the card


@dataclass(frozen=True, slots=True)
class CardEvent:
    """One line of the card event log: who (an operator or a node) did what, when, to which
    card, with what outcome. It never holds a PIN."""

    at: datetime
    card_number: str
    action: CardAction
    actor: str
    outcome: str = ""
    detail: str = ""


@dataclass(frozen=True, slots=True)
class CardHolder:
    """Whom a card is issued to, as the register names them (variant kanji kept as written)."""

    resident_code: str
    name: str
    birth_date: date

    @classmethod
    def of(cls, resident_code: object, name: object, birth_date: object, today: date) -> CardHolder:
        return cls(
            ResidentCode.parse(resident_code, "resident_code").value,
            clean_text("name", name, max_length=NAME_LIMIT),
            past_date("birth_date", birth_date, today),
        )


@dataclass(frozen=True, slots=True)
class Card:
    """One 個人番号カード. ``pin_hash`` is whatever the node's PIN hasher made of the PIN."""

    number: str
    holder: CardHolder
    municipality_code: str
    issued_on: date
    expires_on: date
    pin_hash: str
    state: CardState = CardState.VALID
    failed_attempts: int = 0

    @classmethod
    def issue(
        cls,
        number: object,
        holder: CardHolder,
        municipality_code: object,
        expires_on: date,
        pin_hash: str,
        today: date,
    ) -> Card:
        if expires_on <= today:
            raise InvalidValue("expires_on", f"{expires_on} is not after today ({today})")
        if expires_on > date(today.year + LONGEST_VALIDITY_YEARS, 12, 31):
            raise InvalidValue(
                "expires_on", f"{expires_on} is more than {LONGEST_VALIDITY_YEARS} years away"
            )
        lg = LocalGovernmentCode.parse(municipality_code, "municipality_code")
        return cls(
            check_card_number("card_number", number), holder, lg.value, today, expires_on, pin_hash
        )

    @property
    def attempts_left(self) -> int:
        return max(PIN_ATTEMPTS - self.failed_attempts, 0)

    @property
    def locked(self) -> bool:
        return self.failed_attempts >= PIN_ATTEMPTS

    def is_expired(self, today: date) -> bool:
        return self.expires_on < today

    def refusal(self, today: date) -> PinOutcome | None:
        """Why no PIN may be checked on this card today, or None if one may."""
        if self.state is CardState.REVOKED:
            return PinOutcome.REVOKED
        if self.state is CardState.SUSPENDED:
            return PinOutcome.SUSPENDED
        if self.is_expired(today):
            return PinOutcome.EXPIRED
        if self.locked:
            return PinOutcome.LOCKED
        return None

    def condition(self, today: date) -> str:
        """The one word a clerk sees: valid, suspended, revoked, expired or locked."""
        refusal = self.refusal(today)
        return CardState.VALID.value if refusal is None else refusal.value

    def after_pin(self, matched: bool) -> Card:
        """The card once a PIN was checked: a match clears the count, a miss adds one."""
        return replace(self, failed_attempts=0 if matched else self.failed_attempts + 1)

    def suspended(self) -> Card:
        self._require_not_revoked("suspend")
        if self.state is CardState.SUSPENDED:
            raise Conflict("card_number", f"card {self.number} is already suspended")
        return replace(self, state=CardState.SUSPENDED)

    def resumed(self) -> Card:
        if self.state is not CardState.SUSPENDED:
            raise Conflict("card_number", f"card {self.number} is {self.state}, not suspended")
        return replace(self, state=CardState.VALID)

    def revoked(self) -> Card:
        self._require_not_revoked("revoke")
        return replace(self, state=CardState.REVOKED)

    def with_new_pin(self, pin_hash: str, today: date) -> Card:
        """A PIN set anew at the counter, which also unlocks the card."""
        self._require_not_revoked("reset the PIN of")
        if self.state is CardState.SUSPENDED:
            raise Conflict("card_number", f"card {self.number} is suspended: resume it first")
        if self.is_expired(today):
            raise Conflict("card_number", f"card {self.number} expired on {self.expires_on}")
        return replace(self, pin_hash=pin_hash, failed_attempts=0)

    def moved_to(self, municipality_code: str) -> Card:
        """The card registered by the municipality the holder moved to (継続利用)."""
        return replace(self, municipality_code=municipality_code)

    def _require_not_revoked(self, doing: str) -> None:
        if self.state is CardState.REVOKED:
            raise Conflict("card_number", f"card {self.number} is revoked; cannot {doing} it")


def check_reason(value: object) -> str:
    """An optional free-text reason for a suspension or revocation (written to the log)."""
    return clean_text("reason", value, max_length=REASON_LIMIT, required=False)
