"""開示請求 at the national node, as J-LIS staff record it: who may ask, the identity check,
the deadline, the decision and the written disclosure with the provision history."""

from __future__ import annotations

from pathlib import Path

import httpx
from tests.conftest import operator_header
from tests.integration.provision.conftest import CHIYODA_ADDRESS
from tests.integration.rights.conftest import NEW_ADDRESS, STAFF, RightsWorld, Staff, pdf_text


def test_a_visit_with_a_photo_id_is_disclosed_in_writing_with_history_and_provisions(
    rights: RightsWorld, tmp_path: Path
) -> None:
    staff = rights.staff
    request = staff.post(
        "/disclosure-requests", {"person": rights.person("takahashi"), "method": "visit"}, 201
    )
    path = f"/disclosure-requests/{request['request_id']}"
    staff.post(f"{path}/identity-check", {"documents": ["drivers-licence"]})
    rights.clock.advance(days=3)
    decided = staff.post(f"{path}/decision", {"decision": "disclosed"})
    delivered = staff.post(f"{path}/delivery", {"method": "visit"})

    assert (request["state"], request["received_on"], request["deadline"]) == (
        "received",
        "2026-11-23",
        "2026-12-07",  # 14 days, counted from the day after receipt
    )
    assert decided["decision"]["decided_on"] == "2026-11-26"
    assert (decided["decision"]["decided_by"], decided["overdue"]) == (STAFF, False)
    assert delivered["state"] == "delivered"
    assert delivered["delivery"]["method"] == "visit"
    text = pdf_text(staff.pdf(f"{path}/notice.pdf"), tmp_path)
    history = text[text.index("変更履歴") : text.index("提供状況")]
    provisions = text[text.index("提供状況") :]
    assert "本人確認情報開示決定通知書" in text
    assert "髙橋" in text  # the registered variant, not 高橋
    assert "運転免許証" in text
    assert history.index("職権記載") < history.index("転居")  # oldest first
    assert CHIYODA_ADDRESS in history
    assert NEW_ADDRESS in history
    assert "日本年金機構" in provisions
    assert "国民年金法" in provisions
    assert "即時提供" in provisions


def test_an_ordinary_proxy_is_refused_and_nothing_is_recorded(rights: RightsWorld) -> None:
    body = {
        "person": rights.person("sato"),
        "method": "post",
        "requester": {"relation": "proxy", "name": "代理　太郎"},
    }

    response = rights.staff.http.post("/rights/v1/disclosure-requests", json=body)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["field"] == "requester.relation"
    assert "任意代理人" in response.json()["detail"]
    waiting = rights.staff.get("/disclosure-requests")["requests"]
    assert rights.person("sato")["resident_code"] not in [r["resident_code"] for r in waiting]


def test_a_parent_asks_for_a_child_and_shows_the_family_register_too(rights: RightsWorld) -> None:
    staff = rights.staff
    request = staff.post(
        "/disclosure-requests",
        {
            "person": rights.person("child"),
            "method": "visit",
            "requester": {"relation": "minors-representative", "name": "山﨑　恵"},
        },
        201,
    )
    path = f"/disclosure-requests/{request['request_id']}/identity-check"

    photo_only = staff.post(path, {"documents": ["my-number-card"]}, 422)
    checked = staff.post(path, {"documents": ["my-number-card", "family-register-copy"]})

    assert photo_only["field"] == "identity_check.documents"
    assert "戸籍謄本" in photo_only["detail"]
    assert checked["identity_check"]["documents"] == ["family-register-copy", "my-number-card"]
    assert checked["requester"]["name"] == "山﨑　恵"


def test_a_minors_representative_cannot_ask_for_an_adult(rights: RightsWorld) -> None:
    refused = rights.staff.post(
        "/disclosure-requests",
        {
            "person": rights.person("takahashi"),
            "method": "post",
            "requester": {"relation": "minors-representative", "name": "髙橋　花子"},
        },
        422,
    )

    assert refused["field"] == "requester.relation"


