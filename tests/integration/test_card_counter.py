"""The card node's counter on a real store (SQLite, or PostgreSQL when the test database is
set): issuing, suspending, resuming, revoking, PIN resets, the event log, and how PINs are
kept."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from datetime import date
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from tests.conftest import database_url

from jukinet.adapters.clock import FixedClock
from jukinet.adapters.storage import migrations
from jukinet.adapters.storage.cards import Argon2PinHasher, PinHashCost
from jukinet.adapters.storage.engines import drop_schema, location_for, make_engine
from jukinet.adapters.storage.tables import METADATA
from jukinet.adapters.storage.units import SqlCardUnitOfWork
from jukinet.domain.cards import CardAction, CardState
from jukinet.domain.errors import Conflict, InvalidValue, NotFound
from jukinet.nodes.card.counter import CardCounter, CardIssue

KEY = bytes(range(32))
NUMBER = "400123456784"
RESIDENT = "47182059362"
CHEAP = PinHashCost(time_cost=1, memory_kib=1024, parallelism=1)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    url = database_url() or f"sqlite:///{tmp_path}/db"
    location = location_for(url, "card", schema_prefix=f"t{secrets.token_hex(3)}_")
    engine = make_engine(location)
    migrations.upgrade(engine, "card")
    try:
        yield engine
    finally:
        if location.schema:
            drop_schema(engine, location.schema)
        engine.dispose()


@pytest.fixture
def counter(engine: Engine, clock: FixedClock) -> CardCounter:
    units = partial(SqlCardUnitOfWork, engine, METADATA["card"], clock.now)
    return CardCounter(units, Argon2PinHasher(KEY, CHEAP), clock)


def issue(counter: CardCounter, number: str = NUMBER, pin: str = "4321") -> None:
    request = CardIssue(number, RESIDENT, "髙橋 葛子", "1988-02-29", "131016", "2031-02-28", pin)
    counter.issue(request, "clerk-1")


def stored_values(engine: Engine) -> list[str]:
    """Every value of every row of the cards and their event log, as text."""
    with engine.connect() as connection:
        rows = [
            *connection.execute(select(METADATA["card"].tables["cards"])),
            *connection.execute(select(METADATA["card"].tables["card_events"])),
        ]
    return [str(value) for row in rows for value in row]


def test_an_issued_card_is_valid_for_its_holder_and_logged(counter: CardCounter) -> None:
    issue(counter)

    status = counter.status(NUMBER)

    assert status.condition == "valid"
    assert (status.card.holder.name, status.card.municipality_code) == ("髙橋 葛子", "131016")
    assert status.card.expires_on == date(2031, 2, 28)
    (event,) = status.events
    assert (event.action, event.actor) == (CardAction.ISSUED, "clerk-1")


def test_the_pin_is_never_stored_in_the_clear(counter: CardCounter, engine: Engine) -> None:
    issue(counter, pin="4321")

    values = stored_values(engine)

    assert not any("4321" in value for value in values)
    assert not any(re.fullmatch(r"\d{4}", value) for value in values)
    (pin_hash,) = [v for v in values if v.startswith("$argon2id$")]
    assert counter.hasher.matches(NUMBER, "4321", pin_hash)
    assert not counter.hasher.matches(NUMBER, "4322", pin_hash)


def test_a_stolen_hash_is_useless_without_the_node_key(
    counter: CardCounter, engine: Engine
) -> None:
    issue(counter, pin="4321")
    (pin_hash,) = [v for v in stored_values(engine) if v.startswith("$argon2id$")]

    thief = Argon2PinHasher(bytes(32), CHEAP)  # every PIN tried, but with the wrong key

    assert not any(thief.matches(NUMBER, f"{pin:04d}", pin_hash) for pin in (4321, 1234, 0))


def test_a_hash_belongs_to_its_card_only(counter: CardCounter, engine: Engine) -> None:
    issue(counter, pin="4321")
    (pin_hash,) = [v for v in stored_values(engine) if v.startswith("$argon2id$")]

    assert not counter.hasher.matches("400123456792", "4321", pin_hash)


def test_a_resident_holds_one_card_until_it_is_revoked(counter: CardCounter) -> None:
    issue(counter)
    with pytest.raises(Conflict, match=f"holds card {NUMBER}; revoke it first"):
        issue(counter, "400123456792")

    counter.revoke(NUMBER, "clerk-2", "returned at renewal")
    issue(counter, "400123456792")

    assert counter.status("400123456792").condition == "valid"
    assert counter.status(NUMBER).condition == "revoked"


def test_the_same_card_number_cannot_be_issued_twice(counter: CardCounter) -> None:
    issue(counter)
    counter.revoke(NUMBER, "clerk-1")
    with pytest.raises(Conflict, match="issued already"):
        issue(counter)


def test_suspend_and_resume_are_logged_with_operator_and_reason(counter: CardCounter) -> None:
    issue(counter)

    counter.suspend(NUMBER, "clerk-2", "reported lost by phone")
    assert counter.status(NUMBER).condition == "suspended"
    counter.resume(NUMBER, "clerk-3", "found at home")

    status = counter.status(NUMBER)
    assert status.condition == "valid"
    assert [(e.action, e.actor, e.detail) for e in status.events[:2]] == [
        (CardAction.RESUMED, "clerk-3", "found at home"),
        (CardAction.SUSPENDED, "clerk-2", "reported lost by phone"),
    ]


def test_a_refused_change_writes_nothing(counter: CardCounter) -> None:
    issue(counter)
    with pytest.raises(Conflict):
        counter.resume(NUMBER, "clerk-1")

    status = counter.status(NUMBER)
    assert [e.action for e in status.events] == [CardAction.ISSUED]
    assert status.card.state is CardState.VALID


def test_a_pin_reset_replaces_the_hash_and_is_logged_without_the_pin(
    counter: CardCounter, engine: Engine
) -> None:
    issue(counter, pin="4321")

    counter.reset_pin(NUMBER, "8765", "clerk-4")

    (pin_hash,) = [v for v in stored_values(engine) if v.startswith("$argon2id$")]
    assert counter.hasher.matches(NUMBER, "8765", pin_hash)
    event = counter.status(NUMBER).events[0]
    assert (event.action, event.actor) == (CardAction.PIN_RESET, "clerk-4")
    assert "8765" not in event.detail


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"card_number": "123456789018"}, "card_number"),
        ({"resident_code": "47182059363"}, "resident_code"),
        ({"name": " \u3000"}, "name"),
        ({"birth_date": "1988-02-30"}, "birth_date"),
        ({"municipality_code": "131017"}, "municipality_code"),
        ({"expires_on": "2026-11-23"}, "expires_on"),
        ({"pin": "12345"}, "pin"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_issued(
    counter: CardCounter, engine: Engine, change: dict[str, str], field: str
) -> None:
    values = {
        "card_number": NUMBER,
        "resident_code": RESIDENT,
        "name": "山田 花子",
        "birth_date": "1990-01-02",
        "municipality_code": "131016",
        "expires_on": "2030-01-02",
        "pin": "1234",
    }
    with pytest.raises(InvalidValue) as refused:
        counter.issue(CardIssue(**{**values, **change}), "clerk-1")
    assert refused.value.field == field
    assert stored_values(engine) == []


def test_an_operator_id_must_be_a_plain_id(counter: CardCounter) -> None:
    request = CardIssue(NUMBER, RESIDENT, "山田 花子", "1990-01-02", "131016", "2030-01-02", "1234")
    with pytest.raises(InvalidValue) as refused:
        counter.issue(request, "clerk 1")
    assert refused.value.field == "operator"


def test_an_unknown_card_is_not_found(counter: CardCounter) -> None:
    with pytest.raises(NotFound):
        counter.status(NUMBER)
    with pytest.raises(NotFound):
        counter.suspend(NUMBER, "clerk-1")
