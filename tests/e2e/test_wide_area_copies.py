"""広域交付 across municipality nodes, through the clerk API of the issuing municipality.

A family is registered in 千代田区; its members ask for copies at 中央区 (same prefecture) and at
大阪市北区 (another prefecture). The copy is printed at the issuing window from what the home
municipality answered; both ends keep a record of who asked for whom.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import (
    OSAKA_KITA,
    TOKYO_CHIYODA,
    DeploymentFactory,
    operator_header,
)

from jukinet.bootstrap import Node
from jukinet.deployments import Deployment
from jukinet.domain.residents import Resident
from jukinet.nodes.municipal import arrivals

TOKYO_CHUO = "131024"
ADDRESS = "東京都千代田区丸の内一丁目1番1号"
DOMICILE = "鹿児島県鹿児島市山下町11番地"
CLERK = "clerk-sato"


@pytest.fixture
def country(make_deployment: DeploymentFactory) -> Deployment:
    return make_deployment((TOKYO_CHIYODA, TOKYO_CHUO, OSAKA_KITA))


def register(node: Node, household: dict[str, str] | None = None, **items: object) -> Resident:
    form = {
        "reason": "ex-officio-record",
        "family_name": "髙橋",
        "given_name": "一郎",
        "family_name_kana": "タカハシ",
        "given_name_kana": "イチロウ",
        "birth_date": "1970-04-01",
        "sex": "male",
        "address": ADDRESS,
        "arrived_on": "2015-04-01",
        "previous_address": "大阪府大阪市北区梅田一丁目1番1号",
        "domicile": {"place": DOMICILE, "head_of_family": "髙橋一郎"},
        **({"household": household} if household else {}),
        **items,
    }
    return arrivals.record_arrival(form, CLERK, node.supply)


@pytest.fixture
def family(country: Deployment) -> tuple[Resident, Resident]:
    chiyoda = country.municipality(TOKYO_CHIYODA)
    head = register(chiyoda)
    child = register(
        chiyoda,
        {"household_id": head.household_id, "relationship": "child"},
        given_name="𠮷男",
        given_name_kana="ヨシオ",
        birth_date="2005-08-15",
    )
    return head, child


def clerk(node: Node) -> TestClient:
    return TestClient(node.app, headers=operator_header(node, ("window-clerk",), CLERK))


def ask(node: Node, person: Resident, **items: Any) -> Any:
    form = {
        "home_municipality": TOKYO_CHIYODA,
        "requester": {
            "resident_code": person.resident_code,
            "family_name": person.name.family,
            "given_name": person.name.given,
            "birth_date": person.birth_date.isoformat(),
            "document": "my-number-card",
        },
        **items,
    }
    return clerk(node).post("/api/v1/wide-area-copies", json=form)


def text_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "copy.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def records(node: Node, code: str) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = (
        clerk(node).get(f"/api/v1/copies/records/{code}").json()
    )
    return found


@pytest.mark.parametrize("issuing", [TOKYO_CHUO, OSAKA_KITA], ids=["same-prefecture", "other"])
def test_a_household_member_gets_a_copy_at_another_municipality_with_both_ends_recorded(
    country: Deployment, family: tuple[Resident, Resident], issuing: str, tmp_path: Path
) -> None:
    head, child = family
    window = country.municipality(issuing)

    response = ask(window, child, items=["household-head", "resident-code"])

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["copy-fee"] == "300"
    text = text_of(response.content, tmp_path)
    assert "𠮷男" in text
    assert "髙橋" in text
    assert head.resident_code in text
    assert child.resident_code in text
    assert DOMICILE not in text  # 本籍 never travels
    assert "第12条の4" in text
    issued = records(window, child.resident_code)["issuances"]
    assert [(i["outcome"], i["fee"], i["operator"]) for i in issued] == [("issued", 300, CLERK)]
    answered = records(country.municipality(TOKYO_CHIYODA), head.resident_code)
    (line,) = answered["wide_area_answers"]
    assert (line["issuing_municipality"], line["requester_code"], line["outcome"]) == (
        issuing,
        child.resident_code,
        "answered",
    )


def test_a_copy_asked_without_codes_shows_none_and_the_fee_follows_the_municipality(
    country: Deployment, family: tuple[Resident, Resident], tmp_path: Path
) -> None:
    head, _ = family
    window = country.municipality(OSAKA_KITA)
    assert clerk(window).put("/api/v1/copies/fee", json={"fee": 450}).json() == {"fee": 450}

    response = ask(window, head, layout="individual")

    assert response.headers["copy-fee"] == str(450 * 2)  # 個人票: one sheet per person
    text = text_of(response.content, tmp_path)
    assert head.resident_code not in text
    assert (head.my_number or "-") not in text
    assert "（省略）" in text


def test_the_domicile_is_refused_before_anyone_is_asked(
    country: Deployment, family: tuple[Resident, Resident]
) -> None:
    head, _ = family

    response = ask(country.municipality(TOKYO_CHUO), head, items=["domicile"])

    assert response.status_code == 422
    assert response.json()["field"] == "items"
    home = country.municipality(TOKYO_CHIYODA)
    assert records(home, head.resident_code)["wide_area_answers"] == []


def test_someone_outside_the_household_is_refused_and_the_refusal_is_recorded_at_both_ends(
    country: Deployment, family: tuple[Resident, Resident]
) -> None:
    head, _ = family
    stranger = register(
        country.municipality(TOKYO_CHIYODA),
        given_name="次郎",
        address="東京都千代田区永田町一丁目7番1号",
    )
    window = country.municipality(TOKYO_CHUO)

    response = ask(window, stranger, members=[head.resident_code])

    assert response.status_code == 422
    assert response.json()["title"] == "copy-refused"
    assert "household" in response.json()["detail"]
    (refused,) = records(window, stranger.resident_code)["issuances"]
    assert (refused["outcome"], refused["fee"]) == ("refused", 0)
    home = records(country.municipality(TOKYO_CHIYODA), head.resident_code)
    assert [line["outcome"] for line in home["wide_area_answers"]] == ["refused"]


def test_a_name_that_differs_from_the_record_is_refused(
    country: Deployment, family: tuple[Resident, Resident]
) -> None:
    head, _ = family
    form_name = {"family_name": "田中"}

    response = ask(
        country.municipality(TOKYO_CHUO),
        head,
        requester={**_requester(head), **form_name},
    )

    assert response.status_code == 422
    assert response.json()["field"] == "requester"


def test_variant_kanji_typed_plainly_still_match_the_record(
    country: Deployment, family: tuple[Resident, Resident]
) -> None:
    head, _ = family

    response = ask(
        country.municipality(TOKYO_CHUO),
        head,
        requester={**_requester(head), "family_name": "高橋"},
    )

    assert response.status_code == 200, response.text


def test_the_home_municipality_itself_issues_an_ordinary_copy_instead(
    country: Deployment, family: tuple[Resident, Resident]
) -> None:
    head, _ = family

    response = ask(country.municipality(TOKYO_CHIYODA), head)

    assert response.status_code == 422
    assert response.json()["field"] == "home_municipality"


def test_an_unreachable_home_node_is_a_503_and_nothing_is_recorded(
    country: Deployment, family: tuple[Resident, Resident]
) -> None:
    head, _ = family
    home = country.municipality(TOKYO_CHIYODA)
    assert country.bridge is not None
    country.bridge.mount(home.entry.endpoint.removeprefix("http://"), _down)
    window = country.municipality(TOKYO_CHUO)

    response = ask(window, head)

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert records(window, head.resident_code)["issuances"] == []


def test_a_clerk_without_a_token_gets_nothing(
    country: Deployment, family: tuple[Resident, Resident]
) -> None:
    response = TestClient(country.municipality(TOKYO_CHUO).app).post(
        "/api/v1/wide-area-copies", json={}
    )

    assert response.status_code == 401


def _requester(person: Resident) -> dict[str, str]:
    return {
        "resident_code": person.resident_code,
        "family_name": person.name.family,
        "given_name": person.name.given,
        "birth_date": person.birth_date.isoformat(),
        "document": "drivers-licence",
    }


async def _down(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """A node behind its load balancer while it is down: every request answered 503."""
    await send({"type": "http.response.start", "status": 503, "headers": []})
    await send({"type": "http.response.body", "body": b""})
