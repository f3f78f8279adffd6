"""苦情: a complaint is tracked from receipt until it is answered."""

from __future__ import annotations

from tests.integration.rights.conftest import STAFF, RightsWorld


def open_ids(rights: RightsWorld) -> list[str]:
    return [c["complaint_id"] for c in rights.staff.get("/complaints")["complaints"]]


def test_a_complaint_stays_open_until_it_is_answered(rights: RightsWorld) -> None:
    staff = rights.staff
    request = staff.post(
        "/disclosure-requests", {"person": rights.person("sato"), "method": "post"}, 201
    )
    complaint = staff.post(
        "/complaints",
        {
            "complainant": "佐藤　花子",
            "subject": "開示決定の通知が遅い",
            "details": "郵送で請求してから連絡がありません。",
            "disclosure_id": request["request_id"],
        },
        201,
    )
    still_open = open_ids(rights)
    rights.clock.advance(days=5)

    answered = staff.post(
        f"/complaints/{complaint['complaint_id']}/answer",
        {"answer": "審査の状況を電話で説明し、11月30日に決定する旨を伝えた。"},
    )
    again = staff.post(f"/complaints/{complaint['complaint_id']}/answer", {"answer": "再"}, 409)

    assert complaint["state"] == "received"
    assert complaint["complaint_id"] in still_open
    assert (answered["state"], answered["answered_on"]) == ("answered", "2026-11-28")
    assert answered["received_by"] == answered["answered_by"] == STAFF
    assert answered["answer"].startswith("審査の状況")
    assert complaint["complaint_id"] not in open_ids(rights)
    assert again["field"] == "answer"
    assert staff.get(f"/complaints/{complaint['complaint_id']}")["state"] == "answered"


def test_a_complaint_names_its_subject_and_an_existing_request(rights: RightsWorld) -> None:
    staff = rights.staff
    body = {"complainant": "匿名", "subject": "", "details": "窓口の対応について"}

    empty = staff.post("/complaints", body, 422)
    unknown = staff.post(
        "/complaints", {**body, "subject": "対応", "disclosure_id": "no-such-request"}, 404
    )

    assert empty["field"] == "subject"
    assert unknown["field"] == "disclosure_id"
