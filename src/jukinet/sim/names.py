"""Japanese names whose kanji, kana and romaji belong together.

Faker's ja_JP draws the kanji and the reading independently, which gives names no clerk would
accept; gimei's data keeps each written form with its reading, so we draw whole rows from it.
We read the file ourselves because gimei's own API draws from the global ``random``.

A configurable share of family names is written with the variant glyphs a 戸籍 may hold
(髙橋, 山﨑, 𠮷田, 渡邊), so that demos and tests meet them; their readings do not change.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

import jaconv
import yaml

Sex = Literal["male", "female"]

# Standard kanji and the registered variant some families write instead.
VARIANT_GLYPHS = {"高": "髙", "崎": "﨑", "吉": "\U00020bb7", "辺": "邊"}
DEFAULT_VARIANT_SHARE = 0.02
_TO_VARIANTS = str.maketrans("".join(VARIANT_GLYPHS), "".join(VARIANT_GLYPHS.values()))

_Row = tuple[str, str, str]  # kanji, hiragana, katakana


@dataclass(frozen=True, slots=True)
class SyntheticName:
    """A name as written (possibly with variant glyphs), its katakana reading and its romaji."""

    family: str
    given: str
    family_kana: str
    given_kana: str
    romaji: str


@dataclass(frozen=True, slots=True)
class _NameData:
    family: tuple[_Row, ...]
    family_with_variants: tuple[_Row, ...]
    given: dict[Sex, tuple[_Row, ...]]


def _rows(raw: Any) -> tuple[_Row, ...]:
    return tuple((str(kanji), str(hiragana), str(katakana)) for kanji, hiragana, katakana in raw)


@cache
def _name_data() -> _NameData:
    text = resources.files("gimei").joinpath("data", "names.yml").read_text("utf-8")
    # The C loader is as safe as yaml.safe_load and parses the 13,000 rows four times faster.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(text, Loader=loader)
    family = _rows(raw["last_name"])
    return _NameData(
        family=family,
        family_with_variants=tuple(row for row in family if _has_variant_form(row[0])),
        given={
            "male": _rows(raw["first_name"]["male"]),
            "female": _rows(raw["first_name"]["female"]),
        },
    )


def _has_variant_form(kanji: str) -> bool:
    return any(char in VARIANT_GLYPHS for char in kanji)


@cache
def _romaji(hiragana: str) -> str:
    return str(jaconv.kana2alphabet(hiragana)).capitalize()


def _compose(family: _Row, given: _Row, *, family_written: str | None = None) -> SyntheticName:
    return SyntheticName(
        family=family_written or family[0],
        given=given[0],
        family_kana=family[2],
        given_kana=given[2],
        romaji=f"{_romaji(family[1])} {_romaji(given[1])}",
    )


def draw_name(
    rng: random.Random, sex: Sex, *, variant_share: float = DEFAULT_VARIANT_SHARE
) -> SyntheticName:
    """A family and a given name; ``variant_share`` of family names use variant glyphs."""
    data = _name_data()
    if rng.random() < variant_share:
        family = rng.choice(data.family_with_variants)
        written = family[0].translate(_TO_VARIANTS)
        return _compose(family, rng.choice(data.given[sex]), family_written=written)
    return _compose(rng.choice(data.family), rng.choice(data.given[sex]))


def draw_name_in_family(rng: random.Random, sex: Sex, family: SyntheticName) -> SyntheticName:
    """A new given name under ``family``'s family name, written exactly as ``family`` writes it."""
    given = rng.choice(_name_data().given[sex])
    family_romaji = family.romaji.split(" ", 1)[0]
    return SyntheticName(
        family=family.family,
        given=given[0],
        family_kana=family.family_kana,
        given_kana=given[2],
        romaji=f"{family_romaji} {_romaji(given[1])}",
    )


def family_of(family: str, family_kana: str) -> SyntheticName:
    """A recorded family name (as written, with its katakana) to draw relatives' names under."""
    romaji = _romaji(str(jaconv.kata2hira(family_kana)))
    return SyntheticName(
        family=family, given="", family_kana=family_kana, given_kana="", romaji=romaji
    )
