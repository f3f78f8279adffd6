"""The three public codes: DOMAIN.md §13.2's worked examples, input errors, and what the
check digits can and cannot catch.

The properties restate each formula here, independently of ``jukinet.domain.checkdigits``:
a single-digit substitution or an adjacent transposition always changes the weighted
remainder of the body (every weight and every difference of adjacent weights is non-zero
modulo the prime 11), so a change inside the body escapes only when the old and the new
remainder share a check digit — 0 and 1 for modulus 11 (both give 0), 0 and 10 for JIS X 0402
(both give 1). Swapping the last body digit with the check digit is analysed separately below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from jukinet.domain.checkdigits import (
    CheckDigitScheme,
    Modulus11Weights2To7,
    resident_code_scheme,
    use_resident_code_scheme,
)
from jukinet.domain.codes import LocalGovernmentCode, MyNumber, ResidentCode
from jukinet.domain.errors import InvalidCheckDigit, InvalidCode

Code = ResidentCode | MyNumber | LocalGovernmentCode


@dataclass(frozen=True)
class Formula:
    """One scheme restated from DOMAIN.md: weights left to right over the body."""

    code: Callable[[str], Code]
    from_body: Callable[[str], Code]
    field: str
    weights: tuple[int, ...]
    digit_for: Callable[[int], int]
    # The two remainders that give the same check digit.
    blind_pair: frozenset[int]
    # (remainder before, remainder after) when swapping the last body digit with the check
    # digit goes unnoticed; worked out by hand, confirmed exhaustively by
    # test_swap_with_check_digit_misses_exactly_these_pairs.
    blind_swaps: frozenset[tuple[int, int]]

    @property
    def length(self) -> int:
        return len(self.weights) + 1

    def remainder(self, body: str) -> int:
        return sum(int(d) * w for d, w in zip(body, self.weights, strict=True)) % 11

    def complete(self, body: str) -> str:
        return body + str(self.digit_for(self.remainder(body)))


def mod11(remainder: int) -> int:
    return 0 if remainder <= 1 else 11 - remainder


def jisx0402(remainder: int) -> int:
    return (11 - remainder) % 10


MY_NUMBER = Formula(
    code=MyNumber,
    from_body=MyNumber.from_body,
    field="my_number",
    weights=(6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2),
    digit_for=mod11,
    blind_pair=frozenset({0, 1}),
    blind_swaps=frozenset({(10, 1), (1, 10)}),
)
RESIDENT_CODE = Formula(
    code=ResidentCode,
    from_body=ResidentCode.from_body,
    field="resident_code",
    weights=(5, 4, 3, 2, 7, 6, 5, 4, 3, 2),
    digit_for=mod11,
    blind_pair=frozenset({0, 1}),
    blind_swaps=frozenset({(10, 1), (1, 10)}),
)
LG_CODE = Formula(
    code=LocalGovernmentCode,
    from_body=LocalGovernmentCode.from_five,
    field="local_government_code",
    weights=(6, 5, 4, 3, 2),
    digit_for=jisx0402,
    blind_pair=frozenset({0, 10}),
    blind_swaps=frozenset({(10, 1), (1, 10), (9, 0), (0, 9)}),
)
FORMULAS = [MY_NUMBER, RESIDENT_CODE, LG_CODE]
FORMULA_IDS = ["my-number", "resident-code", "lg-code"]

WORKED_EXAMPLES = [
    # (formula, full code, remainder of the body per DOMAIN.md §13.2)
    (MY_NUMBER, "123456789018", 3),
    (MY_NUMBER, "983205673214", 7),
    (MY_NUMBER, "123456789000", 1),
    (MY_NUMBER, "123456789050", 0),
    (RESIDENT_CODE, "12345678903", 8),
    (RESIDENT_CODE, "31415926530", 1),
    (RESIDENT_CODE, "12345678830", 0),
    (LG_CODE, "131016", 5),
    (LG_CODE, "012131", 0),
    (LG_CODE, "012050", 1),
    (LG_CODE, "130001", 10),
]


def check(formula: Formula, value: str) -> bool:
    """True if the implementation accepts ``value``; only a check-digit error counts as no."""
    try:
        formula.code(value)
    except InvalidCheckDigit:
        return False
    return True


# --- worked examples


@pytest.mark.parametrize(("formula", "value", "remainder"), WORKED_EXAMPLES)
def test_worked_example_validates(formula: Formula, value: str, remainder: int) -> None:
    assert formula.remainder(value[:-1]) == remainder
    assert formula.code(value).value == value
    assert formula.from_body(value[:-1]).value == value


@pytest.mark.parametrize(("formula", "value", "remainder"), WORKED_EXAMPLES)
def test_worked_example_with_a_wrong_last_digit_names_expected_and_given(
    formula: Formula, value: str, remainder: int
) -> None:
    right = int(value[-1])
    for wrong in (d for d in range(10) if d != right):
        with pytest.raises(InvalidCheckDigit) as caught:
            formula.code(value[:-1] + str(wrong))
        assert caught.value.expected == right
        assert caught.value.given == wrong
        assert caught.value.field == formula.field
        assert f"should be {right}, but it is {wrong}" in str(caught.value)


def test_resident_code_parse_reports_the_callers_field() -> None:
    with pytest.raises(InvalidCheckDigit) as caught:
        ResidentCode.parse("12345678904", "certificate.resident_code")
    assert caught.value.field == "certificate.resident_code"
    assert (caught.value.expected, caught.value.given) == (3, 4)


def test_codes_order_and_print_as_their_digits() -> None:
    assert str(MyNumber("123456789018")) == "123456789018"
    assert ResidentCode("12345678830") < ResidentCode("12345678903")


def test_local_government_code_parts() -> None:
    chiyoda, tokyo = LocalGovernmentCode("131016"), LocalGovernmentCode("130001")
    assert (chiyoda.prefecture, chiyoda.five, chiyoda.is_prefecture) == ("13", "13101", False)
    assert tokyo.is_prefecture


# --- malformed input


@pytest.mark.parametrize("formula", FORMULAS, ids=FORMULA_IDS)
@pytest.mark.parametrize("delta", [-1, +1])
def test_wrong_length_says_how_many_digits(formula: Formula, delta: int) -> None:
    value = "1" * (formula.length + delta)
    with pytest.raises(InvalidCode) as caught:
        formula.code(value)
    assert type(caught.value) is InvalidCode
    assert caught.value.field == formula.field
    assert caught.value.problem == f"must be {formula.length} digits, got {len(value)}"


@pytest.mark.parametrize(
    ("formula", "value"),
    [
        (MY_NUMBER, "１２３４５６７８９０１８"),
        (RESIDENT_CODE, "１２３４５６７８９０３"),
        (LG_CODE, "１３１０１６"),
        (MY_NUMBER, "12345678901８"),  # one stray full-width digit is enough
    ],
)
def test_full_width_digits_are_refused_with_a_hint(formula: Formula, value: str) -> None:
    with pytest.raises(InvalidCode, match="non-ASCII") as caught:
        formula.code(value)
    assert "full-width" in caught.value.problem


@pytest.mark.parametrize(
    "value",
    [
        "١٢٣٤٥٦٧٨٩٠١٨",  # Arabic-Indic digits: str.isdigit() says yes, we say no
        "12345678901é",
        "12345678901\u00a0",
    ],
)
def test_other_non_ascii_is_refused_without_the_full_width_hint(value: str) -> None:
    with pytest.raises(InvalidCode, match="non-ASCII") as caught:
        MyNumber(value)
    assert "full-width" not in caught.value.problem


@pytest.mark.parametrize(
    "value", ["12345678901a", "1234-5678-901", " 123456789018", "", "+1234567890"]
)
def test_letters_and_punctuation_are_refused(value: str) -> None:
    with pytest.raises(InvalidCode) as caught:
        MyNumber(value)
    assert type(caught.value) is InvalidCode
    if value:
        assert caught.value.problem == f"{value!r} must contain digits only"


@pytest.mark.parametrize("value", [123456789018, None, b"123456789018", ["1"]])
def test_non_strings_are_refused_naming_their_type(value: object) -> None:
    with pytest.raises(InvalidCode) as caught:
        MyNumber.parse(value, "body.my_number")
    assert caught.value.field == "body.my_number"
    assert type(value).__name__ in caught.value.problem


# --- the formula itself


@pytest.mark.parametrize("formula", FORMULAS, ids=FORMULA_IDS)
def test_only_the_blind_pair_of_remainders_shares_a_check_digit(formula: Formula) -> None:
    by_digit: dict[int, set[int]] = {}
    for remainder in range(11):
        by_digit.setdefault(formula.digit_for(remainder), set()).add(remainder)
    shared = [group for group in by_digit.values() if len(group) > 1]
    assert shared == [set(formula.blind_pair)]


@pytest.mark.parametrize("formula", FORMULAS, ids=FORMULA_IDS)
def test_every_change_moves_the_body_remainder(formula: Formula) -> None:
    """Why substitutions and transpositions inside the body always change the remainder."""
    weights = formula.weights
    assert all(w % 11 for w in weights)
    assert all((a - b) % 11 for a, b in pairwise(weights))


def bodies(formula: Formula) -> st.SearchStrategy[str]:
    size = len(formula.weights)
    return st.text(alphabet="0123456789", min_size=size, max_size=size)


@pytest.mark.parametrize("formula", FORMULAS, ids=FORMULA_IDS)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_every_code_built_from_a_body_validates(formula: Formula, data: st.DataObject) -> None:
    body = data.draw(bodies(formula))
    built = formula.from_body(body)
    assert built.value == formula.complete(body)
    assert formula.code(built.value) == built


@pytest.mark.parametrize("formula", FORMULAS, ids=FORMULA_IDS)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_single_digit_substitution_is_caught_unless_remainders_collide(
    formula: Formula, data: st.DataObject
) -> None:
    code = formula.complete(data.draw(bodies(formula), label="body"))
    position = data.draw(st.integers(0, formula.length - 1), label="position")
    digit = data.draw(st.sampled_from([d for d in "0123456789" if d != code[position]]))
    changed = code[:position] + digit + code[position + 1 :]

    if position == formula.length - 1:
        # Same body, other check digit: the body decides the digit, so this is always caught.
        assert not check(formula, changed)
        return
    before, after = formula.remainder(code[:-1]), formula.remainder(changed[:-1])
    assert before != after
    assert check(formula, changed) == ({before, after} == formula.blind_pair)


@pytest.mark.parametrize("formula", FORMULAS, ids=FORMULA_IDS)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_adjacent_transposition_is_caught_unless_remainders_collide(
    formula: Formula, data: st.DataObject
) -> None:
    code = formula.complete(data.draw(bodies(formula), label="body"))
    candidates = [i for i in range(formula.length - 1) if code[i] != code[i + 1]]
    assume(candidates)
    position = data.draw(st.sampled_from(candidates), label="position")
    changed = code[:position] + code[position + 1] + code[position] + code[position + 2 :]

    before, after = formula.remainder(code[:-1]), formula.remainder(changed[:-1])
    assert before != after
    if position == formula.length - 2:
        assert check(formula, changed) == ((before, after) in formula.blind_swaps)
    else:
        assert check(formula, changed) == ({before, after} == formula.blind_pair)


# The misses do happen: one real example of each kind.
@pytest.mark.parametrize(
    ("formula", "value", "changed"),
    [
        (MY_NUMBER, "123456789000", "123456789050"),  # remainders 1 → 0, both check 0
        (RESIDENT_CODE, "12345678830", "21345678830"),  # transposition: remainders 0 → 1
        (LG_CODE, "012131", "012181"),  # remainders 0 → 10, both check 1
        (MY_NUMBER, "123456789301", "123456789310"),  # swap with the check digit: 10 → 1
        (LG_CODE, "131512", "131521"),  # swap with the check digit: 9 → 0
    ],
)
def test_collisions_the_schemes_cannot_catch(formula: Formula, value: str, changed: str) -> None:
    assert formula.code(value).value == value
    assert formula.code(changed).value == changed


@pytest.mark.parametrize("formula", FORMULAS, ids=FORMULA_IDS)
def test_swap_with_check_digit_misses_exactly_these_pairs(formula: Formula) -> None:
    """Swapping the last body digit d with the check digit c adds 2(c − d) to the remainder.

    Exhaustively over every (remainder, last digit) pair, the swap goes unnoticed only for the
    remainder pairs listed in ``blind_swaps``: for modulus 11 the digits 0 and 1 at remainders
    10 ↔ 1; for JIS X 0402 also the digits 1 and 2 at remainders 9 ↔ 0.
    """
    misses = set()
    for before in range(11):
        checkdigit = formula.digit_for(before)
        for last in range(10):
            if last == checkdigit:
                continue
            after = (before + 2 * (checkdigit - last)) % 11
            if formula.digit_for(after) == last:
                misses.add((before, after))
    assert misses == formula.blind_swaps


# --- the pluggable 住民票コード scheme


class AlwaysSeven:
    name = "always-seven"

    def check_digit(self, body: str) -> int:
        return 7


@pytest.fixture
def always_seven() -> Iterator[CheckDigitScheme]:
    scheme = AlwaysSeven()
    previous = use_resident_code_scheme(scheme)
    try:
        yield scheme
    finally:
        use_resident_code_scheme(previous)


def test_the_resident_code_scheme_can_be_swapped(always_seven: CheckDigitScheme) -> None:
    assert resident_code_scheme() is always_seven
    assert ResidentCode.from_body("1234567890").value == "12345678907"
    with pytest.raises(InvalidCheckDigit) as caught:
        ResidentCode("12345678903")
    assert caught.value.expected == 7
    # My Number keeps its confirmed formula whatever the resident-code scheme is.
    assert MyNumber("123456789018").value == "123456789018"


def test_swapping_returns_the_previous_scheme() -> None:
    original = resident_code_scheme()
    replacement = Modulus11Weights2To7()
    try:
        assert use_resident_code_scheme(replacement) is original
        assert resident_code_scheme() is replacement
    finally:
        use_resident_code_scheme(original)
    assert ResidentCode("12345678903").value == "12345678903"
