"""Records that end at a municipality (消除): moving out, moving abroad, death, removal ex officio.

A removed record stays in the register as a 除票 with its reason, date and history, and the
removal reaches the prefecture and national nodes as the identity information as it stood.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from jukinet.bootstrap import Node
from jukinet.deployments import Deployment
from jukinet.domain.identity import IdentityInfo, Sex
from jukinet.domain.residents import Resident
from jukinet.nodes.municipal import arrivals, departures
from jukinet.nodes.municipal.queries import resident_view

CHIYODA = "131016"
CHIYODA_ADDRESS = "東京都千代田区丸の内一丁目1番1号"
KITA_ADDRESS = "大阪府大阪市北区梅田一丁目1番1号"
CLERK = "clerk-suzuki"


@pytest.fixture
def country(make_deployment: Callable[..., Deployment]) -> Deployment:
    """千代田区 alone, with its prefecture and the national node: all these tests need."""
    return make_deployment((CHIYODA,))


def record_person(node: Node, **items: object) -> Resident:
    form = {
        "reason": "ex-officio-record",
        "family_name": "佐藤",
        "given_name": "一郎",
        "birth_date": "1970-05-05",
        "sex": "male",
        "address": CHIYODA_ADDRESS,
        "arrived_on": "2010-04-01",
        **items,
    }
    return arrivals.record_arrival(form, CLERK, node.supply)


def latest_held(node: Node, resident_code: str) -> IdentityInfo:
    with node.unit_of_work() as uow:
        versions = uow.identities.versions_of(resident_code)
    return max(versions, key=lambda version: version[1])[2]


def household_of(node: Node, resident: Resident) -> dict[str, Any]:
    household: dict[str, Any] = resident_view(resident.resident_code, node.unit_of_work)[
        "household"
    ]
    return household


def test_a_move_out_removes_the_record_and_certifies_what_the_new_municipality_needs(
    country: Deployment,
) -> None:
    chiyoda = country.municipality(CHIYODA)
    today = chiyoda.supply.clock.today()
    resident = record_person(chiyoda)

    result = departures.record_move_out(
        {
            "resident_code": resident.resident_code,
            "destination": KITA_ADDRESS,
            "planned_on": "2026-11-30",
        },
        CLERK,
        chiyoda.supply,
    )

    certificate = result.certificate
    assert certificate is not None
    assert (certificate.issuer, certificate.resident_code, certificate.my_number) == (
        CHIYODA,
        resident.resident_code,
        resident.my_number,
    )
    assert (certificate.family_name, certificate.given_name, certificate.sex) == (
        "佐藤",
        "一郎",
        Sex.MALE,
    )
    assert (certificate.address, certificate.destination) == (CHIYODA_ADDRESS, KITA_ADDRESS)
    assert (certificate.planned_on.isoformat(), certificate.issued_on) == ("2026-11-30", today)
    view = resident_view(resident.resident_code, chiyoda.unit_of_work)
    record = view["record"]
    assert (record["status"], record["removal_reason"], record["removed_on"]) == (
        "removed",
        "move-out",
        "2026-11-30",
    )
    assert record["destination"] == KITA_ADDRESS
    assert [(line["reason"], line["operator"]) for line in view["history"]] == [
        ("ex-officio-record", CLERK),
        ("move-out", CLERK),
    ]
    assert view["household"]["members"] == []  # the last member left

    country.pump()
    for node in (country.nodes["prefecture"], country.national):
        held = latest_held(node, resident.resident_code)
        assert (held.status.value, held.reason.value, held.kind.value) == (
            "removed",
            "move-out",
            "removal",
        )
        # On removal, the identity information is sent as it stood (住基法30条の6).
        assert (held.address, held.change_date.isoformat()) == (CHIYODA_ADDRESS, "2026-11-30")


def test_a_move_abroad_removes_the_record_without_a_certificate(country: Deployment) -> None:
    chiyoda = country.municipality(CHIYODA)
    resident = record_person(chiyoda)

    result = departures.record_move_out(
        {
            "resident_code": resident.resident_code,
            "destination": "フランス共和国パリ市",
            "planned_on": "2026-12-10",
            "abroad": True,
        },
        CLERK,
        chiyoda.supply,
    )

    assert result.certificate is None
    country.pump()
    held = latest_held(country.national, resident.resident_code)
    assert (held.status.value, held.reason.value) == ("removed", "move-abroad")


def test_a_death_removes_the_record_and_the_household_carries_on_with_the_others(
    country: Deployment,
) -> None:
    chiyoda = country.municipality(CHIYODA)
    husband = record_person(chiyoda)
    wife = record_person(
        chiyoda,
        given_name="花子",
        sex="female",
        household={"household_id": husband.household_id, "relationship": "wife"},
    )

    departures.record_death(
        {"resident_code": wife.resident_code, "died_on": "2026-11-20"}, CLERK, chiyoda.supply
    )

    record = resident_view(wife.resident_code, chiyoda.unit_of_work)["record"]
    assert (record["status"], record["removal_reason"], record["removed_on"]) == (
        "removed",
        "death",
        "2026-11-20",
    )
    household = household_of(chiyoda, husband)
    assert [m["resident_code"] for m in household["members"]] == [husband.resident_code]
    country.pump()
    held = latest_held(country.national, wife.resident_code)
    assert (held.status.value, held.reason.value, held.change_date.isoformat()) == (
        "removed",
        "death",
        "2026-11-20",
    )


def test_a_removal_ex_officio_keeps_the_note_saying_how_the_absence_was_found(
    country: Deployment,
) -> None:
    chiyoda = country.municipality(CHIYODA)
    today = chiyoda.supply.clock.today()
    resident = record_person(chiyoda)
    note = "実態調査の結果、居住の事実なし"

    departures.remove_ex_officio(
        {"resident_code": resident.resident_code, "removed_on": "2026-11-01", "note": note},
        CLERK,
        chiyoda.supply,
    )

    view = resident_view(resident.resident_code, chiyoda.unit_of_work)
    assert (view["record"]["status"], view["record"]["remarks"]) == ("removed", note)
    line = view["history"][-1]
    assert (line["reason"], line["occurred_on"], line["notified_on"]) == (
        "ex-officio-removal",
        "2026-11-01",
        today.isoformat(),
    )
    country.pump()
    held = latest_held(country.national, resident.resident_code)
    assert (held.status.value, held.reason.value, held.kind.value) == (
        "removed",
        "ex-officio-removal",
        "removal",
    )


@pytest.mark.parametrize("reason", ["death", "move-out"])
def test_when_the_head_leaves_the_household_keeps_its_members_without_a_head(
    country: Deployment, reason: str
) -> None:
    chiyoda = country.municipality(CHIYODA)
    head = record_person(chiyoda)
    child = record_person(
        chiyoda,
        given_name="次郎",
        birth_date="2000-01-01",
        household={"household_id": head.household_id, "relationship": "child"},
    )

    if reason == "death":
        departures.record_death(
            {"resident_code": head.resident_code, "died_on": "2026-11-20"}, CLERK, chiyoda.supply
        )
    else:
        departures.record_move_out(
            {
                "resident_code": head.resident_code,
                "destination": KITA_ADDRESS,
                "planned_on": "2026-11-30",
            },
            CLERK,
            chiyoda.supply,
        )

    with chiyoda.unit_of_work() as uow:
        household = uow.households.get(head.household_id)
    assert household is not None
    assert household.ended_on is None
    # A removed person no longer heads anyone; the household waits for a 世帯主変更.
    assert household.head_record_id is None
    assert [m["resident_code"] for m in household_of(chiyoda, child)["members"]] == [
        child.resident_code
    ]
