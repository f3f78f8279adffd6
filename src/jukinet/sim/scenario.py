"""The demo's story: a small country is populated, then lives for a while.

Everything goes through the same use cases a clerk's request would: residents are recorded
(職権記載 for the people already living there), then births, deaths, moves within a
municipality, moves to another municipality in the same prefecture and in another prefecture
(転出 → 転入 with the certificate), a foreign resident's registration, a marriage, a new
household, a change of 住民票コード and of 個人番号 after a leak.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy import func, select

from jukinet.bootstrap import Node
from jukinet.deployments import Deployment
from jukinet.domain.identity import Sex
from jukinet.domain.residents import Resident
from jukinet.nodes.municipal import amendments, arrivals, codes, departures
from jukinet.nodes.municipal.codes import CodeSupply
from jukinet.sim.addresses import draw_address
from jukinet.sim.foreign_residents import draw_foreign_resident
from jukinet.sim.names import draw_name, draw_name_in_family, family_of
from jukinet.sim.population import SyntheticPerson, generate_households

Progress = Callable[[str, int, int], None]
OPERATOR = "demo-clerk"


def _quiet(_: str, __: int, ___: int) -> None:
    return None


@dataclass
class Person:
    """What the story remembers of someone it registered."""

    code: str
    municipality: str
    household_id: str
    family: str
    family_kana: str
    sex: Sex
    birth_date: date
    address: str
    relationship: str


@dataclass
class StoryLog:
    steps: list[tuple[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def note(self, kind: str, text: str) -> None:
        self.steps.append((kind, text))
        self.counts[kind] = self.counts.get(kind, 0) + 1


def _form(person: SyntheticPerson, address: str, began: date, **extra: Any) -> dict[str, Any]:
    return {
        "family_name": person.name.family,
        "given_name": person.name.given,
        "family_name_kana": person.name.family_kana,
        "given_name_kana": person.name.given_kana,
        "birth_date": person.birth_date.isoformat(),
        "sex": person.sex,
        "address": address,
        "arrived_on": max(began, person.birth_date).isoformat(),
        **extra,
    }


class Story:
    def __init__(
        self, country: Deployment, seed: int, today: date, progress: Progress = _quiet
    ) -> None:
        self.country = country
        self.rng = random.Random(seed)
        self.today = today
        self.progress = progress
        self.people: list[Person] = []
        self.log = StoryLog()

    def _supply(self, code: str) -> CodeSupply:
        return _supply_of(self.country.municipality(code))

    def _remember(self, resident: Resident) -> Person:
        person = Person(
            resident.resident_code,
            resident.municipality_code,
            resident.household_id,
            resident.name.family,
            resident.name.family_kana,
            resident.sex,
            resident.birth_date,
            resident.address,
            resident.relationship.value,
        )
        self.people.append(person)
        return person

    def populate(self, people: int) -> None:
        """Record ``people`` residents, spread over the municipalities, in real households."""
        nodes = self.country.municipalities()
        share = max(1, people // len(nodes))
        done = 0
        began = self.today - timedelta(days=365 * 3)
        for node in nodes:
            code = node.entry.municipality_code or ""
            for household in generate_households(self.rng, code, share, self.today):
                head_id = None
                for person, relationship in household.members:
                    extra: dict[str, Any] = {"reason": "ex-officio-record"}
                    if head_id is not None:
                        extra["household"] = {"household_id": head_id, "relationship": relationship}
                    resident = arrivals.record_arrival(
                        _form(person, household.address.text, began, **extra),
                        OPERATOR,
                        _supply_of(node),
                    )
                    head_id = head_id or resident.household_id
                    self._remember(resident)
                    done += 1
                    self.progress("recording residents", done, share * len(nodes))

    def live(self, events: int = 40) -> StoryLog:
        """A stream of register events across the country."""
        steps: list[Callable[[], None]] = (
            [self.birth] * 8
            + [self.death] * 5
            + [self.move_within] * 8
            + [self.move_same_prefecture] * 3
            + [self.move_other_prefecture] * 4
            + [self.foreign_resident] * 3
            + [self.marriage] * 3
            + [self.new_household] * 2
            + [self.code_change, self.my_number_change]
        )
        plan = steps[:]
        while len(plan) < events:
            plan.append(self.rng.choice(steps[:20]))
        self.rng.shuffle(plan)
        for done, step in enumerate(plan[:events], start=1):
            step()
            self.progress("register events", done, events)
        return self.log

    # -- the events ---------------------------------------------------------------------

    def _pick(self, test: Callable[[Person], bool] = lambda p: True) -> Person:
        candidates = [p for p in self.people if test(p)]
        return self.rng.choice(candidates)

    def _age(self, person: Person) -> int:
        return (self.today - person.birth_date).days // 365

    def birth(self) -> None:
        mother = self._pick(
            lambda p: p.sex is Sex.FEMALE and 20 <= self._age(p) <= 44 and not p.family.isascii()
        )
        sex: Literal["male", "female"] = self.rng.choice(("male", "female"))
        name = draw_name_in_family(self.rng, sex, family_of(mother.family, mother.family_kana))
        born = self.today - timedelta(days=self.rng.randint(1, 13))
        baby = arrivals.record_birth(
            {
                "family_name": name.family,
                "given_name": name.given,
                "family_name_kana": name.family_kana,
                "given_name_kana": name.given_kana,
                "birth_date": born.isoformat(),
                "sex": sex,
                "address": mother.address,
                "household": {"household_id": mother.household_id, "relationship": "child"},
            },
            OPERATOR,
            self._supply(mother.municipality),
        )
        self._remember(baby)
        self.log.note(
            "出生", f"{name.family}　{name.given} ({baby.resident_code}) in {mother.municipality}"
        )

    def death(self) -> None:
        person = self._pick(lambda p: self._age(p) >= 60)
        died = self.today - timedelta(days=self.rng.randint(1, 6))
        departures.record_death(
            {"resident_code": person.code, "died_on": died.isoformat()},
            OPERATOR,
            self._supply(person.municipality),
        )
        self.people.remove(person)
        self.log.note("死亡", f"{person.code} in {person.municipality}")

    def move_within(self) -> None:
        person = self._pick()
        address = draw_address(self.rng, person.municipality).text
        moved = amendments.record_move_within(
            {
                "resident_code": person.code,
                "address": address,
                "moved_on": (self.today - timedelta(days=3)).isoformat(),
            },
            OPERATOR,
            self._supply(person.municipality),
        )
        for member in self.people:
            if member.code in moved:
                member.address = address
        self.log.note("転居", f"{_people(len(moved))} in {person.municipality}")

    def _move(self, person: Person, destination: str) -> None:
        """The person's whole household moves out, then in at ``destination``, head first."""
        household = sorted(
            (p for p in self.people if p.household_id == person.household_id),
            key=lambda p: p.relationship != "head",
        )
        head_moves = household[0].relationship == "head"
        address = draw_address(self.rng, destination).text
        planned = self.today - timedelta(days=10)
        new_household = None
        for member in household:
            out = departures.record_move_out(
                {
                    "resident_code": member.code,
                    "destination": address,
                    "planned_on": planned.isoformat(),
                    "notified_on": (planned - timedelta(days=5)).isoformat(),
                },
                OPERATOR,
                self._supply(member.municipality),
            )
            assert out.certificate is not None
            form: dict[str, Any] = {
                "certificate": out.certificate.to_wire(),
                "family_name": out.certificate.family_name,
                "given_name": out.certificate.given_name,
                "birth_date": member.birth_date.isoformat(),
                "sex": member.sex.value,
                "address": address,
                "moved_in_on": (planned + timedelta(days=1)).isoformat(),
            }
            if new_household is not None:
                relationship = member.relationship if head_moves else "relative"
                form["household"] = {"household_id": new_household, "relationship": relationship}
            result = arrivals.record_move_in(form, OPERATOR, self._supply(destination))
            new_household = new_household or result.resident.household_id
            self.people.remove(member)
            self._remember(result.resident)
        self.log.note(
            "転出・転入", f"{len(household)} people {person.municipality} → {destination}"
        )

    def move_same_prefecture(self) -> None:
        self._move_between(same_prefecture=True)

    def move_other_prefecture(self) -> None:
        self._move_between(same_prefecture=False)

    def _move_between(self, same_prefecture: bool) -> None:
        codes_ = [n.entry.municipality_code or "" for n in self.country.municipalities()]
        person = self._pick()
        options = [
            c
            for c in codes_
            if c != person.municipality and (c[:2] == person.municipality[:2]) == same_prefecture
        ]
        if not options:
            options = [c for c in codes_ if c != person.municipality]
        self._move(person, self.rng.choice(options))

    def foreign_resident(self) -> None:
        node = self.rng.choice(self.country.municipalities())
        code = node.entry.municipality_code or ""
        foreigner = draw_foreign_resident(self.rng, self.today)
        family, _, given = foreigner.name.replace("\u3000", " ").partition(" ")
        kana_family, _, kana_given = foreigner.name_kana.partition("\u3000")
        arrived = self.today - timedelta(days=self.rng.randint(1, 10))
        expires = foreigner.stay_expires_on
        permanent = expires is None
        resident = arrivals.record_arrival(
            {
                "reason": "foreign-resident-registration",
                "family_name": family,
                "given_name": given,
                "family_name_kana": kana_family,
                "given_name_kana": kana_given,
                "birth_date": foreigner.birth_date.isoformat(),
                "sex": foreigner.sex,
                "address": draw_address(self.rng, code).text,
                "arrived_on": arrived.isoformat(),
                "foreign": {
                    "resident_class": "mid-to-long-term" if not permanent else "special-permanent",
                    "nationality": foreigner.nationality,
                    "became_foreign_resident_on": arrived.isoformat(),
                    "residence_status": foreigner.residence_status,
                    "period_of_stay": foreigner.period_of_stay,
                    "stay_expires_on": None if expires is None else expires.isoformat(),
                    "card_number": foreigner.residence_card_number,
                },
            },
            OPERATOR,
            _supply_of(node),
        )
        self._remember(resident)
        self.log.note("外国人住民の記載", f"{foreigner.name} ({foreigner.nationality}) in {code}")

    def marriage(self) -> None:
        person = self._pick(lambda p: p.sex is Sex.FEMALE and 22 <= self._age(p) <= 40)
        spouse = draw_name(self.rng, "male", variant_share=0.0)
        view = self.country.municipality(person.municipality)
        with view.unit_of_work() as uow:
            record = uow.residents.active_by_code(person.code)
        assert record is not None
        amendments.change_name(
            {
                "resident_code": person.code,
                "family_name": spouse.family,
                "given_name": record.name.given,
                "family_name_kana": spouse.family_kana,
                "given_name_kana": record.name.given_kana,
                "former_surname": record.name.family,
                "changed_on": (self.today - timedelta(days=2)).isoformat(),
            },
            OPERATOR,
            self._supply(person.municipality),
        )
        person.family, person.family_kana = spouse.family, spouse.family_kana
        self.log.note("氏名変更", f"{record.name.family} → {spouse.family} ({person.code})")

    def new_household(self) -> None:
        household_sizes: dict[str, int] = {}
        for p in self.people:
            household_sizes[p.household_id] = household_sizes.get(p.household_id, 0) + 1
        person = self._pick(
            lambda p: (
                household_sizes[p.household_id] > 2
                and self._age(p) >= 20
                and p.relationship != "head"
            )
        )
        resident = amendments.change_household(
            {
                "resident_code": person.code,
                "changed_on": (self.today - timedelta(days=1)).isoformat(),
            },
            OPERATOR,
            self._supply(person.municipality),
        )
        person.household_id, person.relationship = resident.household_id, "head"
        self.log.note("世帯変更", f"{person.code} heads a new household (not sent to Juki-net)")

    def code_change(self) -> None:
        person = self._pick()
        new = codes.change_resident_code(
            person.code, self.today, OPERATOR, self._supply(person.municipality)
        )
        self.log.note("住民票コード変更", f"{person.code} → {new}")
        person.code = new

    def my_number_change(self) -> None:
        person = self._pick()
        codes.change_my_number(person.code, self.today, OPERATOR, self._supply(person.municipality))
        self.log.note("個人番号変更", f"new number for {person.code} after a reported leak")


def _supply_of(node: Node) -> CodeSupply:
    if node.supply is None:
        raise ValueError(f"{node.entry.id} is not a municipality node")
    return node.supply


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


def municipality_counts(node: Node) -> dict[str, int]:
    """Residents, households and notified versions held by a municipality node."""
    tables = node.metadata.tables
    with node.engine.connect() as connection:

        def count(name: str, *where: Any) -> int:
            query = select(func.count()).select_from(tables[name])
            return int(connection.execute(query.where(*where) if where else query).scalar_one())

        residents = tables["residents"]
        return {
            "active": count("residents", residents.c.status == "active"),
            "removed": count("residents", residents.c.status == "removed"),
            "versions": count("identity_versions"),
        }
