"""Names are stored exactly as the 戸籍 writes them; furigana is stored as full-width katakana."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jukinet.domain.errors import InvalidValue
from jukinet.domain.identity import NAME_LIMIT
from jukinet.domain.residents import PersonName
from jukinet.domain.text import clean_text, to_katakana

IVS = "\U000e0100"  # VARIATION SELECTOR-17, the first ideographic variation selector
KATSURA_WITH_IVS = "葛" + IVS


@pytest.mark.parametrize(
    "name",
    ["髙橋", "山﨑", "\U00020bb7田", KATSURA_WITH_IVS + "城", "渡邊" + "\ufe00"],
    ids=["hashigo-taka", "tatsu-saki", "tsuchi-yoshi", "ivs", "svs"],
)
def test_variant_glyphs_are_kept_exactly(name: str) -> None:
    person = PersonName.of(name, "太郎")
    assert person.family == name
    assert person.family.encode("utf-8") == name.encode("utf-8")


@pytest.mark.parametrize(
    ("keyed", "stored"),
    [
        ("\u3000髙橋\u3000", "髙橋"),
        ("  山﨑 ", "山﨑"),
        (" \u3000" + KATSURA_WITH_IVS + "\u3000 ", KATSURA_WITH_IVS),
        ("\t𠮷田\n", "𠮷田"),
    ],
)
def test_spaces_around_a_name_are_trimmed(keyed: str, stored: str) -> None:
    assert clean_text("family_name", keyed, max_length=NAME_LIMIT) == stored


def test_spaces_inside_a_name_are_kept() -> None:
    assert clean_text("alias", "John\u3000Smith", max_length=NAME_LIMIT) == "John\u3000Smith"


@pytest.mark.parametrize("keyed", ["", "   ", "\u3000\u3000", " \u3000\t", None])
def test_empty_or_blank_names_are_refused(keyed: object) -> None:
    with pytest.raises(InvalidValue) as caught:
        clean_text("family_name", keyed, max_length=NAME_LIMIT)
    assert caught.value.field == "family_name"
    assert "empty" in caught.value.problem


def test_an_optional_blank_field_becomes_empty() -> None:
    assert clean_text("former_surname", "\u3000", max_length=NAME_LIMIT, required=False) == ""


@pytest.mark.parametrize(
    "char",
    [
        "\x00",  # NUL (Cc)
        "\x07",  # BEL (Cc)
        "\x1b",  # ESC (Cc)
        "\u202e",  # RIGHT-TO-LEFT OVERRIDE (Cf): would reverse what a clerk sees
        "\ufeff",  # ZERO WIDTH NO-BREAK SPACE (Cf)
        "\u2028",  # LINE SEPARATOR (Zl)
        "\ue000",  # private use (Co)
    ],
)
def test_control_format_and_private_characters_are_refused(char: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        clean_text("given_name", f"太{char}郎", max_length=NAME_LIMIT)
    assert caught.value.field == "given_name"
    assert f"U+{ord(char):04X} at 2" in caught.value.problem


def test_non_text_is_refused_naming_its_type() -> None:
    with pytest.raises(InvalidValue) as caught:
        clean_text("family_name", 42, max_length=NAME_LIMIT)
    assert caught.value.field == "family_name"
    assert "int" in caught.value.problem


def test_over_long_names_are_refused_with_the_field() -> None:
    clean_text("family_name", "山" * NAME_LIMIT, max_length=NAME_LIMIT)
    with pytest.raises(InvalidValue) as caught:
        clean_text("family_name", "山" * (NAME_LIMIT + 1), max_length=NAME_LIMIT)
    assert caught.value.field == "family_name"
    assert caught.value.problem == f"is {NAME_LIMIT + 1} characters long; the limit is {NAME_LIMIT}"


def test_a_base_and_its_variation_selector_count_as_one_character() -> None:
    assert clean_text("family_name", KATSURA_WITH_IVS, max_length=1) == KATSURA_WITH_IVS
    assert len(KATSURA_WITH_IVS * NAME_LIMIT) == 2 * NAME_LIMIT
    PersonName.of(KATSURA_WITH_IVS * NAME_LIMIT, "")
    with pytest.raises(InvalidValue, match="is 2 characters long; the limit is 1"):
        clean_text("family_name", KATSURA_WITH_IVS * 2, max_length=1)


def test_a_non_bmp_kanji_counts_as_one_character() -> None:
    assert clean_text("family_name", "\U00020bb7", max_length=1) == "\U00020bb7"


@pytest.mark.parametrize("keyed", ["やまだ", "ヤマダ", "ﾔﾏﾀﾞ", "\u3000やまだ "])
def test_furigana_in_any_kana_is_stored_as_katakana(keyed: str) -> None:
    assert to_katakana("family_name_kana", keyed, max_length=20) == "ヤマダ"


def test_furigana_keeps_the_space_between_words_as_full_width() -> None:
    assert to_katakana("alias_kana", "じょん ｽﾐｽ", max_length=20) == "ジョン\u3000スミス"


def test_furigana_accepts_long_vowel_marks_and_small_kana() -> None:
    assert to_katakana("given_name_kana", "しょーた", max_length=20) == "ショータ"


@pytest.mark.parametrize("keyed", ["山田", "やま田", "yamada", "ヤマダ1"])
def test_furigana_with_anything_but_kana_is_refused(keyed: str) -> None:
    with pytest.raises(InvalidValue, match="kana only") as caught:
        to_katakana("family_name_kana", keyed, max_length=20)
    assert caught.value.field == "family_name_kana"


def test_furigana_is_optional_by_default() -> None:
    assert to_katakana("family_name_kana", "", max_length=20) == ""


# --- properties

name_chars = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FEF),  # CJK unified ideographs
    st.characters(min_codepoint=0x20000, max_codepoint=0x2A6D6),  # extension B (𠮷 …)
    st.sampled_from("髙﨑々ヶ・ー"),
)
base_with_selector = st.tuples(
    name_chars, st.characters(min_codepoint=0xE0100, max_codepoint=0xE01EF)
)
names = st.lists(
    st.one_of(name_chars, base_with_selector.map("".join)), min_size=1, max_size=NAME_LIMIT
).map("".join)


@settings(max_examples=200, deadline=None)
@given(name=names, before=st.text(" \u3000", max_size=3), after=st.text(" \u3000", max_size=3))
def test_any_kanji_name_is_stored_exactly_without_its_surrounding_spaces(
    name: str, before: str, after: str
) -> None:
    stored = clean_text("family_name", before + name + after, max_length=NAME_LIMIT)
    assert stored == name
    assert clean_text("family_name", stored, max_length=NAME_LIMIT) == stored


hiragana = st.text(
    st.characters(min_codepoint=0x3041, max_codepoint=0x3096), min_size=1, max_size=30
)


@settings(max_examples=200, deadline=None)
@given(keyed=hiragana)
def test_hiragana_furigana_becomes_the_same_word_in_katakana(keyed: str) -> None:
    stored = to_katakana("family_name_kana", keyed, max_length=30)
    assert len(stored) == len(keyed)
    assert all(unicodedata.name(c).startswith("KATAKANA") for c in stored)
    assert to_katakana("family_name_kana", stored, max_length=30) == stored
    assert [unicodedata.name(c).split()[-1] for c in stored] == [
        unicodedata.name(c).split()[-1] for c in keyed
    ]


# --- rules that were once defects: kept as specifications


def test_half_width_furigana_is_measured_after_conversion() -> None:
    assert to_katakana("family_name_kana", "ﾔﾏﾀﾞ", max_length=3) == "ヤマダ"


def test_a_lone_variation_selector_is_not_a_name() -> None:
    with pytest.raises(InvalidValue):
        clean_text("family_name", IVS, max_length=NAME_LIMIT)
