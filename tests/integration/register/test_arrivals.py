"""Records that begin at a municipality (記載): births, arrivals, foreign residents, move-ins.

Each specification follows the record from the clerk's counter to the national node: what
the register holds, the household and 続柄, the history line, and the identity information
the prefecture and national nodes hold once the outboxes are delivered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from jukinet.bootstrap import Node
from jukinet.deployments import Deployment
from jukinet.domain.certificates import MoveOutCertificate
from jukinet.domain.codes import MyNumber, ResidentCode
from jukinet.domain.errors import Conflict
from jukinet.domain.identity import IdentityInfo
from jukinet.domain.residents import ForeignResidentClass
from jukinet.nodes.municipal import arrivals, departures
from jukinet.nodes.municipal.queries import resident_view

CHIYODA, TSURUMI, KITA = "131016", "141011", "271276"
CHIYODA_ADDRESS = "東京都千代田区丸の内一丁目1番1号"
TSURUMI_ADDRESS = "神奈川県横浜市鶴見区鶴見中央三丁目20番1号"
KITA_ADDRESS = "大阪府大阪市北区梅田一丁目1番1号"
CLERK = "clerk-tanaka"


@pytest.fixture
def tokyo(make_deployment: Callable[..., Deployment]) -> Deployment:
    """A country of 千代田区 alone, with its prefecture and the national node: quicker to build."""
    return make_deployment((CHIYODA,))


def person(**items: object) -> dict[str, object]:
    """A 職権記載 form for an adult living in 千代田区; ``items`` override any field."""
    return {
        "reason": "ex-officio-record",
        "family_name": "山田",
        "given_name": "太郎",
        "family_name_kana": "やまだ",
        "given_name_kana": "たろう",
        "birth_date": "1980-04-01",
        "sex": "male",
        "address": CHIYODA_ADDRESS,
        "arrived_on": "2020-01-01",
        **items,
    }


def move_in_form(
    certificate: MoveOutCertificate, address: str, moved_in_on: date
) -> dict[str, Any]:
    """The 転入届 as the clerk keys it in from the person and their paper 転出証明書."""
    return {
        "certificate": certificate.to_wire(),
        "family_name": certificate.family_name,
        "given_name": certificate.given_name,
        "birth_date": certificate.birth_date.isoformat(),
        "sex": certificate.sex.value,
        "address": address,
        "moved_in_on": moved_in_on.isoformat(),
    }


def held_by(node: Node, resident_code: str) -> list[IdentityInfo]:
    """Every version of the person's identity information the node holds."""
    with node.unit_of_work() as uow:
        return [identity for _, _, identity in uow.identities.versions_of(resident_code)]


def issued_number(country: Deployment, resident_code: str) -> str | None:
    with country.national.unit_of_work() as uow:
        number: str | None = uow.issued_numbers.number_for(resident_code)
        return number


def test_a_person_found_living_here_is_recorded_ex_officio_as_head_of_a_new_household(
    tokyo: Deployment,
) -> None:
    chiyoda = tokyo.municipality(CHIYODA)
    today = chiyoda.supply.clock.today()

    resident = arrivals.record_arrival(person(), CLERK, chiyoda.supply)

    view = resident_view(resident.resident_code, chiyoda.unit_of_work)
    record = view["record"]
    assert record["status"] == "active"
    assert record["name"]["family_kana"] == "ヤマダ"  # furigana is stored as katakana
    assert record["became_resident_on"] == "2020-01-01"
    assert view["household"]["address"] == CHIYODA_ADDRESS
    assert [
        (m["resident_code"], m["relationship_label"]) for m in view["household"]["members"]
    ] == [(resident.resident_code, "世帯主")]
    (line,) = view["history"]
    assert (line["reason"], line["occurred_on"], line["notified_on"], line["operator"]) == (
        "ex-officio-record",
        "2020-01-01",
        today.isoformat(),
        CLERK,
    )

    tokyo.pump()
    for node in (tokyo.nodes["prefecture"], tokyo.national):
        (held,) = held_by(node, resident.resident_code)
        assert held == resident.identity()
        assert (held.reason.value, held.kind.value, held.status.value) == (
            "ex-officio-record",
            "record",
            "active",
        )


