"""The municipality's codes: its 住民票コード pool, and changing a person's code or number.

A 住民票コード may be changed on request (住基法30条の4) and a 個人番号 when it leaked
(番号法7条2項); both changes reach the national node, and neither old value is handed out again.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from jukinet.bootstrap import Node
from jukinet.deployments import Deployment
from jukinet.domain.codes import MyNumber, ResidentCode
from jukinet.domain.errors import NotFound
from jukinet.domain.identity import IdentityInfo
from jukinet.domain.residents import Resident
from jukinet.nodes.municipal import arrivals, codes, departures
from jukinet.nodes.municipal.queries import resident_view

CHIYODA = "131016"
CHIYODA_ADDRESS = "東京都千代田区丸の内一丁目1番1号"
CLERK = "clerk-kato"


@pytest.fixture
def country(make_deployment: Callable[..., Deployment]) -> Deployment:
    """千代田区 alone, with its prefecture and the national node: all these tests need."""
    return make_deployment((CHIYODA,))


def record_person(node: Node, **items: object) -> Resident:
    form = {
        "reason": "ex-officio-record",
        "family_name": "渡辺",
        "given_name": "直美",
        "birth_date": "1988-08-08",
        "sex": "female",
        "address": CHIYODA_ADDRESS,
        "arrived_on": "2018-04-01",
        **items,
    }
    return arrivals.record_arrival(form, CLERK, node.supply)


def latest_held(node: Node, resident_code: str) -> IdentityInfo:
    with node.unit_of_work() as uow:
        versions = uow.identities.versions_of(resident_code)
    return max(versions, key=lambda version: version[1])[2]


def test_the_first_new_code_comes_from_a_pool_the_national_node_granted_to_this_municipality(
    country: Deployment,
) -> None:
    chiyoda = country.municipality(CHIYODA)

    resident = record_person(chiyoda)

    with chiyoda.unit_of_work() as uow:
        left = uow.code_pool.available()
    assert left == chiyoda.supply.refill - 1
    with country.national.unit_of_work() as uow:
        assert uow.issued_codes.was_issued(resident.resident_code)


def test_a_resident_code_change_gives_a_new_code_and_the_old_one_finds_no_record(
    country: Deployment,
) -> None:
    chiyoda = country.municipality(CHIYODA)
    resident = record_person(chiyoda)
    today = chiyoda.supply.clock.today()

    new_code = codes.change_resident_code(resident.resident_code, today, CLERK, chiyoda.supply)

    assert ResidentCode(new_code) != ResidentCode(resident.resident_code)
    view = resident_view(new_code, chiyoda.unit_of_work)
    assert view["record"]["my_number"] == resident.my_number  # the number stays
    line = view["history"][-1]
    assert (line["reason"], line["occurred_on"], line["operator"]) == (
        "resident-code-change",
        today.isoformat(),
        CLERK,
    )
    with pytest.raises(NotFound) as old:
        resident_view(resident.resident_code, chiyoda.unit_of_work)
    assert old.value.field == "resident_code"

    country.pump()
    for node in (country.nodes["prefecture"], country.national):
        held = latest_held(node, new_code)
        assert held.previous_resident_code == resident.resident_code
        assert (held.reason.value, held.kind.value, held.my_number) == (
            "resident-code-change",
            "correction",
            resident.my_number,
        )
    assert country.national.consistency.run([CHIYODA])[0].consistent


def test_a_my_number_change_after_a_leak_gives_a_number_never_issued_before(
    country: Deployment,
) -> None:
    chiyoda = country.municipality(CHIYODA)
    resident = record_person(chiyoda)
    leaked = resident.my_number
    today = chiyoda.supply.clock.today()

    first = codes.change_my_number(resident.resident_code, today, CLERK, chiyoda.supply)
    second = codes.change_my_number(resident.resident_code, today, CLERK, chiyoda.supply)

    assert len({leaked, MyNumber(first).value, MyNumber(second).value}) == 3
    view = resident_view(resident.resident_code, chiyoda.unit_of_work)
    assert view["record"]["my_number"] == second
    assert [line["reason"] for line in view["history"]][-2:] == ["my-number-change"] * 2
    # Asked again for this person's number, the national node answers the current one only.
    assert chiyoda.supply.my_number_for(resident.resident_code) == second

    country.pump()
    held = latest_held(country.national, resident.resident_code)
    assert (held.my_number, held.reason.value, held.kind.value) == (
        second,
        "my-number-change",
        "correction",
    )


def test_a_person_who_changed_their_code_keeps_their_my_number_when_back_from_abroad(
    country: Deployment,
) -> None:
    chiyoda = country.municipality(CHIYODA)
    resident = record_person(chiyoda)
    today = chiyoda.supply.clock.today()
    new_code = codes.change_resident_code(resident.resident_code, today, CLERK, chiyoda.supply)
    departures.record_move_out(
        {
            "resident_code": new_code,
            "destination": "英国ロンドン市",
            "planned_on": "2026-11-23",
            "abroad": True,
        },
        CLERK,
        chiyoda.supply,
    )

    back = record_person(
        chiyoda,
        reason="arrival-from-abroad",
        previous_resident_code=new_code,
        arrived_on="2026-11-23",
    )

    assert (back.resident_code, back.my_number) == (new_code, resident.my_number)
