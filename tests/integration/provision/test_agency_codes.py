"""機関別符号: J-LIS hands a 住民票コード to the provision network, which derives each agency's
own code; an agency collects only its own codes, once, and no code reveals the person's
numbers or another agency's code."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from tests.integration.provision.conftest import World, log_rows, provided_codes

from jukinet.adapters.network.recipient_client import (
    RecipientRequestFailed,
)
from jukinet.domain.agency_codes import CODE_LENGTH
from jukinet.protocol.directory import LINKAGE_ID

PENSION = "kokumin-nenkin"


def ask_for_code(
    world: World, agency: str, affair: str, number: str, key: dict[str, Any]
) -> dict[str, Any]:
    return world.client(agency).post(
        "/provision/v1/agency-codes", {"affair": affair, "key": key, "acquisition_number": number}
    )


def collect(world: World, agency: str, *numbers: str) -> dict[str, str]:
    codes: dict[str, str] = world.client(agency, node=LINKAGE_ID).post(
        "/linkage/v1/codes/collect", {"acquisition_numbers": list(numbers)}
    )["codes"]
    return codes


def test_two_agencies_get_different_codes_for_the_same_person_and_collect_each_once(
    world: World,
) -> None:
    person = world.people["sato-tokyo"]
    key = {"my_number": person.my_number}

    asked = ask_for_code(world, "nenkin", PENSION, "N-0001", key)
    ask_for_code(world, "kkr", "nenkin-kyufu", "K-0001", key)
    pension_codes = collect(world, "nenkin", "N-0001")
    mutual_aid_codes = collect(world, "kkr", "K-0001")
    again = collect(world, "nenkin", "N-0001")

    pension_code, mutual_aid_code = pension_codes["N-0001"], mutual_aid_codes["K-0001"]
    assert len(pension_code) == len(mutual_aid_code) == CODE_LENGTH
    assert pension_code != mutual_aid_code
    for code in (pension_code, mutual_aid_code):
        assert person.resident_code not in code
        assert str(person.my_number) not in code
    assert again == {}  # a 取得番号 is kept only until its code is collected
    assert asked["collect_from"].endswith("/linkage/v1/codes/collect")
    assert provided_codes(world, provision_id=asked["provision_id"]) == [person.resident_code]


def test_the_same_agency_gets_the_same_code_for_the_same_person_every_time(world: World) -> None:
    person = world.people["takahashi"]

    ask_for_code(world, "nenkin", PENSION, "N-0101", {"resident_code": person.resident_code})
    ask_for_code(
        world,
        "nenkin",
        PENSION,
        "N-0102",
        {"name": "高橋一郎", "birth_date": "1950-04-01", "sex": "male"},
    )
    codes = collect(world, "nenkin", "N-0101", "N-0102")

    assert codes["N-0101"] == codes["N-0102"]


def test_an_agency_cannot_collect_another_agencys_code(world: World) -> None:
    ask_for_code(
        world,
        "nenkin",
        PENSION,
        "N-0201",
        {"resident_code": world.people["sato-osaka"].resident_code},
    )

    stolen = collect(world, "kkr", "N-0201")
    own = collect(world, "nenkin", "N-0201")

    assert stolen == {}
    assert set(own) == {"N-0201"}


@pytest.mark.parametrize("which", ["resident_code", "my_number", "malformed"])
def test_an_acquisition_number_must_not_be_a_persons_real_number(world: World, which: str) -> None:
    person = world.people["sato-tokyo"]
    number = "bad number!" if which == "malformed" else str(getattr(person, which))

    with pytest.raises(RecipientRequestFailed) as refused:
        ask_for_code(world, "nenkin", PENSION, number, {"resident_code": person.resident_code})

    assert (refused.value.status, refused.value.problem["field"]) == (422, "acquisition_number")
    assert (
        log_rows(world, recipient_id="nenkin", key_kind="agency-code")[-1]["outcome"] == "invalid"
    )


def test_a_code_is_made_only_for_exactly_one_identified_person(world: World) -> None:
    with pytest.raises(RecipientRequestFailed) as several:
        ask_for_code(
            world,
            "nenkin",
            PENSION,
            "N-0301",
            {"name": "佐藤花子", "birth_date": "1955-06-15", "sex": "female"},
        )
    with pytest.raises(RecipientRequestFailed) as nobody:
        ask_for_code(
            world,
            "nenkin",
            PENSION,
            "N-0302",
            {"name": "誰 もいない", "birth_date": "1955-06-15", "sex": "female"},
        )

    assert (several.value.status, several.value.problem["title"]) == (422, "narrow-your-search")
    assert nobody.value.status == 404
    assert collect(world, "nenkin", "N-0301", "N-0302") == {}


def test_the_network_keeps_no_resident_code(world: World) -> None:
    person = world.people["takahashi"]
    ask_for_code(world, "nenkin", PENSION, "N-0401", {"resident_code": person.resident_code})

    node = world.country.nodes[LINKAGE_ID]
    with node.engine.connect() as connection:
        table = node.metadata.tables["agency_codes"]
        rows = [dict(r) for r in connection.execute(select(table)).mappings()]
    assert rows
    assert all(person.resident_code not in str(row.values()) for row in rows)
    assert set(rows[0]) == {"agency_id", "acquisition_number", "code", "filed_at"}