def test_a_birth_gets_a_new_resident_code_and_a_my_number_from_the_national_node(
    tokyo: Deployment,
) -> None:
    chiyoda = tokyo.municipality(CHIYODA)
    parent = arrivals.record_arrival(person(), CLERK, chiyoda.supply)

    baby = arrivals.record_birth(
        {
            "family_name": "山田",
            "given_name": "花子",
            "birth_date": "2026-11-01",
            "sex": "female",
            "address": CHIYODA_ADDRESS,
            "household": {"household_id": parent.household_id, "relationship": "child"},
        },
        CLERK,
        chiyoda.supply,
    )

    assert ResidentCode(baby.resident_code) != ResidentCode(parent.resident_code)
    assert baby.my_number is not None
    assert MyNumber(baby.my_number).value == issued_number(tokyo, baby.resident_code)
    view = resident_view(baby.resident_code, chiyoda.unit_of_work)
    assert view["household"]["household_id"] == parent.household_id
    members = {m["resident_code"]: m["relationship_label"] for m in view["household"]["members"]}
    assert members == {parent.resident_code: "世帯主", baby.resident_code: "子"}
    (line,) = view["history"]
    assert (line["reason"], line["occurred_on"], line["operator"]) == ("birth", "2026-11-01", CLERK)

    tokyo.pump()
    (held,) = held_by(tokyo.national, baby.resident_code)
    assert (held.reason.value, held.kind.value, held.birth_date) == (
        "birth",
        "record",
        date(2026, 11, 1),
    )
    assert held.my_number == baby.my_number


def test_a_person_back_from_abroad_keeps_their_resident_code_and_my_number(
    country: Deployment,
) -> None:
    kita, chiyoda = country.municipality(KITA), country.municipality(CHIYODA)
    before = arrivals.record_arrival(person(address=KITA_ADDRESS), CLERK, kita.supply)
    departures.record_move_out(
        {
            "resident_code": before.resident_code,
            "destination": "アメリカ合衆国カリフォルニア州",
            "planned_on": "2023-03-31",
            "abroad": True,
        },
        CLERK,
        kita.supply,
    )

    back = arrivals.record_arrival(
        person(
            reason="arrival-from-abroad",
            previous_resident_code=before.resident_code,
            previous_address="アメリカ合衆国カリフォルニア州",
            arrived_on="2026-11-20",
        ),
        CLERK,
        chiyoda.supply,
    )

    assert (back.resident_code, back.my_number) == (before.resident_code, before.my_number)
    country.pump()
    versions = {
        (v.municipality_code, v.reason.value) for v in held_by(country.national, back.resident_code)
    }
    assert versions == {
        (KITA, "ex-officio-record"),
        (KITA, "move-abroad"),
        (CHIYODA, "arrival-from-abroad"),
    }


def test_a_foreign_resident_is_registered_with_the_items_of_article_30_45(
    tokyo: Deployment,
) -> None:
    chiyoda = tokyo.municipality(CHIYODA)
    form = person(
        reason="foreign-resident-registration",
        family_name="WANG",
        given_name="XIAOMING",
        family_name_kana="",
        given_name_kana="",
        alias="王　小明",
        sex="male",
        arrived_on="2026-04-01",
        foreign={
            "resident_class": "mid-to-long-term",
            "nationality": "中国",
            "became_foreign_resident_on": "2026-04-01",
            "residence_status": "技術・人文知識・国際業務",
            "period_of_stay": "5年",
            "stay_expires_on": "2031-04-01",
            "card_number": "AB12345678CD",
        },
    )

    resident = arrivals.record_arrival(form, CLERK, chiyoda.supply)

    with chiyoda.unit_of_work() as uow:
        stored = uow.residents.active_by_code(resident.resident_code)
    assert stored is not None
    assert stored.foreign is not None
    assert stored.foreign.resident_class is ForeignResidentClass.MID_TO_LONG_TERM
    assert (
        stored.foreign.nationality,
        stored.foreign.residence_status,
        stored.foreign.stay_expires_on,
        stored.foreign.card_number,
    ) == ("中国", "技術・人文知識・国際業務", date(2031, 4, 1), "AB12345678CD")
    assert stored.domicile is None  # foreign residents have no 本籍 on the register

    tokyo.pump()
    (held,) = held_by(tokyo.national, resident.resident_code)
    assert (held.family_name, held.given_name, held.alias) == ("WANG", "XIAOMING", "王　小明")
    assert held.reason.value == "foreign-resident-registration"
    # Nationality and residence status are not identity information: they stay in the town hall.
    assert "中国" not in str(held.to_wire())


