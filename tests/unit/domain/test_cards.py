"""個人番号カード rules: card numbers, PIN format, states, the lock-out and the 90 days."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jukinet.domain.cards import (
    PIN_ATTEMPTS,
    Card,
    CardHolder,
    CardState,
    PinOutcome,
    card_number_with_check_digit,
    check_card_number,
    check_pin,
    continued_use_deadline,
    luhn_check_digit,
    too_late_for_continued_use,
)
from jukinet.domain.errors import Conflict, InvalidValue

TODAY = date(2026, 11, 23)
HOLDER = CardHolder.of("47182059362", "髙橋 葛\U000e0100子", "1988-02-29", TODAY)
NUMBER = "400123456784"


def a_card(failed_attempts: int = 0) -> Card:
    card = Card.issue(NUMBER, HOLDER, "131016", date(2031, 2, 28), "hash", TODAY)
    return replace(card, failed_attempts=failed_attempts)


def test_a_card_number_is_eleven_digits_and_a_luhn_check_digit() -> None:
    assert luhn_check_digit("7992739871") == 3  # the classic worked example
    assert check_card_number("card_number", NUMBER) == NUMBER


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("400123456785", "check digit"),
        ("40012345678", "12 digits"),
        ("４００１２３４５６７８４", "ASCII digits"),
        (400123456784, "as text"),
        ("400000000408", "reads as a 個人番号"),  # Luhn-valid, but also a valid My Number
    ],
)
def test_a_wrong_card_number_is_refused_saying_why(value: object, problem: str) -> None:
    with pytest.raises(InvalidValue, match=problem) as refused:
        check_card_number("card_number", value)
    assert refused.value.field == "card_number"


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_any_single_digit_typo_in_a_card_number_is_caught(body: str) -> None:
    number = card_number_with_check_digit(body)
    for position in range(12):
        for digit in "0123456789":
            if digit != number[position]:
                typo = number[:position] + digit + number[position + 1 :]
                assert luhn_check_digit(typo[:-1]) != int(typo[-1])


@pytest.mark.parametrize("pin", ["123", "12345", "12a4", "１２３４", "", None, 1234])
def test_a_pin_is_exactly_four_ascii_digits_and_never_quoted(pin: object) -> None:
    with pytest.raises(InvalidValue) as refused:
        check_pin("pin", pin)
    assert "4 ASCII digits" in refused.value.problem
    assert str(pin) not in refused.value.problem or pin in ("", None)


def test_a_new_card_is_valid_with_three_attempts() -> None:
    card = a_card()
    assert (card.state, card.attempts_left, card.refusal(TODAY)) == (CardState.VALID, 3, None)
    assert card.issued_on == TODAY
    assert card.holder.name == "髙橋 葛\U000e0100子"  # the variant glyph kept as written


@pytest.mark.parametrize(
    ("expires_on", "problem"),
    [(TODAY, "not after today"), (date(2038, 1, 1), "more than 11 years")],
)
def test_a_card_must_expire_after_today_and_within_eleven_years(
    expires_on: date, problem: str
) -> None:
    with pytest.raises(InvalidValue, match=problem):
        Card.issue(NUMBER, HOLDER, "131016", expires_on, "hash", TODAY)


def test_a_card_for_a_wrong_municipality_code_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        Card.issue(NUMBER, HOLDER, "131017", date(2030, 1, 1), "hash", TODAY)
    assert refused.value.field == "municipality_code"


def test_three_wrong_pins_in_a_row_lock_the_card_and_a_right_one_resets_the_count() -> None:
    card = a_card().after_pin(False).after_pin(False)
    assert card.attempts_left == 1
    assert card.after_pin(True).attempts_left == PIN_ATTEMPTS

    locked = card.after_pin(False)
    assert locked.locked
    assert locked.refusal(TODAY) is PinOutcome.LOCKED
    assert locked.condition(TODAY) == "locked"


def test_a_card_is_usable_on_its_expiry_date_and_expired_the_day_after() -> None:
    card = a_card()
    assert card.refusal(date(2031, 2, 28)) is None
    assert card.refusal(date(2031, 3, 1)) is PinOutcome.EXPIRED


def test_suspended_and_revoked_cards_say_so_before_any_lock_or_expiry() -> None:
    locked = a_card(failed_attempts=3)
    assert locked.suspended().refusal(date(2040, 1, 1)) is PinOutcome.SUSPENDED
    assert locked.revoked().refusal(date(2040, 1, 1)) is PinOutcome.REVOKED


def test_a_suspended_card_can_be_resumed_and_a_revoked_one_never_changes_again() -> None:
    assert a_card().suspended().resumed().state is CardState.VALID
    with pytest.raises(Conflict, match="not suspended"):
        a_card().resumed()
    with pytest.raises(Conflict, match="already suspended"):
        a_card().suspended().suspended()
    revoked = a_card().revoked()
    for change in (Card.suspended, Card.revoked, lambda c: c.with_new_pin("h", TODAY)):
        with pytest.raises(Conflict, match="revoked"):
            change(revoked)


def test_a_new_pin_unlocks_a_locked_card_but_not_a_suspended_or_expired_one() -> None:
    unlocked = a_card(failed_attempts=3).with_new_pin("new", TODAY)
    assert (unlocked.pin_hash, unlocked.attempts_left) == ("new", 3)
    with pytest.raises(Conflict, match="resume it first"):
        a_card().suspended().with_new_pin("new", TODAY)
    with pytest.raises(Conflict, match="expired"):
        a_card().with_new_pin("new", date(2031, 3, 1))


def test_continued_use_is_possible_until_the_ninetieth_day_after_the_move_in() -> None:
    notified = date(2026, 4, 1)
    assert continued_use_deadline(notified) == date(2026, 6, 30)
    assert not too_late_for_continued_use(notified, date(2026, 6, 30))
    assert too_late_for_continued_use(notified, date(2026, 7, 1))


def test_a_move_in_dated_after_today_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        too_late_for_continued_use(date(2026, 11, 24), TODAY)
    assert refused.value.field == "moved_in_notified_on"


def test_a_holder_is_checked_like_the_register_checks_people() -> None:
    with pytest.raises(InvalidValue) as refused:
        CardHolder.of("47182059363", "山田 花子", "1990-01-02", TODAY)
    assert refused.value.field == "resident_code"
    with pytest.raises(InvalidValue, match="future"):
        CardHolder.of("47182059362", "山田 花子", "2027-01-02", TODAY)
