"""The window terminal's search and record: restricted keys only, the record with its
household, history and protection, and the access log naming whom the clerk saw."""

from __future__ import annotations

import re

from tests.conftest import DeploymentFactory
from tests.integration.screens.terminal_setup import (
    HOME,
    NEW_HOME,
    access_lines,
    chiyoda,
    family,
    window,
)

from jukinet.domain.operators import Principal
from jukinet.nodes.municipal import amendments, arrivals, protection
from jukinet.nodes.municipal.protection import ProtectionDesk

SUPERVISOR = Principal(
    "supervisor-1",
    "desk",
    "session",
    frozenset({"resident.read", "suppression.set", "suppression.release"}),  # type: ignore[arg-type]
)


def error_of(page: str, element_id: str) -> str:
    """The message the page shows under one input (``<small id="e-…">``)."""
    found = re.search(rf'<small id="e-{re.escape(element_id)}"[^>]*>([^<]*)</small>', page)
    assert found is not None, f"no message slot e-{element_id}"
    return found.group(1)


def test_a_clerk_finds_a_resident_by_code_and_by_name_with_birth_date_and_sex(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, _, child = family(node)
    clerk = window(node)

    by_code = clerk.post("/ui/terminal/search", {"resident_code": head.resident_code})
    by_name = clerk.post(
        "/ui/terminal/search",
        {"name": "高橋　𠮷男", "birth_date": "2012-01-15", "sex": "male"},  # 高 for 髙 still finds
    )

    assert by_code.status_code == 200
    assert f'href="/ui/terminal/residents/{head.resident_code}"' in by_code.text
    assert "髙橋　一郎" in by_code.text
    assert HOME in by_code.text
    assert f'href="/ui/terminal/residents/{child.resident_code}"' in by_name.text
    assert "髙橋　𠮷男" in by_name.text  # shown as registered, never normalised
    assert head.resident_code not in by_name.text


def test_a_wildcard_or_a_half_key_is_refused_next_to_the_field_and_lists_nobody(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, _, _ = family(node)
    clerk = window(node)

    wildcard = clerk.post(
        "/ui/terminal/search", {"name": "髙橋*", "birth_date": "1980-04-01", "sex": "male"}
    )
    half = clerk.post("/ui/terminal/search", {"name": "髙橋　一郎", "sex": "male"})

    assert wildcard.status_code == 422
    assert "wildcards are not accepted" in error_of(wildcard.text, "name")
    assert half.status_code == 422
    assert "is required with the fields given" in error_of(half.text, "birth_date")
    assert head.resident_code not in wildcard.text + half.text


def test_the_record_shows_the_household_and_the_history_with_what_changed(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, _, _ = family(node)
    assert node.supply is not None
    amendments.record_move_within(
        {"resident_code": head.resident_code, "address": NEW_HOME, "moved_on": "2026-11-20"},
        "clerk-ono",
        node.supply,
    )
    clerk = window(node)

    page = clerk.get(f"/ui/terminal/residents/{head.resident_code}")

    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    text = page.text
    assert "髙橋　一郎" in text
    assert "タカハシ　イチロウ" in text
    assert "東京都千代田区千代田1番" in text  # 本籍
    assert re.search(r"<td>妻</td>\s*<td class=\"name\">髙橋　花子</td>", text)
    assert re.search(r"<td>子</td>\s*<td class=\"name\">髙橋　𠮷男</td>", text)
    history = text[text.index('id="history"') :]
    assert history.index("転居") < history.index("職権記載")  # newest first
    assert re.search(rf"住所</span>: <del>{HOME}</del> → <ins>{NEW_HOME}</ins>", history)
    assert "clerk-ono" in history
    assert "抑止・支援措置：なし" in text


def test_opening_a_record_names_the_person_and_the_household_shown_in_the_access_log(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, wife, child = family(node)
    clerk = window(node, operator_id="clerk-kato")

    clerk.get(f"/ui/terminal/residents/{wife.resident_code}")

    line = access_lines(node)[-1]
    assert (line["action"], line["operator_id"], line["outcome"]) == (
        "ui.resident-record",
        "clerk-kato",
        "done",
    )
    assert line["permission"] == "resident.read"
    assert set(line["resident_codes"].split()) == {
        head.resident_code,
        wife.resident_code,
        child.resident_code,
    }


def test_a_search_is_logged_with_the_people_it_found(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, _, _ = family(node)

    window(node).post("/ui/terminal/search", {"resident_code": head.resident_code})

    line = access_lines(node)[-1]
    assert (line["action"], line["resident_codes"]) == ("ui.resident-search", head.resident_code)


def test_an_operator_without_resident_read_gets_the_403_page(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, _, _ = family(node)
    auditor = window(node, ("auditor",), "auditor-1")

    for path in ("/ui/terminal/search", f"/ui/terminal/residents/{head.resident_code}"):
        refused = auditor.get(path)
        assert refused.status_code == 403
        assert "resident.read" in refused.text
        assert "髙橋" not in refused.text


def test_the_record_reads_in_english(make_deployment: DeploymentFactory) -> None:
    node = chiyoda(make_deployment)
    head, _, _ = family(node)

    page = window(node).get(f"/ui/terminal/residents/{head.resident_code}?lang=en")

    assert 'lang="en"' in page.text
    for words in ("Household", "History", "Relationship", "Head of household", "Wife"):
        assert words in page.text
    assert "髙橋　一郎" in page.text


def test_a_foreign_residents_items_and_card_number_are_on_the_record(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    assert node.supply is not None
    resident = arrivals.record_arrival(
        {
            "reason": "foreign-resident-registration",
            "family_name": "NGUYEN",
            "given_name": "VAN AN",
            "birth_date": "1995-03-03",
            "sex": "male",
            "address": HOME,
            "arrived_on": "2026-04-01",
            "foreign": {
                "resident_class": "mid-to-long-term",
                "nationality": "ベトナム",
                "became_foreign_resident_on": "2026-04-01",
                "residence_status": "技術・人文知識・国際業務",
                "period_of_stay": "5年",
                "stay_expires_on": "2031-04-01",
                "card_number": "AB12345678CD",
            },
        },
        "clerk-setup",
        node.supply,
    )

    page = window(node).get(f"/ui/terminal/residents/{resident.resident_code}")

    for shown in (
        "中長期在留者",
        "ベトナム",
        "技術・人文知識・国際業務",
        "2031-04-01",
        "AB12345678CD",
    ):
        assert shown in page.text


def test_a_look_up_suppressed_at_error_level_withholds_the_record_and_its_address(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, _, _ = family(node)
    assert node.supply is not None
    protection.set_suppression(
        {
            "resident_code": head.resident_code,
            "reason": "residence-investigation",
            "processes": ["lookup"],
            "level": "error",
        },
        SUPERVISOR,
        ProtectionDesk.of(node.supply),
    )

    page = window(node, ("supervisor",), "supervisor-2").get(
        f"/ui/terminal/residents/{head.resident_code}"
    )

    assert page.status_code == 200
    assert "照会が抑止されています" in page.text
    assert "髙橋　一郎" in page.text
    assert "非表示（抑止）" in page.text
    assert HOME not in page.text
    assert "実態調査" in page.text
    assert "/temporary-release" in page.text  # the supervisor may lift it for now


def test_a_look_up_suppression_at_alert_level_shows_the_record_under_a_visible_alert(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, _, _ = family(node)
    assert node.supply is not None
    protection.set_suppression(
        {
            "resident_code": head.resident_code,
            "reason": "glyph-in-preparation",
            "processes": ["lookup"],
            "level": "alert",
        },
        SUPERVISOR,
        ProtectionDesk.of(node.supply),
    )

    page = window(node).get(f"/ui/terminal/residents/{head.resident_code}")

    alert = re.search(r'<p class="alert" role="alert">(.*?)</p>', page.text, re.S)
    assert alert is not None
    assert "外字作成中" in alert.group(1)
    assert HOME in page.text
    assert "/release" not in page.text  # a window clerk may not release it
