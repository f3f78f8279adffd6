"""Corrections of a living record (記載の修正): 転居, 世帯変更, 氏名変更 and 職権修正.

Every correction of identity information reaches the prefecture and national nodes as a new
version of kind "correction"; a household change is local and sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from jukinet.bootstrap import Node
from jukinet.deployments import Deployment
from jukinet.domain.errors import InvalidValue
from jukinet.domain.identity import IdentityInfo
from jukinet.domain.residents import Relationship, Resident
from jukinet.nodes.municipal import amendments, arrivals
from jukinet.nodes.municipal.queries import resident_view

CHIYODA = "131016"
OLD_ADDRESS = "東京都千代田区丸の内一丁目1番1号"
NEW_ADDRESS = "東京都千代田区神田神保町二丁目2番地"
CLERK = "clerk-ito"


@pytest.fixture
def country(make_deployment: Callable[..., Deployment]) -> Deployment:
    """千代田区 alone, with its prefecture and the national node: all these tests need."""
    return make_deployment((CHIYODA,))


def record_person(node: Node, **items: object) -> Resident:
    form = {
        "reason": "ex-officio-record",
        "family_name": "高橋",
        "given_name": "健一",
        "family_name_kana": "たかはし",
        "given_name_kana": "けんいち",
        "birth_date": "1975-07-07",
        "sex": "male",
        "address": OLD_ADDRESS,
        "arrived_on": "2015-04-01",
        **items,
    }
    return arrivals.record_arrival(form, CLERK, node.supply)


@dataclass
class Family:
    head: Resident
    wife: Resident
    child: Resident

    @property
    def members(self) -> list[Resident]:
        return [self.head, self.wife, self.child]


def record_family(node: Node) -> Family:
    head = record_person(node)
    joining = {"household_id": head.household_id}
    wife = record_person(
        node,
        given_name="陽子",
        given_name_kana="ようこ",
        sex="female",
        household={**joining, "relationship": "wife"},
    )
    child = record_person(
        node,
        given_name="翔",
        given_name_kana="しょう",
        birth_date="2012-03-03",
        household={**joining, "relationship": "child"},
    )
    return Family(head, wife, child)


def current(node: Node, resident_code: str) -> Resident:
    with node.unit_of_work() as uow:
        resident = uow.residents.active_by_code(resident_code)
    assert resident is not None
    return resident


def latest_held(node: Node, resident_code: str) -> IdentityInfo:
    with node.unit_of_work() as uow:
        versions = uow.identities.versions_of(resident_code)
    return max(versions, key=lambda version: version[1])[2]


def test_a_household_moving_within_the_municipality_updates_every_member_and_its_address(
    country: Deployment,
) -> None:
    chiyoda = country.municipality(CHIYODA)
    family = record_family(chiyoda)
    country.pump()

    moved = amendments.record_move_within(
        {
            "resident_code": family.wife.resident_code,
            "address": NEW_ADDRESS,
            "moved_on": "2026-11-15",
        },
        CLERK,
        chiyoda.supply,
    )

    assert sorted(moved) == sorted(m.resident_code for m in family.members)
    for member in family.members:
        record = current(chiyoda, member.resident_code)
        assert (record.address, record.previous_address) == (NEW_ADDRESS, OLD_ADDRESS)
        assert record.address_set_on.isoformat() == "2026-11-15"
        assert (record.household_id, record.relationship) == (
            member.household_id,
            member.relationship,
        )
        line = resident_view(member.resident_code, chiyoda.unit_of_work)["history"][-1]
        assert (line["reason"], line["occurred_on"], line["operator"]) == (
            "move-within",
            "2026-11-15",
            CLERK,
        )
    with chiyoda.unit_of_work() as uow:
        household = uow.households.get(family.head.household_id)
    assert household is not None
    assert household.address == NEW_ADDRESS

    assert country.pump() > 0
    for member in family.members:
        held = latest_held(country.national, member.resident_code)
        assert (held.address, held.reason.value, held.kind.value) == (
            NEW_ADDRESS,
            "move-within",
            "correction",
        )


def test_a_member_moving_alone_heads_a_new_household_at_the_new_address(
    country: Deployment,
) -> None:
    chiyoda = country.municipality(CHIYODA)
    family = record_family(chiyoda)

    moved = amendments.record_move_within(
        {
            "resident_code": family.child.resident_code,
            "address": NEW_ADDRESS,
            "moved_on": "2026-11-15",
            "whole_household": False,
        },
        CLERK,
        chiyoda.supply,
    )

    assert moved == [family.child.resident_code]
    child = current(chiyoda, family.child.resident_code)
    assert child.household_id != family.head.household_id
    assert child.relationship is Relationship.HEAD
    with chiyoda.unit_of_work() as uow:
        household = uow.households.get(child.household_id)
    assert household is not None
    assert (household.address, household.head_record_id) == (NEW_ADDRESS, child.record_id)
    assert current(chiyoda, family.head.resident_code).address == OLD_ADDRESS


def test_a_household_change_moves_the_person_and_their_relationship_but_notifies_nobody(
    country: Deployment,
) -> None:
    chiyoda = country.municipality(CHIYODA)
    host = record_person(chiyoda)
    lodger = record_person(chiyoda, family_name="中村", family_name_kana="なかむら")
    country.pump()
    held_before = latest_held(country.national, lodger.resident_code)
    backlog_before = chiyoda.outbox.backlog()

    changed = amendments.change_household(
        {
            "resident_code": lodger.resident_code,
            "household": {"household_id": host.household_id, "relationship": "lodger"},
            "changed_on": "2026-11-10",
        },
        CLERK,
        chiyoda.supply,
    )

    assert (changed.household_id, changed.relationship) == (host.household_id, Relationship.LODGER)
    view = resident_view(lodger.resident_code, chiyoda.unit_of_work)
    members = {m["resident_code"]: m["relationship_label"] for m in view["household"]["members"]}
    assert members == {host.resident_code: "世帯主", lodger.resident_code: "同居人"}
    line = view["history"][-1]
    assert (line["reason"], line["occurred_on"]) == ("household-change", "2026-11-10")
    with chiyoda.unit_of_work() as uow:
        old_household = uow.households.get(lodger.household_id)
    assert old_household is not None
    assert old_household.ended_on is not None

    # The household is not identity information (住基法30条の6): nothing leaves the town hall.
    assert chiyoda.outbox.backlog() == backlog_before
    assert country.pump() == 0
    assert latest_held(country.nodes["prefecture"], lodger.resident_code) == held_before
    assert latest_held(country.national, lodger.resident_code) == held_before
    assert view["identity"] == held_before.to_wire()  # what the clerk sees is what was sent
    assert country.national.consistency.run([CHIYODA])[0].consistent


def test_a_member_may_leave_to_head_a_household_of_their_own_at_the_same_address(
    country: Deployment,
) -> None:
    chiyoda = country.municipality(CHIYODA)
    family = record_family(chiyoda)

    changed = amendments.change_household(
        {"resident_code": family.child.resident_code, "changed_on": "2026-11-10"},
        CLERK,
        chiyoda.supply,
    )

    assert changed.household_id != family.head.household_id
    assert changed.relationship is Relationship.HEAD
    with chiyoda.unit_of_work() as uow:
        household = uow.households.get(changed.household_id)
    assert household is not None
    assert household.address == OLD_ADDRESS


def test_a_name_change_records_the_new_name_with_furigana_and_former_surname(
    country: Deployment,
) -> None:
    chiyoda = country.municipality(CHIYODA)
    bride = record_person(
        chiyoda, family_name="山本", family_name_kana="やまもと", given_name="美咲", sex="female"
    )

    renamed = amendments.change_name(
        {
            "resident_code": bride.resident_code,
            "family_name": "髙橋",
            "given_name": "美咲",
            "family_name_kana": "たかはし",
            "given_name_kana": "ミサキ",
            "former_surname": "山本",
            "changed_on": "2026-11-03",
        },
        CLERK,
        chiyoda.supply,
    )

    name = current(chiyoda, bride.resident_code).name
    assert (name.family, name.family_kana, name.given_kana, name.former_surname) == (
        "髙橋",
        "タカハシ",
        "ミサキ",
        "山本",
    )
    assert renamed.resident_code == bride.resident_code
    country.pump()
    held = latest_held(country.national, bride.resident_code)
    assert (held.family_name, held.family_name_kana, held.former_surname) == (
        "髙橋",
        "タカハシ",
        "山本",
    )
    assert (held.reason.value, held.kind.value, held.change_date.isoformat()) == (
        "name-change",
        "correction",
        "2026-11-03",
    )


def test_a_name_change_keeps_the_parts_left_out_of_the_form(country: Deployment) -> None:
    chiyoda = country.municipality(CHIYODA)
    bride = record_person(chiyoda, given_name="美咲", given_name_kana="みさき", sex="female")

    amendments.change_name(
        {
            "resident_code": bride.resident_code,
            "family_name": "山﨑",
            "family_name_kana": "やまさき",
            "former_surname": "高橋",
            "changed_on": "2026-11-03",
        },
        CLERK,
        chiyoda.supply,
    )

    name = current(chiyoda, bride.resident_code).name
    assert (name.family, name.family_kana, name.given, name.given_kana, name.former_surname) == (
        "山﨑",
        "ヤマサキ",
        "美咲",
        "ミサキ",
        "高橋",
    )


def test_a_new_family_name_without_its_furigana_is_refused_and_nothing_changes(
    country: Deployment,
) -> None:
    chiyoda = country.municipality(CHIYODA)
    bride = record_person(chiyoda, given_name="美咲", sex="female")

    with pytest.raises(InvalidValue) as refused:
        amendments.change_name(
            {
                "resident_code": bride.resident_code,
                "family_name": "山﨑",
                "changed_on": "2026-11-03",
            },
            CLERK,
            chiyoda.supply,
        )

    assert refused.value.field == "family_name_kana"
    assert current(chiyoda, bride.resident_code).name == bride.name


@pytest.mark.parametrize(
    ("correction", "expected"),
    [
        ({"family_name": "髙橋"}, {"family": "髙橋", "given": "健一", "given_kana": "ケンイチ"}),
        ({"given_name": "健壱"}, {"family": "高橋", "given": "健壱", "family_kana": "タカハシ"}),
        ({"family_name_kana": "たかばし"}, {"family": "高橋", "family_kana": "タカバシ"}),
        ({"birth_date": "1975-07-17"}, {"family": "高橋", "given": "健一"}),
    ],
    ids=["family-name-glyph", "given-name", "furigana", "birth-date"],
)
def test_an_ex_officio_correction_changes_only_the_items_given(
    country: Deployment, correction: dict[str, str], expected: dict[str, str]
) -> None:
    chiyoda = country.municipality(CHIYODA)
    today = chiyoda.supply.clock.today()
    resident = record_person(chiyoda)
    form = {"resident_code": resident.resident_code, "note": "戸籍照合により修正", **correction}

    amendments.correct_record(form, CLERK, chiyoda.supply)

    record = current(chiyoda, resident.resident_code)
    for part, value in expected.items():
        assert getattr(record.name, part) == value
    if "birth_date" in correction:
        assert record.birth_date.isoformat() == correction["birth_date"]
    assert record.remarks == "戸籍照合により修正"
    line = resident_view(resident.resident_code, chiyoda.unit_of_work)["history"][-1]
    assert (line["reason"], line["occurred_on"], line["operator"]) == (
        "ex-officio-correction",
        today.isoformat(),
        CLERK,
    )
    country.pump()
    held = latest_held(country.national, resident.resident_code)
    assert held == record.identity()
    assert (held.reason.value, held.kind.value) == ("ex-officio-correction", "correction")
