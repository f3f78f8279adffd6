"""The resident portal at a browser, with the keyboard: a resident sees a provision an agency
has just made, a wrong PIN says how many tries are left, and the card holder files the
move-out online and is told the deadline of the visit."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import save_screenshot
from tests.conftest import YOKOHAMA_TSURUMI, DeploymentFactory
from tests.integration.portals.resident_setup import (
    CARD,
    COUNTRY,
    NEW_HOME,
    PIN,
    ResidentWorld,
    resident_world,
)

from jukinet.adapters.clock import FixedClock


@pytest.fixture
def world(make_deployment: DeploymentFactory, clock: FixedClock) -> ResidentWorld:
    return resident_world(make_deployment(COUNTRY), clock)


def sign_in(page: Page, base: str, pin: str = PIN) -> None:
    """Type the card number and the PIN, and press Enter: no mouse."""
    page.goto(f"{base}/me")
    expect(page.locator("#f-card_number")).to_be_focused()
    page.keyboard.type(CARD)
    page.keyboard.press("Tab")
    page.keyboard.type(pin)
    page.keyboard.press("Enter")


def test_a_resident_sees_a_provision_an_agency_just_made(
    world: ResidentWorld, page: Page, serve: Any
) -> None:
    base = serve(world.app())
    world.agency().post(
        "/provision/v1/identity-queries",
        {"affair": "kokumin-nenkin", "key": {"resident_code": world.resident.resident_code}},
    )

    page.goto(f"{base}/sign-in")
    save_screenshot(page, "portal-sign-in")
    sign_in(page, base)

    expect(page).to_have_url(f"{base}/me")
    expect(page.get_by_role("heading", level=1)).to_have_text("わたしの本人確認情報")
    expect(page.locator("dd.name").first).to_have_text("髙橋　一郎")
    expect(page.locator("dl.identity")).to_contain_text(world.resident.resident_code)
    save_screenshot(page, "portal-me")

    page.get_by_role("link", name="提供状況").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/provisions")
    row = page.locator("table.provisions tbody tr")
    expect(row).to_have_count(1)
    cells = row.first.locator("td")
    expect(cells.nth(0)).to_have_text("2026-11-23 10:00")
    expect(cells.nth(1)).to_have_text("日本年金機構")
    expect(cells.nth(2)).to_contain_text("国民年金")
    expect(cells.nth(3)).to_have_text("即時提供")
    save_screenshot(page, "portal-provisions")

    page.keyboard.press("Alt+q")  # sign out
    expect(page).to_have_url(f"{base}/sign-in?signed_out=1")
    page.goto(f"{base}/provisions")
    expect(page).to_have_url(f"{base}/sign-in?next=%2Fprovisions")


def test_a_wrong_pin_says_how_many_tries_are_left(
    world: ResidentWorld, page: Page, serve: Any
) -> None:
    base = serve(world.app())

    sign_in(page, base, pin="0000")

    expect(page.get_by_role("alert").first).to_contain_text("あと2回誤るとカードがロックされます")
    expect(page.locator("#f-pin")).to_be_focused()  # the card number stays; type the PIN again
    expect(page.locator("#f-card_number")).to_have_value(CARD)
    page.keyboard.type(PIN)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/me")


def test_the_card_holder_files_the_move_out_online_and_is_told_the_deadline(
    world: ResidentWorld, page: Page, serve: Any
) -> None:
    base = serve(world.app())
    sign_in(page, base)
    expect(page).to_have_url(f"{base}/me")

    page.goto(f"{base}/move-out")
    expect(page.locator("#f-destination_code")).to_be_focused()
    page.keyboard.type(YOKOHAMA_TSURUMI)
    page.keyboard.press("Tab")
    page.keyboard.type(NEW_HOME)
    page.fill("#f-planned_on", "2026-12-01")
    page.fill("#f-visit_planned_on", "2027-01-20")  # too late: the card route has closed
    page.keyboard.press("Alt+s")

    expect(page.locator("#e-visit_planned_on")).to_contain_text("2026-12-31")
    expect(page.locator("#f-visit_planned_on")).to_have_attribute("aria-invalid", "true")
    save_screenshot(page, "portal-move-out")

    page.fill("#f-visit_planned_on", "2026-12-03")
    page.keyboard.press("Alt+s")

    expect(page.get_by_role("heading", level=1)).to_have_text("転出届を受け付けました")
    expect(page.locator("strong.deadline")).to_have_text("2026-12-31")
    expect(page.get_by_role("status")).to_contain_text("神奈川県横浜市鶴見区")
