"""The register's events at the window: each form feeds the use case, a bad form is refused
next to its field with nothing written, deadlines follow the dates typed, and the move-in's
late flag, the 転出証明書 and the 転入通知 come out as the API gives them."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import TOKYO_CHIYODA, YOKOHAMA_TSURUMI, DeploymentFactory
from tests.integration.screens.terminal_setup import (
    HOME,
    NEW_HOME,
    TSURUMI,
    access_lines,
    chiyoda,
    family,
    record_of,
    register_rows,
    window,
)

from jukinet.domain.identity import RecordStatus
from jukinet.nodes.card.counter import CardIssue
from jukinet.nodes.municipal import departures
from jukinet.protocol.directory import CARD_ID


def error_of(page: str, element_id: str) -> str:
    found = re.search(rf'<small id="e-{re.escape(element_id)}"[^>]*>([^<]*)</small>', page)
    assert found is not None, f"no message slot e-{element_id}"
    return found.group(1)


def item(page: str, name: str) -> str:
    found = re.search(rf'data-item="{re.escape(name)}">([^<]*)<', page)
    assert found is not None, f"no item {name}"
    return found.group(1)


def birth(household_id: str, **changes: str) -> dict[str, str]:
    return {
        "family_name": "髙橋",
        "given_name": "葵",
        "family_name_kana": "たかはし",
        "given_name_kana": "あおい",
        "birth_date": "2026-11-20",
        "sex": "female",
        "address": HOME,
        "household.household_id": household_id,
        "household.relationship": "child",
        **changes,
    }


def test_a_birth_through_the_form_joins_the_parents_household(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, _, _ = family(node)
    clerk = window(node)

    form = clerk.get(
        f"/ui/terminal/events/birth?household.household_id={head.household_id}&address={HOME}"
    )
    done = clerk.post("/ui/terminal/events/birth", birth(head.household_id))

    assert form.status_code == 200
    assert f'value="{head.household_id}"' in form.text  # opened from the record, prefilled
    assert "autofocus" in form.text
    assert 'data-shortcut="s"' in form.text
    assert done.status_code == 200, done.text
    code = item(done.text, "resident_code")
    baby = record_of(node, code)
    assert (baby.name.family, baby.name.given, baby.name.given_kana) == ("髙橋", "葵", "アオイ")
    assert baby.household_id == head.household_id
    assert f'href="/ui/terminal/residents/{code}"' in done.text
    assert access_lines(node)[-1]["resident_codes"].split()[-1] == code


def test_an_impossible_date_is_refused_next_to_its_field_and_nothing_is_written(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, _, _ = family(node)
    clerk = window(node)
    before = register_rows(node)

    refused = clerk.post(
        "/ui/terminal/events/birth", birth(head.household_id, birth_date="2026-02-30")
    )

    assert refused.status_code == 422
    assert "is not a real date" in error_of(refused.text, "birth_date")
    assert 'aria-invalid="true"' in refused.text
    assert 'value="葵"' in refused.text  # what was typed stays
    assert register_rows(node) == before
    assert access_lines(node)[-1]["outcome"] == "refused"


def test_a_refusal_about_a_nested_field_stands_at_that_input(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    family(node)
    clerk = window(node)

    refused = clerk.post("/ui/terminal/events/birth", birth("no-such-household"))

    assert refused.status_code == 404
    assert "no current household" in error_of(refused.text, "household-household_id")


def test_a_move_within_changes_the_address_of_the_whole_household(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, wife, child = family(node)
    clerk = window(node)

    done = clerk.post(
        "/ui/terminal/events/move-within",
        {
            "resident_code": head.resident_code,
            "address": NEW_HOME,
            "moved_on": "2026-11-20",
            "whole_household": ["false", "true"],  # the hidden twin, then the ticked box
        },
    )

    assert done.status_code == 200, done.text
    assert {record_of(node, p.resident_code).address for p in (head, wife, child)} == {NEW_HOME}
    record = clerk.get(f"/ui/terminal/residents/{wife.resident_code}")
    assert NEW_HOME in record.text
    assert "転居" in record.text


def test_an_unticked_box_sends_false_so_one_person_moves_alone(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, wife, _ = family(node)
    clerk = window(node)

    clerk.post(
        "/ui/terminal/events/move-within",
        {
            "resident_code": wife.resident_code,
            "address": NEW_HOME,
            "moved_on": "2026-11-20",
            "whole_household": "false",
        },
    )

    assert record_of(node, wife.resident_code).address == NEW_HOME
    assert record_of(node, head.resident_code).address == HOME


def test_a_move_out_issues_the_certificate_to_key_in_and_its_pdf(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, _, _ = family(node)
    clerk = window(node)

    done = clerk.post(
        "/ui/terminal/events/move-out",
        {
            "resident_code": head.resident_code,
            "planned_on": "2026-11-30",
            "destination": TSURUMI,
            "abroad": "false",
        },
    )

    assert done.status_code == 200, done.text
    certificate_id = item(done.text, "certificate.certificate_id")
    assert item(done.text, "certificate.given_name") == "一郎"
    pdf = clerk.get(f"/ui/terminal/move-out-certificates/{certificate_id}")
    download = clerk.get(f"/ui/terminal/move-out-certificates/{certificate_id}?download=1")
    assert (pdf.headers["content-type"], pdf.content[:5]) == ("application/pdf", b"%PDF-")
    assert pdf.headers["cache-control"] == "no-store"
    assert download.headers["content-disposition"].startswith("attachment")
    assert record_of(node, head.resident_code).status is RecordStatus.REMOVED
    assert access_lines(node)[-1]["resident_codes"] == head.resident_code


def test_the_deadline_follows_the_dates_typed_and_says_when_it_has_passed(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    clerk = window(node)
    headers = {"X-CSRF-Token": clerk.csrf, "HX-Request": "true"}

    def deadline(slug: str, **dates: str) -> str:
        answer = clerk.client.post(
            f"/ui/terminal/events/{slug}/deadline", data=dates, headers=headers
        )
        assert answer.status_code == 200
        return str(answer.text)

    on_time = deadline("move-in", moved_in_on="2026-11-20")
    late = deadline("move-in", moved_in_on="2026-11-01")
    assert "2026-12-04（住基法22条" in on_time
    assert "期限を過ぎています" not in on_time
    assert "2026-11-15（住基法22条" in late
    assert "期限を過ぎています" in late
    assert "2026-11-26（戸籍法86条" in deadline("death", died_on="2026-11-20")
    assert "2026-12-03（戸籍法49条" in deadline("birth", birth_date="2026-11-20")
    assert "日付を入力すると期限を表示します" in deadline("move-within", moved_on="")
    form = clerk.get("/ui/terminal/events/move-in")
    assert 'hx-post="/ui/terminal/events/move-in/deadline"' in form.text


def test_each_field_is_checked_as_the_clerk_types_by_the_domains_reader(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, _, _ = family(node)
    clerk = window(node)
    wrong_digit = head.resident_code[:-1] + str((int(head.resident_code[-1]) + 1) % 10)

    checks = {
        ("resident-code", "resident_code", wrong_digit): "check digit",
        ("resident-code", "resident_code", "１２３"): "full-width digits are not accepted",
        ("past-date", "birth_date", "2027-01-01"): "is in the future",
        ("kana", "family_name_kana", "たかはし"): "タカハシ",  # as it will be recorded
        ("kana", "family_name_kana", "髙橋"): "furigana must be kana only",
        ("municipality", "certificate.issuer", YOKOHAMA_TSURUMI): "神奈川県横浜市鶴見区",
        ("municipality", "certificate.issuer", "141012"): "check digit",
        ("card-number", "card_number", "123"): "must be 12 digits",
    }
    for (reader, name, value), expected in checks.items():
        answer = clerk.check(reader, name, value)
        assert answer.status_code == 200
        assert expected in answer.text, (reader, value, answer.text)
        assert f'id="e-{name.replace(".", "-")}"' in answer.text
    assert ">" + "<" in clerk.check("resident-code", "resident_code", head.resident_code).text
    assert ">" + "<" in clerk.check("past-date", "birth_date", "").text  # not judged while empty


def test_a_clerk_without_register_change_may_not_open_an_event_form(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    auditor = window(node, ("auditor",), "auditor-1")

    for path in ("/ui/terminal/events", "/ui/terminal/events/birth"):
        refused = auditor.get(path)
        assert refused.status_code == 403
        assert "register.change" in refused.text


def test_a_resident_code_change_shows_the_new_code_and_the_record_follows_it(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, _, _ = family(node)
    clerk = window(node)

    done = clerk.post(
        "/ui/terminal/events/resident-code-change", {"resident_code": head.resident_code}
    )

    new = item(done.text, "new_resident_code")
    assert new != head.resident_code
    record = clerk.get(f"/ui/terminal/residents/{new}")
    assert "髙橋　一郎" in record.text
    assert "住民票コード変更" in record.text
    assert set(access_lines(node)[-2]["resident_codes"].split()) == {new, head.resident_code}


def test_the_forms_read_in_english(make_deployment: DeploymentFactory) -> None:
    node = chiyoda(make_deployment)

    page = window(node).get("/ui/terminal/events/move-in?lang=en")

    for words in ("Move-in with a certificate", "Certificate number", "Moved in on", "Deadline"):
        assert words in page.text


def move_in_form(certificate: dict[str, Any], moved_in_on: str) -> dict[str, str]:
    form = {f"certificate.{key}": str(certificate[key] or "") for key in KEYED}
    return {
        **form,
        "moved_in_on": moved_in_on,
        "family_name": certificate["family_name"],
        "given_name": certificate["given_name"],
        "birth_date": certificate["birth_date"],
        "sex": certificate["sex"],
        "address": TSURUMI,
    }


KEYED = (
    "certificate_id",
    "issuer",
    "resident_code",
    "my_number",
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "birth_date",
    "sex",
    "address",
    "destination",
    "planned_on",
    "issued_on",
)


def test_a_late_move_in_is_recorded_flagged_and_completes_the_move_out_at_the_old_town(
    make_deployment: DeploymentFactory,
) -> None:
    country = make_deployment((TOKYO_CHIYODA, YOKOHAMA_TSURUMI))
    old, new = country.municipality(TOKYO_CHIYODA), country.municipality(YOKOHAMA_TSURUMI)
    head, _, _ = family(old)
    assert old.supply is not None
    moved = departures.record_move_out(
        {"resident_code": head.resident_code, "planned_on": "2026-11-01", "destination": TSURUMI},
        "clerk-setup",
        old.supply,
    )
    assert moved.certificate is not None
    clerk = window(new)

    done = clerk.post(
        "/ui/terminal/events/move-in", move_in_form(moved.certificate.to_wire(), "2026-11-01")
    )
    country.pump()

    assert done.status_code == 200, done.text
    assert "届出期限を過ぎた届出として記録しました" in done.text
    assert item(done.text, "move_in_notice") == "ネットワークで送信しました"
    assert item(done.text, "resident_code") == head.resident_code
    at_old = window(old, operator_id="clerk-old").get(
        f"/ui/terminal/residents/{head.resident_code}"
    )
    assert "転出確定" in at_old.text
    again = clerk.post(
        "/ui/terminal/events/move-in", move_in_form(moved.certificate.to_wire(), "2026-11-01")
    )
    assert again.status_code == 409  # a certificate is used once
    assert "was already used" in again.text


def test_the_unmatched_move_in_notices_are_listed_for_follow_up(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)

    page = window(node).get("/ui/terminal/move-in-notices/unmatched")

    assert page.status_code == 200
    assert "未照合の転入通知はありません" in page.text


def test_a_card_holders_move_goes_through_both_windows_with_its_own_deadline(
    make_deployment: DeploymentFactory,
) -> None:
    country = make_deployment((TOKYO_CHIYODA, YOKOHAMA_TSURUMI))
    old, new = country.municipality(TOKYO_CHIYODA), country.municipality(YOKOHAMA_TSURUMI)
    head, wife, _ = family(old)
    counter = country.nodes[CARD_ID].cards
    assert counter is not None
    counter.issue(
        CardIssue(
            "202611230014",
            head.resident_code,
            "髙橋 一郎",
            head.birth_date,
            TOKYO_CHIYODA,
            "2031-04-01",
            "4321",
        ),
        "card-clerk",
    )
    out = window(old).post(
        "/ui/terminal/events/special-move-out",
        {
            "resident_code": head.resident_code,
            "card_number": "202611230014",
            "channel": "counter",
            "planned_on": "2026-11-20",
            "destination": TSURUMI,
            "destination_code": YOKOHAMA_TSURUMI,
            "members[0]": wife.resident_code,
        },
    )
    country.pump()  # the 転出証明書情報 reaches 鶴見区
    clerk = window(new)
    deadline = clerk.client.post(
        "/ui/terminal/events/special-move-in/deadline",
        data={"resident_code": head.resident_code, "moved_in_on": "2026-11-21"},
        headers={"X-CSRF-Token": clerk.csrf, "HX-Request": "true"},
    )
    arrive = {
        "resident_code": head.resident_code,
        "card_number": "202611230014",
        "moved_in_on": "2026-11-21",
        "address": TSURUMI,
    }
    wrong_pin = clerk.post("/ui/terminal/events/special-move-in", {**arrive, "pin": "1111"})
    done = clerk.post("/ui/terminal/events/special-move-in", {**arrive, "pin": "4321"})

    assert out.status_code == 200, out.text
    assert "2026-12-05（住基法24条の2" in deadline.text  # moved in + 14 days comes first
    assert wrong_pin.status_code == 422
    assert "2 attempts left" in error_of(wrong_pin.text, "pin")
    assert 'value="1111"' not in wrong_pin.text  # a PIN is never sent back
    assert done.status_code == 200, done.text
    assert {record_of(new, p.resident_code).address for p in (head, wife)} == {TSURUMI}
    assert item(done.text, "continued_use_until") == "2027-02-21"
