"""Signing in at a browser: the keyboard alone, the lock-out after repeated failures, and
the screen lock."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect
from tests.browser.conftest import current_code, make_operator, save_screenshot, sign_in
from tests.conftest import TOKYO_CHIYODA, DeploymentFactory


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(
    make_deployment: DeploymentFactory, page: Page, serve: Any
) -> None:
    node = make_deployment((TOKYO_CHIYODA,)).municipality(TOKYO_CHIYODA)
    secret = make_operator(node, "clerk-ito", ("window-clerk",))
    base = serve(node.app)

    page.goto(f"{base}/ui/")
    expect(page).to_have_url(f"{base}/ui/sign-in?next=%2Fui%2F")
    save_screenshot(page, "sign-in")
    for _ in range(5):
        page.fill("#operator_id", "clerk-ito")
        page.fill("#password", "a wrong password")
        page.fill("#code", current_code(node, secret))
        page.fill("#terminal", "window-03")
        page.keyboard.press("Enter")
        expect(page.get_by_role("alert")).to_contain_text("サインインできませんでした")

    page.fill("#operator_id", "clerk-ito")
    page.fill("#password", "correct horse battery staple")
    page.fill("#code", current_code(node, secret))
    page.fill("#terminal", "window-03")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("サインインできませんでした")
    expect(page).to_have_url(f"{base}/ui/sign-in")


def test_the_lock_button_hides_the_work_and_the_code_reopens_it(
    make_deployment: DeploymentFactory, page: Page, serve: Any
) -> None:
    country = make_deployment((TOKYO_CHIYODA,))
    node = country.municipality(TOKYO_CHIYODA)
    secret = make_operator(node, "clerk-ono", ("window-clerk",))
    base = serve(node.app)
    sign_in(page, base, node, "clerk-ono", secret)
    expect(page.get_by_role("heading", level=1)).to_have_text("業務メニュー")

    page.keyboard.press("Alt+l")  # the lock button's access key, without the mouse
    expect(page).to_have_url(f"{base}/ui/lock?next=%2Fui%2F")
    expect(page.get_by_role("heading", level=1)).to_have_text("画面ロック中")
    page.goto(f"{base}/ui/")
    expect(page).to_have_url(f"{base}/ui/lock?next=%2Fui%2F")

    node.clock.advance(seconds=30)  # a fresh code: each code is good once
    page.fill("#password", "correct horse battery staple")
    page.fill("#code", current_code(node, secret))
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/ui/")
    expect(page.get_by_role("heading", level=1)).to_have_text("業務メニュー")
