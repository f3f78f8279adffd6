"""Deriving a 個人番号 from a 住民票コード (番号法8条, DOMAIN.md §2 and §13.2).

The statute asks three things of the conversion: every number differs from every other (the
issuance table then also keeps retired ones out), it is obtained from the code, and nothing in
it lets the code be recovered. These tests show the deriver's share of that: well-formed
numbers, a fixed mapping per key and counter, a bijection of the 11-digit space at each
counter (an inverse written here from the Feistel structure recovers every code, so no two
codes can share a number), and no visible trace of the code in the number without the key.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jukinet.domain.codes import MyNumber, ResidentCode
from jukinet.nodes.national.numbering import MyNumberDeriver

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))

ROUNDS = 10
LEFT_DIGITS, RIGHT_DIGITS = 5, 6

resident_codes = st.integers(0, 10**10 - 1).map(
    lambda body: ResidentCode.from_body(f"{body:010d}").value
)
counters = st.integers(0, 1_000)


@pytest.fixture(scope="module")
def deriver() -> MyNumberDeriver:
    return MyNumberDeriver(KEY)


def inverse(deriver: MyNumberDeriver, body: str, counter: int) -> str:
    """Undo the ten Feistel rounds with the deriver's own round function (so: with the key).

    A round maps (left, right) to (right, (left + F(right)) mod m); knowing the new pair, the
    old right is the new left and the old left is (new right − F(new left)) mod m.
    """
    left, right = divmod(int(body), 10**RIGHT_DIGITS)
    for index in reversed(range(ROUNDS)):
        modulus = 10 ** (LEFT_DIGITS if index % 2 == 0 else RIGHT_DIGITS)
        left, right = (right - deriver._round(counter, index, left, modulus)) % modulus, left
    return f"{left:0{LEFT_DIGITS}d}{right:0{RIGHT_DIGITS}d}"


def check_digit(body: str) -> str:
    """DOMAIN.md §1's 住民票コード formula, restated to build many codes quickly."""
    total = sum(int(d) * w for d, w in zip(body, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2), strict=True))
    remainder = total % 11
    return "0" if remainder <= 1 else str(11 - remainder)


@given(resident_codes, counters)
def test_every_number_is_twelve_digits_with_a_valid_check_digit(
    deriver: MyNumberDeriver, code: str, counter: int
) -> None:
    number = deriver.number(code, counter)

    assert MyNumber(number).value == number
    assert number[:11] == deriver.body(code, counter)


@given(resident_codes, counters)
def test_the_same_key_always_derives_the_same_number(
    deriver: MyNumberDeriver, code: str, counter: int
) -> None:
    assert MyNumberDeriver(KEY).number(code, counter) == deriver.number(code, counter)


def test_another_key_derives_other_numbers(deriver: MyNumberDeriver) -> None:
    others = MyNumberDeriver(OTHER_KEY)
    rng = random.Random(1)
    codes = [ResidentCode.from_body(f"{rng.randrange(10**10):010d}").value for _ in range(1_000)]

    # Two keys agreeing on a code by chance has probability 1e-11 per code.
    assert all(deriver.number(c) != others.number(c) for c in codes)


@given(resident_codes)
def test_each_counter_derives_another_number_for_the_same_code(
    deriver: MyNumberDeriver, code: str
) -> None:
    numbers = {deriver.number(code, counter) for counter in range(20)}

    assert len(numbers) == 20


@given(resident_codes, counters)
def test_the_derivation_is_a_permutation_that_the_key_undoes(
    deriver: MyNumberDeriver, code: str, counter: int
) -> None:
    assert inverse(deriver, deriver.body(code, counter), counter) == code


@given(resident_codes)
def test_without_the_key_the_inverse_does_not_recover_the_code(
    deriver: MyNumberDeriver, code: str
) -> None:
    assert inverse(MyNumberDeriver(OTHER_KEY), deriver.body(code), 0) != code


def test_a_short_or_missing_key_is_refused() -> None:
    with pytest.raises(ValueError, match="32 to 64 bytes"):
        MyNumberDeriver(b"too short")


def test_a_million_codes_get_a_million_different_numbers(deriver: MyNumberDeriver) -> None:
    """Uniqueness at the scale of a large city's population, beyond what the inverse shows.

    The body decides the number (the check digit is a function of it), so distinct bodies are
    distinct numbers.
    """
    rng = random.Random(2024)
    bodies = (f"{b:010d}" for b in rng.sample(range(10**10), 1_000_000))
    codes = [body + check_digit(body) for body in bodies]
    assert all(ResidentCode(code) for code in codes[:1_000])

    numbers = {deriver.body(code) for code in codes}

    assert len(numbers) == len(codes) == 1_000_000


def test_neighbouring_codes_get_unrelated_numbers(deriver: MyNumberDeriver) -> None:
    """Avalanche: change one digit of a code, and every digit of the number changes as if
    drawn afresh — for two independent random digits that is nine times in ten.

    Were the number to keep some digits, or move little, for nearby codes, a number would
    narrow down the code it came from.
    """
    rng = random.Random(11)
    pairs = 4_000
    changed = [0] * 11
    for _ in range(pairs):
        body = [rng.choice("0123456789") for _ in range(10)]
        neighbour = list(body)
        position = rng.randrange(10)
        neighbour[position] = rng.choice("0123456789".replace(body[position], ""))
        a, b = (
            deriver.body(ResidentCode.from_body("".join(digits)).value)
            for digits in (body, neighbour)
        )
        for i in range(11):
            changed[i] += a[i] != b[i]

    rates = [c / pairs for c in changed]
    # One standard deviation of a rate over 4,000 pairs is 0.005; allow eight.
    assert all(abs(rate - 0.9) < 0.04 for rate in rates), rates
    assert abs(sum(rates) - 9.9) < 0.1, sum(rates)
