"""``protection.measure-notice``: what a related municipality is told of a support measure."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from jukinet.domain.identity import Sex
from jukinet.domain.suppressions import MeasureState, Relation
from jukinet.protocol.bodies.protection import MeasureNotice
from jukinet.protocol.errors import MalformedEnvelope

NOTICE = MeasureNotice(
    measure_id="7c1f2a9e4b6d4e0f8a3b5c7d9e1f2a3b",
    sender="131041",
    recipient="131016",
    relation=Relation.FORMER_ADDRESS,
    resident_code="12345678903",
    family_name="髙橋",
    given_name="花子",
    birth_date=date(1982, 7, 7),
    sex=Sex.FEMALE,
    state=MeasureState.ACTIVE,
    ends_on=date(2027, 11, 22),
    co_residents=("31415926530",),
)


def body(**change: object) -> dict[str, Any]:
    return {**NOTICE.to_body(), **change}


def test_a_notice_survives_the_wire() -> None:
    assert MeasureNotice.from_body(NOTICE.to_body()) == NOTICE


def test_a_notice_never_carries_an_address() -> None:
    assert not any("address" in name for name in NOTICE.to_body())


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"resident_code": "12345678900"}, "resident_code"),
        ({"relation": "neighbour"}, "relation"),
        ({"state": "lifted"}, "state"),
        ({"co_residents": ["123"]}, "co_residents"),
        ({"ends_on": 20271122}, "ends_on"),
        ({"sender": "999999"}, "sender"),
    ],
)
def test_a_bad_field_is_refused_by_name(change: dict[str, object], field: str) -> None:
    with pytest.raises(MalformedEnvelope, match=field):
        MeasureNotice.from_body(body(**change))