def test_two_documents_without_a_photo_suffice_but_one_does_not(rights: RightsWorld) -> None:
    staff = rights.staff
    request = staff.post(
        "/disclosure-requests", {"person": rights.person("sato"), "method": "post"}, 201
    )
    path = f"/disclosure-requests/{request['request_id']}/identity-check"

    one = staff.post(path, {"documents": ["health-insurance-card"]}, 422)
    two = staff.post(path, {"documents": ["health-insurance-card", "pension-book"]})

    assert one["field"] == "identity_check.documents"
    assert two["identity_check"]["checked_by"] == STAFF


def test_no_decision_before_the_identity_check_and_none_twice(rights: RightsWorld) -> None:
    staff = rights.staff
    request = staff.post(
        "/disclosure-requests", {"person": rights.person("sato"), "method": "visit"}, 201
    )
    path = f"/disclosure-requests/{request['request_id']}"

    early = staff.post(f"{path}/decision", {"decision": "disclosed"}, 409)
    staff.post(f"{path}/identity-check", {"documents": ["passport"]})
    staff.post(f"{path}/decision", {"decision": "disclosed"})
    twice = staff.post(f"{path}/decision", {"decision": "refused", "reason": "再審査"}, 409)

    assert early["field"] == "identity_check"
    assert twice["field"] == "decision"


def test_a_refusal_is_notified_in_writing_with_its_reason(
    rights: RightsWorld, tmp_path: Path
) -> None:
    staff = rights.staff
    request = staff.post(
        "/disclosure-requests", {"person": rights.person("sato"), "method": "post"}, 201
    )
    path = f"/disclosure-requests/{request['request_id']}"
    reason = "同封された本人確認書類の写しでは請求者が本人であることを確認できなかったため。"

    missing = staff.post(f"{path}/decision", {"decision": "refused"}, 422)
    refused = staff.post(f"{path}/decision", {"decision": "refused", "reason": reason})
    staff.post(f"{path}/delivery", {"method": "post"})

    assert missing["field"] == "reason"
    assert refused["state"] == "refused"
    text = pdf_text(staff.pdf(f"{path}/notice.pdf"), tmp_path)
    assert "本人確認情報不開示決定通知書" in text
    assert "確認できなかった" in text
    assert "日本年金機構" not in text


def test_a_person_the_node_does_not_hold_is_not_found(rights: RightsWorld) -> None:
    unknown = rights.staff.post(
        "/disclosure-requests",
        {"person": {"my_number": "123456789018"}, "method": "visit"},
        404,
    )

    assert unknown["field"] == "person"


def test_staff_without_a_valid_token_are_turned_away(rights: RightsWorld) -> None:
    for headers in ({}, {"authorization": "Bearer not-a-token"}, {"authorization": "Basic x"}):
        http = rights.http(**headers)
        response = http.get("/rights/v1/disclosure-requests")
        posted = http.post("/rights/v1/complaints", json={})
        assert response.status_code == 401
        assert posted.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"


def test_the_prefecture_node_discloses_what_it_holds_with_the_same_flow(
    rights: RightsWorld, tmp_path: Path
) -> None:
    prefecture = rights.world.country.nodes["prefecture"]
    header = operator_header(prefecture, ("provision-operator",), "pref-staff-07")
    token = header["Authorization"].removeprefix("Bearer ")
    bridge = rights.world.country.bridge
    assert bridge is not None
    staff = Staff(
        httpx.Client(
            transport=bridge,
            base_url=prefecture.entry.endpoint,
            headers={"authorization": f"Bearer {token}"},
        )
    )

    decided = staff.disclosed(rights.person("takahashi"), ["residence-card"])
    text = pdf_text(staff.pdf(f"/disclosure-requests/{decided['request_id']}/notice.pdf"), tmp_path)

    assert decided["decision"]["decided_by"] == "pref-staff-07"
    assert "都道府県知事" in text
    assert NEW_ADDRESS in text
    assert "提供の記録はありません" in text
