"""The card messages: what a municipality may send the card node, and what comes back."""

from __future__ import annotations

from typing import Any

import pytest

from jukinet.protocol.catalogue import (
    DEFAULT_ROUTES,
    RESPONSES,
    CardContinuedUse,
    CardContinuedUseVerdict,
    CardPinCheck,
    CardPinVerdict,
    Role,
    parse_body,
)
from jukinet.protocol.errors import MalformedEnvelope

CHECK = CardPinCheck("400123456784", "47182059362", "4321")
CONTINUED = CardContinuedUse("400123456784", "47182059362", "4321", "141011", "2026-11-20")
SAMPLES: list[Any] = [
    CHECK,
    CardPinVerdict("400123456784", "wrong-pin", 2, "2031-02-28"),
    CardPinVerdict("400123456784", "unknown-card", 0, None),
    CONTINUED,
    CardContinuedUseVerdict("400123456784", "too-late", 3, "2031-02-28"),
]


@pytest.mark.parametrize("message", SAMPLES, ids=lambda m: f"{m.TYPE}")
def test_each_card_message_reads_back_as_sent(message: Any) -> None:
    assert parse_body(message.TYPE, message.VERSION, message.to_body()) == message


def test_only_a_municipality_may_ask_the_card_node_and_each_request_has_its_answer() -> None:
    senders = {(s, t) for s, t, r in DEFAULT_ROUTES if r is Role.CARD}
    assert senders == {
        (Role.MUNICIPALITY, "card.pin-check"),
        (Role.MUNICIPALITY, "card.continued-use"),
    }
    assert RESPONSES["card.pin-check"] == "card.pin-verdict"
    assert RESPONSES["card.continued-use"] == "card.continued-use-verdict"


def test_the_pin_never_shows_in_a_repr_or_an_error() -> None:
    assert "4321" not in repr(CHECK)
    assert "4321" not in repr(CONTINUED)
    with pytest.raises(MalformedEnvelope) as refused:
        CardPinCheck.from_body({**CHECK.to_body(), "pin": "43210"})
    assert refused.value.detail == "body.pin: a PIN is exactly 4 ASCII digits"


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ({"card_number": "400123456785"}, "body.card_number: check digit"),
        ({"card_number": "123456789018"}, "body.card_number: reads as a 個人番号"),
        ({"resident_code": "47182059363"}, "body.resident_code: check digit"),
        ({"pin": 4321}, "body.pin: a PIN"),
        ({"municipality_code": "141012"}, "body.municipality_code: check digit"),
        ({"moved_in_notified_on": "2026-02-30"}, "body.moved_in_notified_on: '2026-02-30'"),
        ({"moved_in_notified_on": None}, "body.moved_in_notified_on: has the wrong type"),
    ],
)
def test_a_bad_continued_use_request_is_refused_naming_the_field(
    change: dict[str, Any], detail: str
) -> None:
    with pytest.raises(MalformedEnvelope) as refused:
        CardContinuedUse.from_body({**CONTINUED.to_body(), **change})
    assert refused.value.detail.startswith(detail)


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ({"outcome": "too-late"}, "body.outcome: 'too-late' is not one of"),
        ({"outcome": "maybe"}, "body.outcome"),
        ({"attempts_left": 4}, "body.attempts_left: must be between 0 and 3"),
        ({"attempts_left": True}, "body.attempts_left: has the wrong type"),
        ({"expires_on": "soon"}, "body.expires_on"),
    ],
)
def test_a_bad_verdict_is_refused_naming_the_field(change: dict[str, Any], detail: str) -> None:
    body = {**SAMPLES[1].to_body(), **change}
    with pytest.raises(MalformedEnvelope) as refused:
        CardPinVerdict.from_body(body)
    assert refused.value.detail.startswith(detail)


def test_too_late_is_an_answer_to_continued_use_only() -> None:
    body = {**SAMPLES[1].to_body(), "outcome": "too-late"}
    assert CardContinuedUseVerdict.from_body(body).outcome == "too-late"
