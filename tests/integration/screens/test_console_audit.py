"""An auditor at the national node's access-log viewer: who looked at a resident, what an
operator did, whether the chain is intact (and where it is not), and the day's anomalies."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from tests.conftest import TEST_MOMENT
from tests.integration.screens.console_world import ConsoleWorld, Screen, console_world, text_of

from jukinet.bootstrap import Node

AUDIT = "/ui/console/audit"


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleWorld]:
    with console_world(tmp_path_factory.mktemp("console-audit")) as world:
        desk = world.staff(world.national, ("provision-operator",), "jlis-rights")
        code = world.people["takahashi"].resident_code
        made = desk.post(
            "/ui/console/rights/disclosures",
            {"person.resident_code": code, "method": "visit"},
        )
        desk.get(made.headers["location"])  # the request's page names 髙橋 in the log
        yield world


@pytest.fixture
def auditor(console: ConsoleWorld) -> Screen:
    return console.staff(console.national, ("auditor",), "jlis-auditor")


def as_dba(node: Node, statement: str) -> None:
    """Change the log as someone who may drop its append-only triggers, and does."""
    with node.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("DROP FUNCTION IF EXISTS access_log_append_only() CASCADE"))
        else:
            for event in ("update", "delete"):
                connection.execute(text(f"DROP TRIGGER IF EXISTS access_log_no_{event}"))
        connection.execute(text(statement))


def test_the_auditor_finds_who_looked_at_a_resident(console: ConsoleWorld, auditor: Screen) -> None:
    code = console.people["takahashi"].resident_code

    found = text_of(auditor.get(AUDIT, resident=code).text)

    assert "件見つかりました" in found
    line = found.split("ui.disclosure-request", 1)
    assert len(line) == 2, found
    assert "jlis-rights console-01" in line[0].rsplit("2026-11-23 10:00", 1)[1]
    assert line[1].split()[:3] == ["rights.handle", code, "完了"]


def test_a_search_by_operator_and_period_lists_only_that_operator(auditor: Screen) -> None:
    found = text_of(
        auditor.get(
            AUDIT, operator="jlis-rights", **{"from": "2026-11-23", "to": "2026-11-23"}
        ).text
    )
    none_before = text_of(
        auditor.get(
            AUDIT, operator="jlis-rights", **{"from": "2026-10-01", "to": "2026-10-31"}
        ).text
    )

    assert "ui.record-disclosure-request" in found
    assert "ui.disclosure-request" in found
    assert "jlis-auditor" not in found.split("件見つかりました", 1)[1].split("不審な利用の検出")[0]
    assert "0件見つかりました" in none_before


@pytest.mark.parametrize(
    ("asked", "field", "words"),
    [
        ({"resident": "1234"}, "resident", "11 digits"),
        ({"operator": "x", "from": "2026-11-31"}, "from", "a date such as"),
        ({"operator": "x", "from": "2026-11-23", "to": "2026-11-01"}, "to", "ends before"),
    ],
)
def test_a_bad_search_is_refused_at_its_field(
    auditor: Screen, asked: dict[str, str], field: str, words: str
) -> None:
    refused = auditor.get(AUDIT, **asked)

    assert refused.status_code == 422
    assert words in refused.text.split(f'id="e-{field}"', 1)[1].split("</small>")[0]


def test_the_chain_is_verified_on_demand_against_its_newest_checkpoint(
    console: ConsoleWorld, auditor: Screen
) -> None:
    archive = console.national.access_log
    assert archive is not None
    made = archive.checkpoint(console.national.clock.now())
    assert made is not None

    page = text_of(auditor.get(AUDIT).text)
    verdict = auditor.post(f"{AUDIT}/verify", **{"HX-Request": "true"})

    assert f"第{made.sequence:,}項目" in page
    assert verdict.status_code == 200
    assert "<html" not in verdict.text  # a fragment for the page's verdict region
    assert "改ざんなし。" in verdict.text
    assert "項目のチェーンと署名を確認しました" in verdict.text


def test_reading_outside_working_hours_is_flagged_for_that_day(
    console: ConsoleWorld, auditor: Screen
) -> None:
    desk = console.staff(console.national, ("provision-operator",), "jlis-rights")
    console.world.clock.moment = datetime(2026, 11, 23, 13, 5, tzinfo=UTC)  # 22:05 JST
    try:
        desk.get("/ui/console/rights")
    finally:
        console.world.clock.moment = TEST_MOMENT

    page = text_of(auditor.get(AUDIT, day="2026-11-23").text)

    flagged = page.split("不審な利用の検出", 1)[1]
    assert "jlis-rights 執務時間外の参照 1" in flagged
    assert "(22:05-22:05)" in flagged


def test_an_edited_line_breaks_the_chain_and_the_viewer_says_where(
    console: ConsoleWorld, auditor: Screen
) -> None:
    as_dba(console.national, "UPDATE access_log SET detail = 'nothing to see' WHERE sequence = 2")

    verdict = auditor.post(f"{AUDIT}/verify")

    assert verdict.status_code == 200
    shown = text_of(verdict.text)
    assert "改ざんの疑いがあります。" in shown
    assert "第2項目: changed" in shown


def test_the_access_log_needs_audit_read(console: ConsoleWorld) -> None:
    operator = console.staff(console.national, ("provision-operator",), "jlis-op")

    refused = operator.get(AUDIT)

    assert refused.status_code == 403
    assert "audit.read" in refused.text
