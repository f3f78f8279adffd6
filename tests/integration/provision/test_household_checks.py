"""世帯情報の確認 end to end: an agency asks the national node, which asks the home municipality.

A module-wide country holds, at one address in 千代田区, the household of seed 000 — A (世帯主),
B (妻), C (子), D (父) and E (母) — and a lodger who heads a household of her own; next door
lives a neighbour, and at the same address a grandfather who has died. 日本年金機構 checks
applications for the national pension (a household affair) as its own system would, through
the agency use case over the signed recipients' API.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from tests.conftest import TEST_MOMENT, opened_country
from tests.integration.provision.conftest import (
    CHIYODA,
    CLERK,
    KITA,
    KITA_ADDRESS,
    PENSION,
    World,
    log_rows,
    provided_codes,
    record,
)
from typer.testing import CliRunner

from jukinet.adapters.clock import FixedClock
from jukinet.adapters.network.agency_gateway import HttpProvisionGateway
from jukinet.adapters.network.recipient_client import (
    RecipientClient,
    RecipientCredentials,
    RecipientRequestFailed,
)
from jukinet.cli import households as cli
from jukinet.cli.main import app
from jukinet.domain.residents import Relationship, Resident
from jukinet.nodes.agency.households import (
    Application,
    ListedPerson,
    Verdict,
    check_application,
)
from jukinet.nodes.municipal import departures
from jukinet.nodes.ports import PeerRejected
from jukinet.protocol.catalogue import HouseholdQuery
from jukinet.protocol.directory import municipality_node_id

ADDRESS = "東京都千代田区永田町一丁目7番1号"
LODGER_ADDRESS = "東京都千代田区永田町1丁目7-1"  # the same address, written another way
NEXT_DOOR = "東京都千代田区永田町一丁目7番2号"
NO_HOUSEHOLD_CHECKS = "kenko-hoken"  # 日本年金機構's affair without household = true


def _person(family: str, given: str, born: str, sex: str, **items: object) -> dict[str, object]:
    return {"family_name": family, "given_name": given, "birth_date": born, "sex": sex, **items}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    home = tmp_path_factory.mktemp("households")
    clock = FixedClock(TEST_MOMENT)
    with opened_country(home, (CHIYODA, KITA), clock) as country:
        chiyoda = country.municipality(CHIYODA)
        a = record(chiyoda, **_person("山田", "太郎", "1960-05-01", "male", address=ADDRESS))

        def join(relationship: str, **person: object) -> Resident:
            household = {"household_id": a.household_id, "relationship": relationship}
            return record(chiyoda, address=ADDRESS, household=household, **person)

        people = {
            "A": a,
            "B": join("wife", **_person("山田", "花子", "1962-08-10", "female")),
            "C": join("child", **_person("山田", "一郎", "1990-01-15", "male")),
            "D": join("father", **_person("山田", "茂", "1932-03-03", "male")),
            "E": join("mother", **_person("山田", "ハル", "1935-11-20", "female")),
            "G": join("relative", **_person("山田", "源", "1930-02-02", "male")),
            "lodger": record(
                chiyoda, **_person("鈴木", "恵", "1998-07-07", "female", address=LODGER_ADDRESS)
            ),
            "neighbour": record(
                chiyoda, **_person("田中", "一", "1970-09-09", "male", address=NEXT_DOOR)
            ),
            "elsewhere": record(country.municipality(KITA), address=KITA_ADDRESS),
        }
        departures.record_death(
            {"resident_code": people["G"].resident_code, "died_on": "2026-11-01"},
            CLERK,
            chiyoda.supply,
        )
        country.pump()
        yield World(country, clock, home, people, moved_code="")


class Borrowed(httpx.BaseTransport):
    """The country's in-process transport, which the command's client must not close."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._inner.handle_request(request)


def code(world: World, name: str) -> str:
    return world.people[name].resident_code


def same_address(world: World, key: dict[str, Any], affair: str = PENSION) -> dict[str, Any]:
    return world.client("nenkin").post("/provision/v1/same-address", {"affair": affair, "key": key})


def household_check(world: World, codes: list[str], affair: str = PENSION) -> dict[str, Any]:
    return world.client("nenkin").post(
        "/provision/v1/household-checks", {"affair": affair, "resident_codes": codes}
    )


def application(world: World, *members: tuple[str, Relationship]) -> Application:
    listed = tuple(ListedPerson(code(world, name), kind) for name, kind in members)
    return Application(PENSION, ListedPerson(code(world, "A"), Relationship.HEAD), listed)


def gateway(world: World) -> HttpProvisionGateway:
    return HttpProvisionGateway(world.client("nenkin"))


def inquiries(world: World, resident_code: str) -> list[Any]:
    with world.country.municipality(CHIYODA).unit_of_work() as uow:
        return list(uow.household_inquiries.of(resident_code))


