"""開示請求 online: a resident portal files the request for the resident it authenticated
(公的個人認証), J-LIS staff decide, and the portal fetches the written answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.integration.rights.conftest import RightsWorld, pdf_text

from jukinet.adapters.network.recipient_client import RecipientRequestFailed


def test_a_portal_files_online_and_its_fetch_of_the_answer_is_the_delivery(
    rights: RightsWorld, tmp_path: Path
) -> None:
    portal = rights.world.client("myna-portal", "portal", operator="portal-system")
    takahashi = rights.world.people["takahashi"]

    filed = portal.post("/resident/v1/disclosure-requests", {"my_number": takahashi.my_number})
    path = f"/disclosure-requests/{filed['request_id']}"
    rights.staff.post(f"{path}/decision", {"decision": "disclosed"})
    pdf = portal.download(f"/resident/v1{path}/notice.pdf")
    seen = portal.get(f"/resident/v1{path}")

    assert (filed["method"], filed["state"], filed["portal"]) == (
        "online",
        "received",
        "myna-portal",
    )
    assert filed["resident_code"] == takahashi.resident_code
    assert filed["identity_check"]["documents"] == ["jpki-portal"]
    assert seen["state"] == "delivered"
    assert seen["delivery"]["method"] == "online"
    text = pdf_text(pdf, tmp_path)
    assert "オンライン" in text
    assert "公的個人認証" in text
    assert "日本年金機構" in text


def test_staff_cannot_record_an_online_request_nor_deliver_a_visit_online(
    rights: RightsWorld,
) -> None:
    staff = rights.staff
    online = staff.post(
        "/disclosure-requests", {"person": rights.person("sato"), "method": "online"}, 422
    )
    visit = staff.disclosed(rights.person("sato"), ["passport"])
    path = f"/disclosure-requests/{visit['request_id']}/delivery"

    answered_online = staff.post(path, {"method": "online"}, 422)

    assert online["field"] == "method"
    assert answered_online["field"] == "delivery.method"


def test_a_portal_sees_only_the_requests_it_filed(rights: RightsWorld) -> None:
    staff_request = rights.staff.post(
        "/disclosure-requests", {"person": rights.person("sato"), "method": "visit"}, 201
    )
    other = rights.world.client("other-portal", "portal")

    with pytest.raises(RecipientRequestFailed) as failed:
        other.get(f"/resident/v1/disclosure-requests/{staff_request['request_id']}")

    assert failed.value.status == 404


def test_an_answer_cannot_be_fetched_before_the_decision(rights: RightsWorld) -> None:
    portal = rights.world.client("myna-portal", "portal")
    filed = portal.post(
        "/resident/v1/disclosure-requests",
        {"resident_code": rights.person("sato")["resident_code"]},
    )

    with pytest.raises(RecipientRequestFailed) as failed:
        portal.download(f"/resident/v1/disclosure-requests/{filed['request_id']}/notice.pdf")

    assert (failed.value.status, failed.value.problem["field"]) == (409, "decision")
