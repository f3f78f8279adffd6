"""Signing a resident in at a portal with the card and its PIN, on a real card store (SQLite,
or PostgreSQL when the test database is set): the same rules as a municipality's PIN check,
with the holder named only when the PIN is accepted, and every try in the card event log."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
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
from jukinet.domain.cards import CardAction, PinOutcome
from jukinet.domain.errors import InvalidValue
from jukinet.nodes.card.counter import CardCounter, CardIssue
from jukinet.nodes.card.sign_ins import CardSignIn, SignInVerdict, sign_in_with_card

NUMBER = "400123456784"
UNKNOWN = "400123456792"
RESIDENT = "47182059362"
PIN = "4321"
PORTAL = "myna-portal"
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
    counter = CardCounter(units, Argon2PinHasher(bytes(range(32)), CHEAP), clock)
    request = CardIssue(NUMBER, RESIDENT, "髙橋 葛子", "1988-02-29", "131016", "2031-02-28", PIN)
    counter.issue(request, "clerk-1")
    return counter


def sign_in(counter: CardCounter, pin: str = PIN, number: str = NUMBER) -> SignInVerdict:
    return sign_in_with_card(CardSignIn(number, pin), PORTAL, counter)


def events(counter: CardCounter) -> list[tuple[str, str, str, str]]:
    """The card's sign-in lines of the event log, oldest first: action, actor, outcome, detail."""
    return [
        (e.action.value, e.actor, e.outcome, e.detail)
        for e in reversed(counter.status(NUMBER).events)
        if e.action is CardAction.PORTAL_SIGN_IN
    ]


def test_the_right_pin_signs_the_holder_in_and_names_them(counter: CardCounter) -> None:
    verdict = sign_in(counter)

    assert verdict.outcome is PinOutcome.ACCEPTED
    assert verdict.card is not None
    assert (verdict.card.holder.resident_code, verdict.card.holder.name) == (RESIDENT, "髙橋 葛子")
    assert verdict.card.municipality_code == "131016"
    assert verdict.attempts_left == 3
    assert events(counter) == [("portal-sign-in", PORTAL, "accepted", "")]


def test_each_wrong_pin_counts_and_the_third_locks_the_card_even_for_the_right_pin(
    counter: CardCounter,
) -> None:
    tries = [sign_in(counter, "0000") for _ in range(3)]
    after = sign_in(counter, PIN)

    assert [(t.outcome, t.attempts_left) for t in tries] == [
        (PinOutcome.WRONG_PIN, 2),
        (PinOutcome.WRONG_PIN, 1),
        (PinOutcome.WRONG_PIN, 0),
    ]
    assert after.outcome is PinOutcome.LOCKED
    assert counter.status(NUMBER).condition == "locked"
    assert [line[2:] for line in events(counter)] == [
        ("wrong-pin", ""),
        ("wrong-pin", ""),
        ("wrong-pin", "card now locked"),
        ("locked", ""),
    ]


def test_a_right_pin_clears_the_wrong_ones_before_it(counter: CardCounter) -> None:
    sign_in(counter, "0000")
    sign_in(counter, "1111")

    assert sign_in(counter).attempts_left == 3
    assert sign_in(counter, "0000").attempts_left == 2


@pytest.mark.parametrize(
    ("change", "outcome"),
    [
        (lambda c: c.suspend(NUMBER, "clerk-2", "紛失の届出"), PinOutcome.SUSPENDED),
        (lambda c: c.revoke(NUMBER, "clerk-2", "返納"), PinOutcome.REVOKED),
    ],
)
def test_a_suspended_or_revoked_card_is_refused_with_the_reason_and_no_pin_is_tried(
    counter: CardCounter, change: object, outcome: PinOutcome
) -> None:
    change(counter)  # type: ignore[operator]

    verdict = sign_in(counter, "0000")

    assert verdict.outcome is outcome
    assert verdict.attempts_left == 3  # the wrong PIN was not even tried
    assert events(counter)[-1][2] == outcome.value


def test_an_expired_card_is_refused_from_the_day_after_its_expiry(
    counter: CardCounter, clock: FixedClock
) -> None:
    clock.moment = clock.moment.replace(year=2031, month=2, day=28)
    on_the_day = sign_in(counter)
    clock.advance(days=1)

    assert on_the_day.outcome is PinOutcome.ACCEPTED
    assert sign_in(counter).outcome is PinOutcome.EXPIRED


def test_an_unknown_card_tells_nothing_about_any_card(counter: CardCounter) -> None:
    verdict = sign_in(counter, number=UNKNOWN)

    assert (verdict.outcome, verdict.card, verdict.attempts_left) == (
        PinOutcome.UNKNOWN_CARD,
        None,
        0,
    )


def test_a_malformed_card_number_or_pin_is_refused_by_field_and_nothing_is_counted(
    counter: CardCounter,
) -> None:
    with pytest.raises(InvalidValue) as bad_number:
        sign_in(counter, number="123456789012")
    with pytest.raises(InvalidValue) as bad_pin:
        sign_in(counter, pin="12a4")

    assert (bad_number.value.field, bad_pin.value.field) == ("card_number", "pin")
    assert "12a4" not in bad_pin.value.problem
    assert events(counter) == []
    assert counter.status(NUMBER).card.attempts_left == 3


def test_the_pin_is_never_written_to_the_event_log(counter: CardCounter, engine: Engine) -> None:
    sign_in(counter, "9876")
    sign_in(counter, PIN)
    table = METADATA["card"].tables["card_events"]

    with engine.connect() as connection:
        rows = connection.execute(select(table)).all()

    assert not any(pin in str(value) for row in rows for value in row for pin in ("9876", PIN))
