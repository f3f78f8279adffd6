"""The rights desk at J-LIS: disclosure requests worked from the queue to delivery,
correction requests and complaints, each step through the use cases of docs/rights.md."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from tests.integration.screens.console_world import ConsoleWorld, Screen, console_world, text_of

from jukinet.domain.codes import ResidentCode

STAFF = ("provision-operator",)
RIGHTS = "/ui/console/rights"


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleWorld]:
    with console_world(tmp_path_factory.mktemp("console-rights")) as world:
        yield world


@pytest.fixture
def desk(console: ConsoleWorld) -> Screen:
    return console.staff(console.national, STAFF, "jlis-rights")


def record_request(desk: Screen, resident_code: str, **more: str) -> str:
    """A request at the counter; returns the path of its page."""
    answer = desk.post(
        f"{RIGHTS}/disclosures",
        {"person.resident_code": resident_code, "method": "visit", **more},
    )
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"]).split("?")[0]


def disclosed(desk: Screen, resident_code: str) -> str:
    page = record_request(desk, resident_code)
    desk.post(f"{page}/identity-check", {"identity_check.documents[]": "drivers-licence"})
    desk.post(f"{page}/decision", {"decision": "disclosed"})
    return page


def test_a_disclosure_request_is_worked_from_the_queue_to_its_delivery(
    console: ConsoleWorld, desk: Screen
) -> None:
    code = console.people["takahashi"].resident_code
    page = record_request(desk, code)
    recorded = text_of(desk.get(f"{page}?done=recorded").text)
    queued = text_of(desk.get(RIGHTS).text).split("交付待ち", 1)[0]

    checked = desk.follow(
        desk.post(
            f"{page}/identity-check",
            {"identity_check.documents[]": "drivers-licence", "identity_check.checked_on": ""},
        )
    )
    decided = desk.follow(desk.post(f"{page}/decision", {"decision": "disclosed"}))
    to_deliver = text_of(desk.get(RIGHTS).text).split("交付待ち", 1)[1].split("訂正の申出")[0]
    notice = desk.get(f"{page}/notice.pdf")
    delivered = text_of(
        desk.follow(desk.post(f"{page}/delivery", {"delivery.method": "post"})).text
    )

    assert "登録しました。" in recorded
    assert "受付" in recorded
    assert f"2026-12-07 2026-11-23 {code} 来所 未確認" in queued  # deadline first
    assert "本人確認を記録しました。" in checked.text
    assert "運転免許証" in checked.text
    assert "決定を記録しました。" in decided.text
    assert "開示決定" in decided.text
    assert f"2026-11-23 開示 {code} 来所" in to_deliver
    assert notice.headers["content-type"] == "application/pdf"
    assert notice.headers["cache-control"] == "no-store"
    assert "交付を記録しました。" in delivered
    assert "交付済み" in delivered
    assert "郵送 — 2026-11-23 (jlis-rights)" in delivered
    assert page.rsplit("/", 1)[1] not in desk.get(RIGHTS).text  # off the queue


def test_the_page_of_a_request_names_its_resident_in_the_access_log(
    console: ConsoleWorld, desk: Screen
) -> None:
    code = console.people["yamazaki"].resident_code
    page = record_request(desk, code)
    desk.get(page)

    table = console.national.metadata.tables["access_log"]
    query = select(table.c.resident_codes).where(table.c.action == "ui.disclosure-request")
    with console.national.engine.connect() as connection:
        logged = " ".join(connection.execute(query).scalars())
    assert code in logged


def test_too_few_identity_documents_are_refused_at_their_field(
    console: ConsoleWorld, desk: Screen
) -> None:
    page = record_request(desk, console.people["yoshida"].resident_code)

    refused = desk.post(
        f"{page}/identity-check", {"identity_check.documents[]": "health-insurance-card"}
    )

    assert refused.status_code == 422
    message = refused.text.split('id="e-identity_check.documents"', 1)[1].split("</small>")[0]
    assert "two other identity documents" in message
    assert 'value="health-insurance-card" checked' in refused.text  # the choice is kept
    assert "未確認" in text_of(desk.get(page).text)  # nothing was recorded


def test_deciding_before_the_identity_check_is_refused_above_the_form(
    console: ConsoleWorld, desk: Screen
) -> None:
    page = record_request(desk, console.people["yoshida"].resident_code)

    refused = desk.post(f"{page}/decision", {"decision": "disclosed"})

    assert refused.status_code == 409
    general = refused.text.split('id="general-refusal"', 1)[1].split("</p>")[0]
    assert "現在の状態ではできません" in general
    assert "identity check first" in general


def test_a_request_for_somebody_not_held_is_refused_and_not_recorded(desk: Screen) -> None:
    nobody = ResidentCode.from_body("1234567890").value
    before = desk.get(RIGHTS).text.count("/ui/console/rights/disclosures/0")

    refused = desk.post(
        f"{RIGHTS}/disclosures", {"person.resident_code": nobody, "method": "visit"}
    )

    assert refused.status_code == 404
    assert "見つかりません" in refused.text.split('id="e-person"', 1)[1].split("</small>")[0]
    assert f'value="{nobody}"' in refused.text
    assert desk.get(RIGHTS).text.count("/ui/console/rights/disclosures/0") == before


def test_a_proxy_is_refused_at_the_requester_field(console: ConsoleWorld, desk: Screen) -> None:
    refused = desk.post(
        f"{RIGHTS}/disclosures",
        {
            "person.resident_code": console.people["takahashi"].resident_code,
            "method": "visit",
            "requester.relation": "proxy",
            "requester.name": "代理 人",
        },
    )

    assert refused.status_code == 422
    assert "入力に誤りがあります" in refused.text.split('id="e-requester.relation"', 1)[1]


def test_a_request_past_its_deadline_is_flagged_overdue(
    console: ConsoleWorld, desk: Screen
) -> None:
    record_request(desk, console.people["takahashi"].resident_code, received_on="2026-11-01")

    queue = text_of(desk.get(RIGHTS).text)

    assert "期限を過ぎた開示請求が1件あります" in queue
    assert "2026-11-15 期限超過 2026-11-01" in queue


def test_a_correction_request_is_investigated_and_answered_in_writing(
    console: ConsoleWorld, desk: Screen
) -> None:
    page = disclosed(desk, console.people["yamazaki"].resident_code)
    made = desk.post(
        f"{page}/corrections",
        {"items[]": ["kana", "address"], "statement": "振り仮名が違います"},
    )
    correction = str(made.headers["location"]).split("?")[0]

    investigated = desk.follow(
        desk.post(
            f"{correction}/investigation",
            {"findings": "市町村の記録に誤りがあった", "result": "municipality-asked"},
        )
    )
    letter = desk.get(f"{correction}/answer.pdf")
    answered = text_of(desk.follow(desk.post(f"{correction}/answer", {})).text)

    assert made.status_code == 303
    assert "住所地の市町村長に修正を求めた — 東京都千代田区" in text_of(investigated.text)
    assert letter.headers["content-type"] == "application/pdf"
    assert "回答済み" in answered
    assert "氏名の振り仮名、住所" in answered
    assert correction.rsplit("/", 1)[1] not in desk.get(RIGHTS).text


def test_a_correction_with_no_item_is_refused_at_the_items(
    console: ConsoleWorld, desk: Screen
) -> None:
    page = disclosed(desk, console.people["yoshida"].resident_code)

    refused = desk.post(f"{page}/corrections", {"statement": "違います"})

    assert refused.status_code == 422
    assert "name at least one item" in refused.text.split('id="e-items"', 1)[1]


def test_a_complaint_is_recorded_as_written_and_answered_once(desk: Screen) -> None:
    made = desk.post(
        f"{RIGHTS}/complaints",
        {
            "complainant": "𠮷田 髙子",
            "subject": "説明が不十分",
            "details": "窓口の説明が分かりにくかった",
        },
    )
    complaint = str(made.headers["location"]).split("?")[0]

    listed = text_of(desk.get(RIGHTS).text)
    answered = desk.follow(desk.post(f"{complaint}/answer", {"answer": "説明の仕方を改めます"}))
    again = desk.post(f"{complaint}/answer", {"answer": "もう一度"})

    assert "説明が不十分 𠮷田 髙子" in listed  # the name as written, never normalised
    assert "回答済み" in answered.text
    assert "説明の仕方を改めます" in answered.text
    assert again.status_code == 409


def test_a_complaint_without_its_subject_is_refused_at_that_field(desk: Screen) -> None:
    refused = desk.post(f"{RIGHTS}/complaints", {"complainant": "山田 花子", "details": "x"})

    assert refused.status_code == 422
    assert "入力に誤りがあります" in refused.text.split('id="e-subject"', 1)[1].split("</small>")[0]
    assert 'value="山田 花子"' in refused.text


def test_an_unknown_case_is_a_404_page(desk: Screen) -> None:
    for path in ("disclosures/x", "corrections/x", "complaints/x"):
        assert desk.get(f"{RIGHTS}/{path}").status_code == 404


def test_the_rights_desk_needs_rights_handle(console: ConsoleWorld) -> None:
    auditor = console.staff(console.national, ("auditor",), "jlis-auditor")

    refused = auditor.get(RIGHTS)

    assert refused.status_code == 403
    assert "rights.handle" in refused.text
