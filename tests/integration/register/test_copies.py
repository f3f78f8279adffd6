"""住民票の写し from the home register: what each requester's PDF prints, and what is recorded."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from tests.conftest import TOKYO_CHIYODA, DeploymentFactory

from jukinet.adapters.documents.resident_copies import render_resident_copy
from jukinet.bootstrap import Node
from jukinet.deployments import Deployment
from jukinet.domain.errors import Conflict, InvalidValue
from jukinet.domain.residents import Resident
from jukinet.nodes.municipal import arrivals, departures
from jukinet.nodes.municipal.copies import copy_records, issue_copy, set_copy_fee

ADDRESS = "東京都千代田区丸の内一丁目1番1号"
DOMICILE = "鹿児島県鹿児島市山下町11番地"
CLERK = "clerk-kimura"
CARD = "my-number-card"


@pytest.fixture
def chiyoda(make_deployment: DeploymentFactory) -> Node:
    country: Deployment = make_deployment((TOKYO_CHIYODA,))
    return country.municipality(TOKYO_CHIYODA)


def register(node: Node, **items: object) -> Resident:
    form = {
        "reason": "ex-officio-record",
        "family_name": "山﨑",
        "given_name": "葛\U000e0100子",
        "family_name_kana": "ヤマサキ",
        "given_name_kana": "カツコ",
        "birth_date": "1972-02-29",
        "sex": "female",
        "address": ADDRESS,
        "arrived_on": "2015-04-01",
        "domicile": {"place": DOMICILE, "head_of_family": "山﨑太郎"},
        **items,
    }
    return arrivals.record_arrival(form, CLERK, node.supply)


@pytest.fixture
def household(chiyoda: Node) -> tuple[Resident, Resident]:
    head = register(chiyoda)
    lodger = register(
        chiyoda,
        household={"household_id": head.household_id, "relationship": "lodger"},
        family_name="グエン",
        given_name="ヴァン　アン",
        family_name_kana="グエン",
        given_name_kana="ヴァンアン",
        alias="阮文安",
        birth_date="1995-01-20",
        sex="male",
        domicile=None,
        reason="foreign-resident-registration",
        foreign={
            "resident_class": "mid-to-long-term",
            "nationality": "ベトナム",
            "became_foreign_resident_on": "2015-04-01",
            "residence_status": "技術・人文知識・国際業務",
            "period_of_stay": "3年",
            "stay_expires_on": "2027-03-31",
            "card_number": "AB12345678CD",
        },
    )
    return head, lodger


def text_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "copy.pdf"
    path.write_bytes(pdf)
    run = ["pdftotext", "-layout", str(path), "-"]
    return subprocess.run(run, check=True, capture_output=True, text=True).stdout


def issue(node: Node, requester: dict[str, Any], **items: Any) -> Any:
    return issue_copy({"requester": requester, **items}, CLERK, node.supply, render_resident_copy)


def resident_requester(person: Resident) -> dict[str, Any]:
    return {
        "kind": "household-member",
        "name": "山﨑　葛子",
        "resident_code": person.resident_code,
        "document": CARD,
    }


def test_a_household_copy_with_every_item_asked_prints_them_all(
    chiyoda: Node, household: tuple[Resident, Resident], tmp_path: Path
) -> None:
    head, _lodger = household
    every = ["household-head", "domicile", "my-number", "resident-code"]

    issued = issue(chiyoda, resident_requester(head), items=every)

    text = text_of(issued.document, tmp_path)
    assert "山﨑" in text
    assert "葛\U000e0100子" in text
    assert DOMICILE in text
    assert head.resident_code in text
    assert (head.my_number or "?") in text
    assert "阮文安" in text
    assert "ベトナム" in text
    assert "AB12345678CD" in text
    assert "同居人" in text
    assert "千代田区長" in text
    assert issued.issuance.fee == 300
    assert issued.issuance.outcome == "issued"


def test_a_copy_asked_without_the_domicile_or_codes_prints_none_of_them(
    chiyoda: Node, household: tuple[Resident, Resident], tmp_path: Path
) -> None:
    head, _ = household

    text = text_of(issue(chiyoda, resident_requester(head)).document, tmp_path)

    assert DOMICILE not in text
    assert head.resident_code not in text
    assert "（省略）" in text


def test_a_third_party_copy_has_no_codes_even_when_it_asks(
    chiyoda: Node, household: tuple[Resident, Resident]
) -> None:
    head, _ = household
    lawyer = {
        "kind": "third-party",
        "name": "千代田法律事務所",
        "purpose": "訴訟",
        "document": CARD,
    }

    with pytest.raises(InvalidValue) as refused:
        issue(chiyoda, lawyer, subject=head.resident_code, items=["resident-code"])

    assert refused.value.field == "items"


def test_a_public_body_copy_is_recorded_with_its_purpose_and_the_person_it_concerned(
    chiyoda: Node, household: tuple[Resident, Resident], tmp_path: Path
) -> None:
    head, lodger = household
    office = {"kind": "public-body", "name": "千代田税務署", "purpose": "滞納処分の調査"}

    issued = issue(chiyoda, office, subject=lodger.resident_code, members=[lodger.resident_code])

    assert lodger.resident_code not in text_of(issued.document, tmp_path)
    (line,) = copy_records(lodger.resident_code, chiyoda.supply)["issuances"]
    assert (line.requester_kind, line.purpose, line.operator) == (
        "public-body",
        "滞納処分の調査",
        CLERK,
    )
    assert line.resident_codes == (lodger.resident_code,)
    assert copy_records(head.resident_code, chiyoda.supply)["issuances"] == []


def test_the_fee_set_by_the_municipality_is_charged_per_sheet(
    chiyoda: Node, household: tuple[Resident, Resident]
) -> None:
    head, _ = household
    set_copy_fee({"fee": 200}, "clerk-chief", chiyoda.supply)

    issued = issue(chiyoda, resident_requester(head), layout="individual")

    assert (issued.issuance.sheets, issued.issuance.fee) == (2, 400)


def test_a_removed_member_appears_as_removed_only_when_asked(
    chiyoda: Node, household: tuple[Resident, Resident], tmp_path: Path
) -> None:
    head, lodger = household
    departures.record_death(
        {"resident_code": lodger.resident_code, "died_on": "2026-11-01"}, CLERK, chiyoda.supply
    )

    plain = text_of(issue(chiyoda, resident_requester(head)).document, tmp_path)
    with_removed = issue(chiyoda, resident_requester(head), include_removed=True)

    assert "グエン" not in plain
    assert "死亡により消除" in text_of(with_removed.document, tmp_path)


@pytest.mark.parametrize(
    ("form", "error", "field"),
    [
        ({"items": ["pension"]}, InvalidValue, "items[0]"),
        ({"members": ["12345678903"]}, InvalidValue, "members[0]"),
        ({"layout": "landscape"}, InvalidValue, "layout"),
    ],
)
def test_bad_requests_name_the_field_and_record_nothing(
    chiyoda: Node,
    household: tuple[Resident, Resident],
    form: dict[str, Any],
    error: type[Exception],
    field: str,
) -> None:
    head, _ = household

    with pytest.raises(error) as refused:
        issue(chiyoda, resident_requester(head), **form)

    assert getattr(refused.value, "field", None) == field
    assert _rows(chiyoda) == 0


@pytest.mark.parametrize("fee", [-1, 10_001, "300", 2.5])
def test_a_fee_that_is_not_whole_yen_in_range_is_refused(chiyoda: Node, fee: object) -> None:
    with pytest.raises(InvalidValue) as refused:
        set_copy_fee({"fee": fee}, CLERK, chiyoda.supply)

    assert refused.value.field == "fee"
    assert _rows(chiyoda) == 0


def test_a_removed_subject_is_a_conflict(
    chiyoda: Node, household: tuple[Resident, Resident]
) -> None:
    _head, lodger = household
    departures.record_death(
        {"resident_code": lodger.resident_code, "died_on": "2026-11-01"}, CLERK, chiyoda.supply
    )
    office = {"kind": "public-body", "name": "千代田税務署", "purpose": "調査"}

    with pytest.raises(Conflict):
        issue(chiyoda, office, subject=lodger.resident_code)


def _rows(node: Node) -> int:
    with node.engine.connect() as connection:
        return sum(
            connection.execute(
                select(func.count()).select_from(node.metadata.tables[name])
            ).scalar()
            or 0
            for name in ("copy_issuances", "copy_issuance_people", "copy_fees")
        )