# --- same address


def test_same_address_names_everyone_living_at_the_applicants_address_and_logs_each_one(
    world: World,
) -> None:
    answer = same_address(world, {"resident_code": code(world, "A")})

    found = [r["identity"]["resident_code"] for r in answer["residents"]]
    household = ["A", "B", "C", "D", "E", "lodger"]
    assert answer["person"] == found[0] == code(world, "A")
    assert sorted(found) == sorted(code(world, name) for name in household)
    assert {r["status"]["state"] for r in answer["residents"]} == {"resident"}
    (entry,) = log_rows(world, provision_id=answer["provision_id"])
    assert (entry["key_kind"], entry["outcome"], entry["provided"]) == (
        "same-address",
        "provided",
        6,
    )
    assert provided_codes(world, provision_id=answer["provision_id"]) == sorted(found)


def test_same_address_finds_the_person_by_name_but_not_someone_who_died(world: World) -> None:
    by_name = same_address(world, {"name": "山田 一郎", "birth_date": "1990-01-15", "sex": "male"})
    with pytest.raises(RecipientRequestFailed) as failed:
        same_address(world, {"resident_code": code(world, "G")})

    assert by_name["person"] == code(world, "C")
    assert len(by_name["residents"]) == 6
    assert (failed.value.status, failed.value.problem["title"]) == (404, "not-found")
    assert log_rows(world, key_kind="same-address", outcome="not-found")[-1]["provided"] == 0


# --- household checks


def test_the_municipality_answers_household_and_relationship_and_nothing_else(
    world: World,
) -> None:
    asked = [code(world, n) for n in ("A", "C", "lodger", "neighbour", "elsewhere")]

    answer = household_check(world, asked)

    assert answer["municipality_code"] == CHIYODA
    assert [
        (m["resident_code"], m["registered"], m["household"], m["relationship"])
        for m in answer["members"]
    ] == [
        (asked[0], True, "1", "head"),
        (asked[1], True, "1", "child"),
        (asked[2], True, "2", "head"),
        (asked[3], True, "3", "head"),
        (asked[4], False, None, None),  # registered in 大阪市北区, not here
    ]
    assert {key for m in answer["members"] for key in m} == {
        "resident_code",
        "registered",
        "household",
        "relationship",
        "relationship_label",
    }
    assert answer["members"][1]["relationship_label"] == "子"
    household_id = world.people["A"].household_id
    assert household_id not in str(answer)
    assert "山田" not in str(answer)


def test_the_national_log_lists_the_people_the_municipality_answered_about(world: World) -> None:
    asked = [code(world, n) for n in ("A", "B", "elsewhere")]

    answer = household_check(world, asked)

    (entry,) = log_rows(world, provision_id=answer["provision_id"])
    assert (entry["key_kind"], entry["outcome"], entry["provided"]) == ("household", "provided", 2)
    assert provided_codes(world, provision_id=answer["provision_id"]) == sorted(asked[:2])


def test_the_municipality_keeps_who_asked_about_whom_for_which_affair(world: World) -> None:
    answer = household_check(world, [code(world, "A"), code(world, "E")])

    (inquiry,) = [
        i for i in inquiries(world, code(world, "E")) if i.provision_id == answer["provision_id"]
    ]
    assert (inquiry.requester, inquiry.recipient_id, inquiry.affair_id) == (
        "national",
        "nenkin",
        PENSION,
    )
    assert inquiry.at == TEST_MOMENT
    assert answer["provision_id"] in {i.provision_id for i in inquiries(world, code(world, "A"))}


# --- the two patterns of seed 000, as the agency's system runs them


def test_pattern_1_a_child_listed_with_the_right_relationship_is_confirmed(world: World) -> None:
    result = check_application(
        application(world, ("C", Relationship.CHILD)), gateway(world), complete=False
    )

    assert result.applicant.verdict is Verdict.CONFIRMED
    assert [(m.verdict, m.registered) for m in result.members] == [
        (Verdict.CONFIRMED, Relationship.CHILD)
    ]
    assert result.consistent


def test_pattern_1_a_wrong_relationship_is_flagged_with_the_registered_one(world: World) -> None:
    result = check_application(
        application(world, ("C", Relationship.GRANDCHILD)), gateway(world), complete=False
    )

    (child,) = result.members
    assert (child.verdict, child.registered) == (Verdict.RELATIONSHIP_DIFFERS, Relationship.CHILD)
    assert not result.consistent


def test_pattern_2_household_members_left_off_the_application_are_named(world: World) -> None:
    result = check_application(
        application(world, ("B", Relationship.WIFE), ("C", Relationship.CHILD)), gateway(world)
    )

    assert [m.verdict for m in result.members] == [Verdict.CONFIRMED, Verdict.CONFIRMED]
    assert [
        (left.occupant.resident_code, left.occupant.name, left.relationship)
        for left in result.left_off
    ] == [
        (code(world, "D"), "山田\u3000茂", Relationship.FATHER),
        (code(world, "E"), "山田\u3000ハル", Relationship.MOTHER),
    ]
    assert not result.consistent  # the lodger, in a household of her own, is not missing


