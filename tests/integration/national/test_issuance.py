"""Issuing codes on the national node's real store (SQLite, or PostgreSQL when
``JUKINET_TEST_DATABASE_URL`` names one): 住民票コード pools and 個人番号.

"Never duplicated, never reused" rests on two tables that are never pruned; these tests try
to make the national node break that — by replaying old codes, by offering a retired number
again, by asking twice at once — and check it never does. The last tests go through the
network: municipalities refill their pools from the national node over the signed protocol.
"""

from __future__ import annotations

import dataclasses
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, Select, func, select
from tests.conftest import TOKYO_CHIYODA, YOKOHAMA_TSURUMI, database_url, on_postgresql

from jukinet.adapters.clock import FixedClock
from jukinet.adapters.storage import migrations
from jukinet.adapters.storage.engines import drop_schema, location_for, make_engine
from jukinet.adapters.storage.tables import METADATA
from jukinet.adapters.storage.units import SqlNationalUnitOfWork
from jukinet.bootstrap import Node
from jukinet.deployments import Deployment
from jukinet.domain.codes import MyNumber, ResidentCode
from jukinet.domain.errors import Conflict
from jukinet.nodes.municipal.codes import CodeSupply
from jukinet.nodes.national import issuance
from jukinet.nodes.national.issuance import grant_codes, issue_my_number, random_resident_code
from jukinet.nodes.national.numbering import MyNumberDeriver
from jukinet.protocol.catalogue import (
    CodePoolRequest,
    MyNumberReason,
    MyNumberRequest,
)

KEY = bytes(range(32))
TABLES = METADATA["national"].tables


class NationalStore:
    """The national node's tables alone: a file on SQLite, a schema of its own on PostgreSQL."""

    def __init__(self, engine: Engine, clock: FixedClock) -> None:
        self.engine = engine
        self.clock = clock

    def unit_of_work(self) -> SqlNationalUnitOfWork:
        return SqlNationalUnitOfWork(self.engine, METADATA["national"], self.clock.now)

    def grant(
        self,
        count: int,
        municipality_code: str = TOKYO_CHIYODA,
        draw: Callable[[], str] = random_resident_code,
    ) -> tuple[str, ...]:
        with self.unit_of_work() as uow:
            grant = grant_codes(uow, CodePoolRequest(municipality_code, count), self.clock, draw)
            uow.commit()
        assert grant.municipality_code == municipality_code
        return grant.codes

    def issue(self, request: MyNumberRequest, deriver: MyNumberDeriver) -> str:
        with self.unit_of_work() as uow:
            issued = issue_my_number(uow, request, deriver, self.clock)
            uow.commit()
        assert issued.resident_code == request.resident_code
        return issued.my_number

    def scalar(self, query: Select[int]) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    def numbers_of(self, resident_code: str) -> dict[str, bool]:
        """Every number ever issued for the code → whether it is retired."""
        t = TABLES["issued_my_numbers"]
        query = select(t.c.my_number, t.c.retired).where(t.c.resident_code == resident_code)
        with self.engine.connect() as connection:
            return {row.my_number: row.retired for row in connection.execute(query)}


@pytest.fixture
def store(tmp_path: Path, clock: FixedClock) -> Iterator[NationalStore]:
    url = database_url() or f"sqlite:///{tmp_path / 'national.db'}"
    location = location_for(url, "national", f"t{secrets.token_hex(4)}_")
    engine = make_engine(location)
    migrations.upgrade(engine, "national")
    yield NationalStore(engine, clock)
    if location.schema is not None:
        drop_schema(engine, location.schema)
    engine.dispose()


@pytest.fixture
def deriver() -> MyNumberDeriver:
    return MyNumberDeriver(KEY)


def replaying(*batches: Iterable[str]) -> Callable[[], str]:
    """A drawing function that returns the given codes in order, then fresh random ones."""
    script = iter([code for batch in batches for code in batch])
    return lambda: next(script, None) or random_resident_code()


def initial(code: str) -> MyNumberRequest:
    return MyNumberRequest(code, MyNumberReason.INITIAL)


def leak(code: str, number: str) -> MyNumberRequest:
    return MyNumberRequest(code, MyNumberReason.LEAK, replaces=number)


class ScriptedDeriver(MyNumberDeriver):
    """Offers chosen candidates first — as if the permutation had landed on them — then the
    real derivation; lets a test aim the next candidate at a number already issued."""

    def __init__(self, *offers: str) -> None:
        super().__init__(KEY)
        self.offers = list(offers)
        self.offered: list[str] = []

    def number(self, resident_code: str, counter: int = 0) -> str:
        candidate = self.offers.pop(0) if self.offers else super().number(resident_code, counter)
        self.offered.append(candidate)
        return candidate


# --- 住民票コード pools ------------------------------------------------------------------------


def test_a_grant_holds_the_requested_number_of_valid_distinct_codes(store: NationalStore) -> None:
    codes = store.grant(500)

    assert len(codes) == len(set(codes)) == 500
    assert all(ResidentCode(code).value == code for code in codes)
    t = TABLES["issued_resident_codes"]
    recorded = select(func.count()).where(t.c.municipality_code == TOKYO_CHIYODA)
    assert store.scalar(recorded) == 500


