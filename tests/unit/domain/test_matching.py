"""Search keys: the written forms a person would call the same name or address meet."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jukinet.domain.matching import VARIANT_KANJI, address_key, kana_key, name_key

IVS = "\U000e0100"


@pytest.mark.parametrize(
    ("written", "searched"),
    [
        ("髙橋", "高橋"),
        ("山﨑", "山崎"),
        ("𠮷田", "吉田"),
        ("渡邊", "渡辺"),
        ("渡邉", "渡辺"),
        ("齋藤", "斎藤"),
        ("齊藤", "斎藤"),
        ("葛" + IVS + "飾", "葛飾"),
        ("山田\u3000太郎", "山田 太郎"),
        ("ＳＭＩＴＨ　ＪＯＨＮ", "smith john"),
    ],
)
def test_a_name_and_its_variant_forms_share_one_key(written: str, searched: str) -> None:
    assert name_key(written) == name_key(searched)


def test_different_names_keep_different_keys() -> None:
    assert name_key("高橋") != name_key("高楠")
    assert name_key("吉田") != name_key("古田")


@pytest.mark.parametrize("written", ["タカハシ", "たかはし", "ﾀｶﾊｼ", "タカ　ハシ"])
def test_furigana_in_any_script_or_width_share_one_key(written: str) -> None:
    assert kana_key(written) == "タカハシ"


def test_small_kana_fold_to_full_size_in_furigana() -> None:
    assert kana_key("きょうこ") == kana_key("キヨウコ")


@pytest.mark.parametrize(
    "written",
    [
        "東京都千代田区丸の内二丁目3番4号",
        "東京都千代田区丸の内2丁目3番4号",
        "東京都千代田区丸の内２－３－４",
        "東京都千代田区丸の内2-3-4",
        "東京都千代田区丸の内 2丁目 3番 4号",
    ],
)
def test_an_address_numbered_in_any_usual_way_has_one_key(written: str) -> None:
    assert address_key(written) == "東京都千代田区丸の内2-3-4"


def test_kanji_numerals_with_ten_fold_to_digits() -> None:
    assert address_key("札幌市中央区北十二丁目") == address_key("札幌市中央区北12丁目")
    assert address_key("北二十一丁目") == "北21"


def test_different_addresses_keep_different_keys() -> None:
    assert address_key("丸の内2-3-4") != address_key("丸の内2-3-5")


def test_every_variant_folds_to_a_form_that_does_not_fold_again() -> None:
    assert all(name_key(target) == target for target in VARIANT_KANJI.values())


@given(st.text(max_size=30))
def test_keys_are_stable_when_folded_again(text: str) -> None:
    assert name_key(name_key(text)) == name_key(text)
    assert kana_key(kana_key(text)) == kana_key(text)
