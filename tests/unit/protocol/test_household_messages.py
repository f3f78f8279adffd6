"""``household.query`` / ``household.answer``: what a household check may carry, and only that.

The answer is the only message besides ``identity.update`` that says anything about a person,
so its parser refuses every field but the four it defines: no name, no address, no household id.
"""

from __future__ import annotations

from typing import Any

import pytest

from jukinet.domain.residents import Relationship
from jukinet.protocol.catalogue import (
    DEFAULT_ROUTES,
    RESPONSES,
    HouseholdAnswer,
    HouseholdMember,
    HouseholdQuery,
    Role,
    parse_body,
)
from jukinet.protocol.errors import MalformedEnvelope

CODES = ("12345678903", "31415926530")
QUERY = HouseholdQuery(
    "131016", "019ab2f4-2a00-7000-8000-00000000c001", "nenkin", "kokumin-nenkin", CODES
)
ANSWER = HouseholdAnswer(
    "131016",
    (HouseholdMember(CODES[0], True, "1", Relationship.HEAD), HouseholdMember(CODES[1], False)),
)


def refusal(message_type: str, body: dict[str, Any]) -> str:
    with pytest.raises(MalformedEnvelope) as caught:
        parse_body(message_type, 1, body)
    return caught.value.detail


def query_body(**change: object) -> dict[str, Any]:
    return {**QUERY.to_body(), **change}


def answer_body(*members: object) -> dict[str, Any]:
    return {"municipality_code": "131016", "members": list(members)}


def member(**change: object) -> dict[str, Any]:
    return {**ANSWER.members[0].to_wire(), **change}


def test_only_the_national_node_may_ask_a_municipality_and_it_answers_on_the_exchange() -> None:
    routes = {(s, r) for s, t, r in DEFAULT_ROUTES if t == HouseholdQuery.TYPE}

    assert routes == {(Role.NATIONAL, Role.MUNICIPALITY)}
    assert RESPONSES[HouseholdQuery.TYPE] == HouseholdAnswer.TYPE


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"resident_codes": []}, "body.resident_codes"),
        ({"resident_codes": ["12345678903"] * 2}, "body.resident_codes"),
        ({"resident_codes": [f"{n:010d}" for n in range(101)]}, "body.resident_codes"),
        ({"resident_codes": ["12345678900"]}, "body.resident_codes[0]"),
        ({"recipient": "日本年金機構"}, "body.recipient"),
        ({"affair": None}, "body.affair"),
        ({"municipality_code": "131017"}, "body.municipality_code"),
    ],
)
def test_a_query_that_breaks_a_rule_is_refused_naming_the_field(
    change: dict[str, object], field: str
) -> None:
    assert refusal(HouseholdQuery.TYPE, query_body(**change)).startswith(field)


@pytest.mark.parametrize(
    "extra",
    [
        {"family_name": "山田"},
        {"address": "東京都千代田区永田町一丁目7番1号"},
        {"household_id": "h-1"},
    ],
)
def test_an_answer_carrying_anything_but_household_and_relationship_is_refused(
    extra: dict[str, object],
) -> None:
    detail = refusal(HouseholdAnswer.TYPE, answer_body(member(**extra)))

    assert "fields not allowed here" in detail
    assert next(iter(extra)) in detail


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (member(registered="yes"), "body.members[0].registered"),
        (member(household="h-1"), "body.members[0].household"),
        (member(household="1000"), "body.members[0].household"),
        (member(relationship="cousin"), "body.members[0].relationship"),
        (member(relationship=["head"]), "body.members[0].relationship"),
        (member(registered=False), "body.members[0]"),
        (member(resident_code="12345678900"), "body.members[0].resident_code"),
        ("12345678903", "body.members[0]"),
    ],
)
def test_an_answer_member_that_breaks_a_rule_is_refused_naming_the_field(
    item: object, field: str
) -> None:
    assert refusal(HouseholdAnswer.TYPE, answer_body(item)).startswith(field)


def test_someone_not_registered_is_answered_with_nothing_but_that() -> None:
    assert ANSWER.members[1].to_wire() == {
        "resident_code": CODES[1],
        "registered": False,
        "household": None,
        "relationship": None,
    }
