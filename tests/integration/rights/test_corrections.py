"""訂正の申出 after a disclosure: investigated, and answered in writing."""

from __future__ import annotations

from pathlib import Path

from tests.integration.rights.conftest import RightsWorld, pdf_text


def test_an_error_found_is_sent_to_the_municipality_and_the_person_answered_in_writing(
    rights: RightsWorld, tmp_path: Path
) -> None:
    staff = rights.staff
    disclosed = staff.disclosed(rights.person("takahashi"), ["my-number-card"])
    rights.clock.advance(days=2)

    received = staff.post(
        "/correction-requests",
        {
            "disclosure_id": disclosed["request_id"],
            "items": ["kana", "address"],
            "statement": "振り仮名はタカバシです。",
        },
        201,
    )
    path = f"/correction-requests/{received['correction_id']}"
    early = staff.post(f"{path}/answer", {}, 409)
    investigated = staff.post(
        f"{path}/investigation",
        {
            "findings": "千代田区に照会し、届出の振り仮名と異なることを確認した。",
            "result": "municipality-asked",
        },
    )
    letter = pdf_text(staff.pdf(f"{path}/answer.pdf"), tmp_path)
    answered = staff.post(f"{path}/answer", {})

    assert received["state"] == "received"
    assert received["items"] == ["kana", "address"]
    assert early["field"] == "answer"
    assert investigated["investigation"]["municipality_code"] == "131016"
    assert answered["state"] == "answered"
    assert answered["answered_on"] == "2026-11-25"
    assert "訂正の申出" in letter
    assert "髙橋" in letter
    assert "氏名の振り仮名" in letter
    assert "タカバシ" in letter
    assert "東京都千代田区の長に対し" in letter


def test_no_error_found_is_answered_so(rights: RightsWorld, tmp_path: Path) -> None:
    staff = rights.staff
    disclosed = staff.disclosed(rights.person("sato"), ["passport"])
    received = staff.post(
        "/correction-requests",
        {
            "disclosure_id": disclosed["request_id"],
            "items": ["birth_date"],
            "statement": "生年月日が違うと思います。",
        },
        201,
    )
    path = f"/correction-requests/{received['correction_id']}"

    staff.post(
        f"{path}/investigation",
        {"findings": "届出書の記載と一致していた。", "result": "no-error"},
    )
    letter = pdf_text(staff.pdf(f"{path}/answer.pdf"), tmp_path)

    assert "誤りは認められませんでした" in letter
    assert staff.get(path)["investigation"]["municipality_code"] is None


def test_a_correction_follows_a_disclosure_only(rights: RightsWorld) -> None:
    staff = rights.staff
    undecided = staff.post(
        "/disclosure-requests", {"person": rights.person("sato"), "method": "visit"}, 201
    )

    refused = staff.post(
        "/correction-requests",
        {"disclosure_id": undecided["request_id"], "items": ["name"], "statement": "誤り"},
        409,
    )
    unknown_item = staff.post(
        "/correction-requests",
        {"disclosure_id": undecided["request_id"], "items": ["shoe-size"], "statement": "誤り"},
        422,
    )

    assert refused["field"] == "disclosure_id"
    assert unknown_item["field"] == "items"
