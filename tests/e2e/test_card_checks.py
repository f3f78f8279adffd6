"""A municipality asks the card node about a card, through signed envelopes: each outcome of
a PIN check, the lock-out after three wrong PINs, 継続利用 within and after 90 days, and the
roles and municipalities the card node refuses."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from tests.conftest import TOKYO_CHIYODA, YOKOHAMA_TSURUMI, DeploymentFactory

from jukinet.adapters.clock import FixedClock
from jukinet.bootstrap import Node
from jukinet.deployments import Deployment
from jukinet.domain.cards import CardAction
from jukinet.nodes.card.counter import CardCounter, CardIssue
from jukinet.nodes.ports import PeerRejected
from jukinet.protocol.catalogue import (
    CardContinuedUse,
    CardContinuedUseVerdict,
    CardPinCheck,
    CardPinVerdict,
)
from jukinet.protocol.directory import CARD_ID, municipality_node_id

NUMBER = "400123456784"
HOLDER = "47182059362"
SOMEONE_ELSE = "58203160478"
PIN = "4321"
CHIYODA = municipality_node_id(TOKYO_CHIYODA)
TSURUMI = municipality_node_id(YOKOHAMA_TSURUMI)


@pytest.fixture
def country(make_deployment: DeploymentFactory) -> Deployment:
    country = make_deployment((TOKYO_CHIYODA, YOKOHAMA_TSURUMI))
    counter(country).issue(
        CardIssue(NUMBER, HOLDER, "山田 花子", "1990-01-02", TOKYO_CHIYODA, "2031-01-02", PIN),
        "clerk-1",
    )
    return country


def counter(country: Deployment) -> CardCounter:
    cards = country.nodes[CARD_ID].cards
    assert cards is not None
    return cards


def check(node: Node, pin: str = PIN, resident: str = HOLDER, number: str = NUMBER) -> Any:
    verdict = node.peer.request(CARD_ID, CardPinCheck(number, resident, pin))
    assert isinstance(verdict, CardPinVerdict)
    return verdict


def continue_use(node: Node, moved_in: str, pin: str = PIN, code: str = YOKOHAMA_TSURUMI) -> Any:
    request = CardContinuedUse(NUMBER, HOLDER, pin, code, moved_in)
    verdict = node.peer.request(CARD_ID, request)
    assert isinstance(verdict, CardContinuedUseVerdict)
    return verdict


def test_the_holder_with_the_right_pin_is_accepted(country: Deployment) -> None:
    verdict = check(country.nodes[TSURUMI])

    assert (verdict.outcome, verdict.attempts_left, verdict.expires_on) == (
        "accepted",
        3,
        "2031-01-02",
    )


def test_an_unknown_card_or_someone_elses_tells_nothing_about_the_card(
    country: Deployment,
) -> None:
    node = country.nodes[TSURUMI]

    unknown = check(node, number="400123456792")
    not_holder = check(node, resident=SOMEONE_ELSE)

    assert (unknown.outcome, unknown.attempts_left, unknown.expires_on) == ("unknown-card", 0, None)
    assert (not_holder.outcome, not_holder.attempts_left, not_holder.expires_on) == (
        "not-holder",
        0,
        None,
    )
    assert check(node).attempts_left == 3  # neither counted against the card


def test_three_wrong_pins_lock_the_card_even_for_the_right_pin_until_reset(
    country: Deployment,
) -> None:
    node = country.nodes[TSURUMI]

    answers = [check(node, pin="0000") for _ in range(3)]
    after = check(node)

    assert [(a.outcome, a.attempts_left) for a in answers] == [
        ("wrong-pin", 2),
        ("wrong-pin", 1),
        ("wrong-pin", 0),
    ]
    assert (after.outcome, after.attempts_left) == ("locked", 0)
    assert counter(country).status(NUMBER).condition == "locked"

    counter(country).reset_pin(NUMBER, "2468", "clerk-2")
    assert check(node, pin="2468").outcome == "accepted"


def test_a_right_pin_clears_earlier_wrong_ones(country: Deployment) -> None:
    node = country.nodes[TSURUMI]
    check(node, pin="0000")
    check(node, pin="0000")

    assert check(node).attempts_left == 3
    assert check(node, pin="0000").attempts_left == 2


def test_a_suspended_revoked_or_expired_card_answers_its_state_without_a_pin_check(
    country: Deployment, clock: FixedClock
) -> None:
    node = country.nodes[TSURUMI]
    cards = counter(country)

    cards.suspend(NUMBER, "clerk-1", "reported lost")
    suspended = check(node, pin="0000")
    cards.resume(NUMBER, "clerk-1")
    clock.advance(days=365 * 5)
    expired = check(node, pin="0000")
    cards.revoke(NUMBER, "clerk-1")
    revoked = check(node, pin="0000")

    assert [v.outcome for v in (suspended, expired, revoked)] == ["suspended", "expired", "revoked"]
    assert all(v.attempts_left == 3 for v in (suspended, expired, revoked))  # no PIN counted


def test_every_check_is_logged_with_the_asking_node_and_never_the_pin(
    country: Deployment,
) -> None:
    check(country.nodes[TSURUMI], pin="0000")
    check(country.nodes[CHIYODA], resident=SOMEONE_ELSE)

    events = counter(country).status(NUMBER).events

    assert [(e.action, e.actor, e.outcome) for e in events[:2]] == [
        (CardAction.PIN_CHECK, CHIYODA, "not-holder"),
        (CardAction.PIN_CHECK, TSURUMI, "wrong-pin"),
    ]
    assert events[0].detail == f"asked for resident {SOMEONE_ELSE}"
    assert not any("0000" in e.detail or PIN in e.detail for e in events)


def test_continued_use_within_90_days_moves_the_card_to_the_new_municipality(
    country: Deployment, clock: FixedClock
) -> None:
    moved_in = clock.today().isoformat()
    clock.advance(days=90)

    verdict = continue_use(country.nodes[TSURUMI], moved_in)

    assert (verdict.outcome, verdict.attempts_left) == ("accepted", 3)
    status = counter(country).status(NUMBER)
    assert status.card.municipality_code == YOKOHAMA_TSURUMI
    assert status.events[0].action is CardAction.CONTINUED_USE
    assert (
        status.events[0].detail == f"転入届 {moved_in}, from {TOKYO_CHIYODA} to {YOKOHAMA_TSURUMI}"
    )


def test_continued_use_after_90_days_is_too_late_and_changes_nothing(
    country: Deployment, clock: FixedClock
) -> None:
    moved_in = clock.today().isoformat()
    clock.advance(days=91)

    verdict = continue_use(country.nodes[TSURUMI], moved_in, pin="0000")

    assert (verdict.outcome, verdict.attempts_left) == ("too-late", 3)  # PIN not even checked
    assert counter(country).status(NUMBER).card.municipality_code == TOKYO_CHIYODA


def test_continued_use_with_a_wrong_pin_counts_against_the_card(country: Deployment) -> None:
    verdict = continue_use(country.nodes[TSURUMI], "2026-11-20", pin="0000")

    assert (verdict.outcome, verdict.attempts_left) == ("wrong-pin", 2)
    assert counter(country).status(NUMBER).card.municipality_code == TOKYO_CHIYODA


def test_a_municipality_may_ask_for_continued_use_in_its_own_name_only(
    country: Deployment,
) -> None:
    with pytest.raises(PeerRejected) as refused:
        continue_use(country.nodes[CHIYODA], "2026-11-20", code=YOKOHAMA_TSURUMI)

    assert refused.value.reason == "route-refused"
    assert counter(country).status(NUMBER).card.municipality_code == TOKYO_CHIYODA
    (logged,) = country.nodes[CARD_ID].refusals.recent()
    assert (logged.sender, logged.reason) == (CHIYODA, "route-refused")


def test_a_move_in_dated_in_the_future_is_refused_naming_the_field(
    country: Deployment, clock: FixedClock
) -> None:
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()

    with pytest.raises(PeerRejected) as refused:
        continue_use(country.nodes[TSURUMI], tomorrow)

    assert "moved_in_notified_on" in refused.value.detail


@pytest.mark.parametrize("sender", ["prefecture", "national", "linkage"])
def test_no_other_role_may_ask_the_card_node(country: Deployment, sender: str) -> None:
    with pytest.raises(PeerRejected) as refused:
        check(country.nodes[sender])

    assert refused.value.reason == "route-refused"
    assert counter(country).status(NUMBER).events[0].action is CardAction.ISSUED
    (logged,) = country.nodes[CARD_ID].refusals.recent()
    assert (logged.sender, logged.reason) == (sender, "route-refused")
