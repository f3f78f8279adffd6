"""The J-LIS console at a browser, driven with the keyboard: an operator reads the provision
statistics after a few provisions, checks the message flows and the consistency of the
tiers, and works a disclosure request through the queue; an auditor verifies the access log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect
from tests.browser.conftest import make_operator, save_screenshot, sign_in
from tests.conftest import OSAKA_KITA, TOKYO_CHIYODA, DeploymentFactory
from tests.integration.provision.conftest import KITA_ADDRESS, World, record

from jukinet.adapters.clock import FixedClock
from jukinet.bootstrap import Node
from jukinet.nodes.rights import disclosures


def national_with_provisions(
    make_deployment: DeploymentFactory, clock: FixedClock, home: Path
) -> tuple[Node, World]:
    """Two municipalities' people on every tier, and 日本年金機構 asking about them twice."""
    country = make_deployment((TOKYO_CHIYODA, OSAKA_KITA))
    people = {
        "takahashi": record(
            country.municipality(TOKYO_CHIYODA),
            family_name="髙橋",
            given_name="一郎",
            birth_date="1950-04-01",
            sex="male",
        ),
        "yoshida": record(
            country.municipality(OSAKA_KITA), family_name="𠮷田", address=KITA_ADDRESS
        ),
    }
    country.pump()
    world = World(country, clock, home, people, people["takahashi"].resident_code)
    pension = world.client("nenkin")
    for person in people.values():
        pension.post(
            "/provision/v1/identity-queries",
            {"affair": "kokumin-nenkin", "key": {"resident_code": person.resident_code}},
        )
    return country.national, world


def open_menu_item(page: Page, name: str) -> None:
    """Follow a link of the menu without the mouse, and wait for the screen to load."""
    page.get_by_role("navigation").get_by_role("link", name=name).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    page.wait_for_load_state()


def test_a_jlis_operator_reads_the_statistics_and_works_a_disclosure_request(
    make_deployment: DeploymentFactory,
    clock: FixedClock,
    tmp_path: Path,
    page: Page,
    serve: Any,
) -> None:
    national, world = national_with_provisions(make_deployment, clock, tmp_path)
    assert national.rights is not None
    request = disclosures.record_disclosure_request(
        disclosures.RecordDisclosureRequest(
            {"resident_code": world.people["takahashi"].resident_code}, "visit"
        ),
        "jlis-counter",
        national.rights,
    )
    secret = make_operator(national, "jlis-ope", ("provision-operator",), "山﨑 花子")
    base = serve(national.app)
    sign_in(page, base, national, "jlis-ope", secret, terminal="jlis-console-1")

    open_menu_item(page, "提供状況の統計")
    expect(page.get_by_role("heading", level=1)).to_have_text("提供状況の統計")
    expect(page.locator("#provision-total")).to_have_text("2")
    expect(page.locator('svg[data-chart="recipient"] title').nth(1)).to_have_text("日本年金機構: 2")
    expect(page.locator('svg[data-chart="channel"]')).to_be_visible()
    save_screenshot(page, "console-statistics")

    open_menu_item(page, "通信状況")
    expect(page.get_by_role("row", name="prefecture")).to_be_visible()
    save_screenshot(page, "console-flows")

    open_menu_item(page, "整合性確認")
    expect(page.locator("#f-municipality_code")).to_be_focused()
    page.keyboard.press("Alt+r")  # run the check for every municipality
    expect(page.get_by_role("status")).to_contain_text("2市町村を確認しました")
    expect(page.get_by_role("row", name="東京都千代田区")).to_contain_text("一致")
    save_screenshot(page, "console-consistency")

    open_menu_item(page, "開示請求等の処理")
    queued = page.get_by_role("link", name=request.deadline.isoformat())
    expect(queued).to_be_visible()
    save_screenshot(page, "console-rights-queue")
    queued.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#case-state")).to_have_text("受付")

    page.get_by_label("運転免許証").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Alt+i")
    expect(page.locator("#done")).to_have_text("本人確認を記録しました。")
    expect(page.get_by_label("開示", exact=True)).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Alt+d")
    expect(page.locator("#case-state")).to_have_text("開示決定")
    expect(page.get_by_label("交付の方法")).to_be_focused()
    page.keyboard.press("Alt+v")
    expect(page.locator("#case-state")).to_have_text("交付済み")
    expect(page.get_by_role("link", name="決定通知書（PDF）")).to_be_visible()

    open_menu_item(page, "開示請求等の処理")
    expect(page.get_by_role("link", name=request.deadline.isoformat())).to_have_count(0)


def test_an_auditor_sees_the_access_log_intact(
    make_deployment: DeploymentFactory,
    clock: FixedClock,
    tmp_path: Path,
    page: Page,
    serve: Any,
) -> None:
    national, _world = national_with_provisions(make_deployment, clock, tmp_path)
    operator = make_operator(national, "jlis-ope", ("provision-operator",))
    auditor = make_operator(national, "jlis-audit", ("auditor",))
    base = serve(national.app)
    sign_in(page, base, national, "jlis-ope", operator)
    page.goto(f"{base}/ui/console/rights")  # a page an auditor will find in the log
    page.get_by_role("button", name="サインアウト").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/ui/sign-in")

    sign_in(page, base, national, "jlis-audit", auditor)
    open_menu_item(page, "アクセスログ")
    expect(page.locator("#f-resident")).to_be_focused()
    page.keyboard.press("Alt+v")  # verify the hash chain
    expect(page.locator("#integrity-verdict")).to_contain_text("改ざんなし。")
    page.fill("#f-operator", "jlis-ope")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("件見つかりました")
    expect(page.locator("table.log")).to_contain_text("ui.rights-queues")
    save_screenshot(page, "console-access-log")