def test_codes_issued_before_are_redrawn_even_when_the_draw_keeps_offering_them(
    store: NationalStore,
) -> None:
    old = store.grant(20)
    fresh = [random_resident_code() for _ in range(20)]

    # Every old code twice, then the fresh ones: two rounds draw nothing usable.
    replayed = store.grant(20, YOKOHAMA_TSURUMI, draw=replaying(old, old, fresh))

    assert sorted(replayed) == sorted(fresh)
    assert not set(replayed) & set(old)
    assert store.scalar(select(func.count()).select_from(TABLES["issued_resident_codes"])) == 40


def test_a_code_drawn_twice_in_one_grant_is_granted_once(store: NationalStore) -> None:
    twice, other = random_resident_code(), random_resident_code()

    codes = store.grant(2, draw=replaying([twice, twice], [other]))

    assert sorted(codes) == sorted([twice, other])


def test_a_grant_completed_on_the_last_allowed_redraw_is_kept(
    store: NationalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    (old,) = store.grant(1)
    new = random_resident_code()
    monkeypatch.setattr(issuance, "MAX_REDRAWS", 5)

    codes = store.grant(1, draw=replaying([old] * 4, [new]))

    assert codes == (new,)


def test_a_grant_gives_up_with_a_conflict_when_every_draw_was_issued_before(
    store: NationalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    (old,) = store.grant(1)
    monkeypatch.setattr(issuance, "MAX_REDRAWS", 5)

    with pytest.raises(Conflict) as refused:
        store.grant(1, draw=lambda: old)

    assert refused.value.field == "count"
    assert "too full" in refused.value.problem


# Measured on a shared two-core machine: SQLite ~55 µs a code (1,000,000 in ~55 s), PostgreSQL
# ~65 µs a code (200,000 in ~13 s; a million would take over a minute, hence fewer there).
MILLION = 200_000 if on_postgresql() else 1_000_000


@pytest.mark.slow
def test_a_million_codes_are_a_million_distinct_rows(store: NationalStore) -> None:
    """Grant 1,000,000 codes (200,000 on PostgreSQL, where it would take over a minute) in
    batches of 10,000, the largest a pool request may ask, and find each recorded once."""
    granted: set[str] = set()
    started = time.perf_counter()
    for _ in range(MILLION // CodePoolRequest.MAX_COUNT):
        granted.update(store.grant(CodePoolRequest.MAX_COUNT))
    elapsed = time.perf_counter() - started

    t = TABLES["issued_resident_codes"]
    assert len(granted) == MILLION
    assert store.scalar(select(func.count(func.distinct(t.c.code)))) == MILLION
    print(f"granted {MILLION:,} codes in {elapsed:.1f} s")


# --- 個人番号 ------------------------------------------------------------------------------------


def test_an_initial_request_asked_twice_gets_the_same_number(
    store: NationalStore, deriver: MyNumberDeriver
) -> None:
    (code,) = store.grant(1)

    first = store.issue(initial(code), deriver)
    again = store.issue(initial(code), deriver)

    assert first == again == MyNumber(first).value
    assert store.numbers_of(code) == {first: False}


def test_a_number_for_a_code_the_national_node_never_issued_is_refused(
    store: NationalStore, deriver: MyNumberDeriver
) -> None:
    stranger = random_resident_code()

    with pytest.raises(Conflict) as refused:
        store.issue(initial(stranger), deriver)

    assert refused.value.field == "resident_code"
    assert stranger in refused.value.problem
    assert "never issued" in refused.value.problem
    assert store.numbers_of(stranger) == {}


def test_a_leak_retires_the_old_number_and_issues_a_new_one(
    store: NationalStore, deriver: MyNumberDeriver
) -> None:
    (code,) = store.grant(1)
    leaked = store.issue(initial(code), deriver)

    replacement = store.issue(leak(code, leaked), deriver)

    assert replacement != leaked
    assert MyNumber(replacement).value == replacement
    assert store.numbers_of(code) == {leaked: True, replacement: False}
    # From now on the person's number is the replacement, also for a repeated initial request.
    assert store.issue(initial(code), deriver) == replacement


def test_a_retired_number_is_redrawn_when_the_derivation_lands_on_it_again(
    store: NationalStore,
) -> None:
    first, second = store.grant(2)
    leaked = store.issue(initial(first), MyNumberDeriver(KEY))
    replacement = store.issue(leak(first, leaked), MyNumberDeriver(KEY))

    # Another person's derivation lands on the retired number …
    other = ScriptedDeriver(leaked, replacement)
    number = store.issue(initial(second), other)
    # … and so does the next leak replacement of its former holder.
    again = ScriptedDeriver(leaked, replacement)
    renewed = store.issue(leak(first, replacement), again)

    assert len(other.offered) == 3  # two candidates refused, the third issued
    assert number not in (leaked, replacement)
    assert len(again.offered) == 3
    assert renewed not in (leaked, replacement, number)
    assert store.numbers_of(second) == {number: False}
    assert store.numbers_of(first) == {leaked: True, replacement: True, renewed: False}


def test_a_leak_request_must_name_the_persons_current_number(
    store: NationalStore, deriver: MyNumberDeriver
) -> None:
    mine, theirs = store.grant(2)
    my_number = store.issue(initial(mine), deriver)
    their_number = store.issue(initial(theirs), deriver)

    with pytest.raises(Conflict) as refused:
        store.issue(leak(mine, their_number), deriver)

    assert refused.value.field == "replaces"
    assert store.numbers_of(mine) == {my_number: False}
    assert store.numbers_of(theirs) == {their_number: False}


def test_a_leak_request_for_a_code_without_a_number_is_refused(
    store: NationalStore, deriver: MyNumberDeriver
) -> None:
    (code,) = store.grant(1)

    with pytest.raises(Conflict) as refused:
        store.issue(leak(code, deriver.number(code)), deriver)

    assert refused.value.field == "replaces"
    assert store.numbers_of(code) == {}


def overlapping(
    store: NationalStore, request: MyNumberRequest, deriver: MyNumberDeriver
) -> list[str]:
    """Answer ``request`` twice, the second time while the first is still uncommitted."""
    answers: list[str] = []
    with store.unit_of_work() as first:
        answers.append(issue_my_number(first, request, deriver, store.clock).my_number)
        second = threading.Thread(target=lambda: answers.append(store.issue(request, deriver)))
        second.start()
        time.sleep(0.5)  # let it reach its write, which waits for this transaction
        first.commit()
    second.join(timeout=30)
    assert len(answers) == 2, "the overlapping request failed"
    return answers


def test_two_initial_requests_at_once_designate_one_number(
    store: NationalStore, deriver: MyNumberDeriver
) -> None:
    """A retried request can overlap the first: the second must wait and answer the same."""
    (code,) = store.grant(1)

    first, second = overlapping(store, initial(code), deriver)

    assert first == second
    assert store.numbers_of(code) == {first: False}


def test_two_leak_requests_at_once_designate_one_replacement(
    store: NationalStore, deriver: MyNumberDeriver
) -> None:
    (code,) = store.grant(1)
    leaked = store.issue(initial(code), deriver)

    first, second = overlapping(store, leak(code, leaked), deriver)

    assert first == second != leaked
    assert store.numbers_of(code) == {leaked: True, first: False}


# --- through the network ------------------------------------------------------------------------


def supply_of(node: Node, low_water: int = 5, refill: int = 20) -> CodeSupply:
    assert node.supply is not None
    return dataclasses.replace(node.supply, low_water=low_water, refill=refill)


def pool_of(node: Node) -> set[str]:
    t = node.metadata.tables["code_pool"]
    with node.engine.connect() as connection:
        return {row.code for row in connection.execute(select(t.c.code))}


def take(supply: CodeSupply, count: int) -> None:
    with supply.unit_of_work() as uow:
        for _ in range(count):
            assert uow.code_pool.take() is not None
        uow.commit()


def available(supply: CodeSupply) -> int:
    with supply.unit_of_work() as uow:
        return uow.code_pool.available()


def test_a_municipality_refills_its_pool_only_when_it_runs_low(country: Deployment) -> None:
    supply = supply_of(country.municipality(TOKYO_CHIYODA))

    assert supply.refill_pool() == 20
    assert supply.refill_pool() == 0  # 20 unused: not low
    take(supply, 15)
    assert supply.refill_pool() == 0  # 5 left: at the low-water mark, not below it
    take(supply, 1)
    assert supply.refill_pool() == 20  # 4 left: below it

    assert available(supply) == 24
    pool = pool_of(country.municipality(TOKYO_CHIYODA))
    assert len(pool) == 40
    assert all(ResidentCode(code).value == code for code in pool)


def test_codes_granted_to_two_municipalities_never_overlap(country: Deployment) -> None:
    chiyoda, tsurumi = (country.municipality(c) for c in (TOKYO_CHIYODA, YOKOHAMA_TSURUMI))
    for _ in range(3):
        for node in (chiyoda, tsurumi):
            supply_of(node, refill=500).refill_pool(force=True)

    in_chiyoda, in_tsurumi = pool_of(chiyoda), pool_of(tsurumi)

    assert len(in_chiyoda) == len(in_tsurumi) == 1_500
    assert not in_chiyoda & in_tsurumi
    t = country.national.metadata.tables["issued_resident_codes"]
    with country.national.engine.connect() as connection:
        granted = dict(connection.execute(select(t.c.code, t.c.municipality_code)).all())
    assert granted == {
        **dict.fromkeys(in_chiyoda, TOKYO_CHIYODA),
        **dict.fromkeys(in_tsurumi, YOKOHAMA_TSURUMI),
    }


def test_a_municipality_gets_the_number_of_a_code_from_its_pool(country: Deployment) -> None:
    supply = supply_of(country.municipality(TOKYO_CHIYODA))

    code = supply.reserve_code()
    number = supply.my_number_for(code)

    assert MyNumber(number).value == number
    assert supply.my_number_for(code) == number