@pytest.mark.parametrize(
    "family_name",
    ["髙橋", "山﨑", "𠮷田", "葛\U000e0100"],
    ids=["hashigo-taka", "tatsu-saki", "tsuchi-yoshi", "ivs-katsura"],
)
def test_names_written_with_variant_glyphs_reach_the_national_node_byte_for_byte(
    tokyo: Deployment, family_name: str
) -> None:
    chiyoda = tokyo.municipality(CHIYODA)

    resident = arrivals.record_arrival(person(family_name=family_name), CLERK, chiyoda.supply)
    tokyo.pump()

    (held,) = held_by(tokyo.national, resident.resident_code)
    assert held.family_name.encode() == family_name.encode()
    with chiyoda.unit_of_work() as uow:
        stored = uow.residents.active_by_code(resident.resident_code)
    assert stored is not None
    assert stored.name.family.encode() == family_name.encode()


def _moved_out(country: Deployment, code: str, planned_on: date) -> tuple[str, MoveOutCertificate]:
    """A person recorded in 千代田区 who has just filed a 転出届; returns code and certificate."""
    chiyoda = country.municipality(CHIYODA)
    resident = arrivals.record_arrival(person(), CLERK, chiyoda.supply)
    out = departures.record_move_out(
        {
            "resident_code": resident.resident_code,
            "destination": TSURUMI_ADDRESS if code == TSURUMI else KITA_ADDRESS,
            "planned_on": planned_on.isoformat(),
        },
        CLERK,
        chiyoda.supply,
    )
    assert out.certificate is not None
    return resident.resident_code, out.certificate


def test_a_move_in_keeps_the_code_and_number_of_the_certificate_and_uses_it_up(
    country: Deployment,
) -> None:
    tsurumi = country.municipality(TSURUMI)
    today = tsurumi.supply.clock.today()
    code, certificate = _moved_out(country, TSURUMI, today - timedelta(days=3))
    form = move_in_form(certificate, TSURUMI_ADDRESS, today - timedelta(days=3))

    result = arrivals.record_move_in(form, CLERK, tsurumi.supply)

    moved = result.resident
    assert (moved.resident_code, moved.my_number) == (code, certificate.my_number)
    assert moved.municipality_code == TSURUMI
    assert moved.previous_address == CHIYODA_ADDRESS  # 従前の住所, from the certificate
    assert not result.late
    (line,) = resident_view(code, tsurumi.unit_of_work)["history"]
    assert (line["reason"], line["occurred_on"], line["notified_on"]) == (
        "move-in",
        (today - timedelta(days=3)).isoformat(),
        today.isoformat(),
    )
    with pytest.raises(Conflict) as second_use:
        arrivals.record_move_in(form, CLERK, tsurumi.supply)
    assert second_use.value.field == "certificate.certificate_id"


def test_a_certificate_keyed_without_the_my_number_still_brings_the_persons_number(
    country: Deployment,
) -> None:
    tsurumi = country.municipality(TSURUMI)
    today = tsurumi.supply.clock.today()
    code, certificate = _moved_out(country, TSURUMI, today)

    result = arrivals.record_move_in(
        move_in_form(replace(certificate, my_number=None), TSURUMI_ADDRESS, today),
        CLERK,
        tsurumi.supply,
    )

    assert (result.resident.resident_code, result.resident.my_number) == (
        code,
        certificate.my_number,
    )


@pytest.mark.parametrize(("days_after", "late"), [(14, False), (15, True)])
def test_a_move_in_notified_more_than_14_days_after_moving_in_is_flagged_late(
    country: Deployment, days_after: int, late: bool
) -> None:
    tsurumi = country.municipality(TSURUMI)
    moved_in_on = tsurumi.supply.clock.today() - timedelta(days=days_after)
    _, certificate = _moved_out(country, TSURUMI, moved_in_on)

    result = arrivals.record_move_in(
        move_in_form(certificate, TSURUMI_ADDRESS, moved_in_on), CLERK, tsurumi.supply
    )

    assert result.late is late


def test_a_move_to_another_prefecture_leaves_the_national_node_with_the_removed_and_the_new_record(
    country: Deployment,
) -> None:
    kita = country.municipality(KITA)
    today = kita.supply.clock.today()
    code, certificate = _moved_out(country, KITA, today - timedelta(days=2))

    arrivals.record_move_in(move_in_form(certificate, KITA_ADDRESS, today), CLERK, kita.supply)
    country.pump()

    latest = {
        (v.municipality_code, v.status.value, v.reason.value)
        for v in held_by(country.national, code)
        if v.reason.value != "ex-officio-record"
    }
    # The 転入通知 completed Chiyoda's removal with the actual date and address (転出確定).
    assert latest == {
        (CHIYODA, "removed", "move-out"),
        (CHIYODA, "removed", "move-out-confirmed"),
        (KITA, "active", "move-in"),
    }
    for check in country.national.consistency.run([CHIYODA, KITA]):
        assert check.consistent, check
        assert check.counts == {"national": 1, "prefecture": 1, "municipality": 1}