def test_pattern_2_a_lodger_listed_as_a_member_is_not_in_the_household(world: World) -> None:
    everyone = [("B", Relationship.WIFE), ("C", Relationship.CHILD)]
    everyone += [("D", Relationship.FATHER), ("E", Relationship.MOTHER)]

    result = check_application(
        application(world, *everyone, ("lodger", Relationship.LODGER)), gateway(world)
    )

    assert [m.verdict for m in result.members] == [Verdict.CONFIRMED] * 4 + [
        Verdict.NOT_IN_HOUSEHOLD
    ]
    assert result.left_off == ()


def test_the_command_line_reports_the_people_left_off_and_exits_1(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.client("nenkin")  # registers the agency and writes its credentials folder
    bridge = world.country.bridge
    assert bridge is not None

    def in_process(credentials: RecipientCredentials) -> httpx.Client:
        return httpx.Client(transport=Borrowed(bridge), base_url=credentials.endpoint)

    monkeypatch.setattr(RecipientCredentials, "https_client", in_process)
    monkeypatch.setattr(cli, "RecipientClient", partial(RecipientClient, now=world.clock.now))
    arguments = ["agency", "household-check", "--credentials"]
    arguments += [str(world.client("nenkin").credentials.folder), "--operator", "op-0002"]
    arguments += ["--affair", PENSION, "--applicant", code(world, "A")]
    arguments += ["--member", f"{code(world, 'B')}:妻", "--member", f"{code(world, 'C')}：子"]

    result = CliRunner().invoke(app, arguments)

    assert result.exit_code == 1, result.output
    assert "申請書に記載のない世帯員" in result.output
    assert "山田　茂" in result.output
    assert "山田　ハル" in result.output
    assert "鈴木" not in result.output


# --- refusals


def test_an_affair_without_household_checks_is_refused_with_403_and_logged(world: World) -> None:
    asked_before = len(inquiries(world, code(world, "A")))

    for ask in (
        lambda: same_address(world, {"resident_code": code(world, "A")}, NO_HOUSEHOLD_CHECKS),
        lambda: household_check(world, [code(world, "A")], NO_HOUSEHOLD_CHECKS),
    ):
        with pytest.raises(RecipientRequestFailed) as failed:
            ask()
        assert (failed.value.status, failed.value.problem["field"]) == (403, "household")

    refused = log_rows(world, affair_id=NO_HOUSEHOLD_CHECKS, outcome="refused")
    assert [(r["key_kind"], r["provided"]) for r in refused[-2:]] == [
        ("same-address", 0),
        ("household", 0),
    ]
    assert len(inquiries(world, code(world, "A"))) == asked_before  # the municipality never asked


def test_codes_that_cannot_be_read_or_repeat_are_refused_naming_the_field(world: World) -> None:
    cases = [([], "resident_codes"), (["12345678901"], "resident_codes[0]")]
    cases.append(([code(world, "A"), code(world, "A")], "resident_codes[1]"))

    for codes, field in cases:
        with pytest.raises(RecipientRequestFailed) as failed:
            household_check(world, codes)
        assert (failed.value.status, failed.value.problem["field"]) == (422, field)


def test_an_unreachable_municipality_is_503_and_the_attempt_is_logged(world: World) -> None:
    bridge = world.country.bridge
    assert bridge is not None
    host = f"{municipality_node_id(CHIYODA)}.jukinet.invalid"

    async def down(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 503, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    bridge.mount(host, down)
    try:
        with pytest.raises(RecipientRequestFailed) as failed:
            household_check(world, [code(world, "A"), code(world, "B")])
    finally:
        bridge.mount(host, world.country.municipality(CHIYODA).app)

    assert failed.value.status == 503
    entry = log_rows(world, key_kind="household", outcome="unanswered")[-1]
    assert entry["provided"] == 0
    assert "503" in entry["detail"]


def test_the_municipality_refuses_a_household_query_from_anyone_but_the_national_node(
    world: World,
) -> None:
    kita = world.country.municipality(KITA)
    refusals = world.country.municipality(CHIYODA).metadata.tables["refusals"]
    query = HouseholdQuery(CHIYODA, "p-1", "nenkin", PENSION, (code(world, "A"),))
    with pytest.raises(PeerRejected) as refused:
        kita.peer.request(municipality_node_id(CHIYODA), query)

    assert refused.value.reason == "route-refused"
    with world.country.municipality(CHIYODA).engine.connect() as connection:
        reasons = list(connection.execute(select(refusals.c.reason)).scalars())
    assert "route-refused" in reasons
