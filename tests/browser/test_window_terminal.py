"""The window terminal in a browser: a move between two municipalities done entirely through
the screens, and a protected person's copy refused at the window. Driven with the keyboard
(typing, Tab, Enter and the Alt shortcuts) as a clerk works."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page, expect
from tests.browser.conftest import make_operator, save_screenshot, sign_in
from tests.conftest import TOKYO_CHIYODA, YOKOHAMA_TSURUMI, DeploymentFactory

from jukinet.bootstrap import Node
from jukinet.domain.operators import Permission, Principal
from jukinet.nodes.municipal import arrivals, protection, protection_measures
from jukinet.nodes.municipal.protection import ProtectionDesk

CHIYODA_HOME = "東京都千代田区丸の内一丁目1番1号"
TSURUMI_HOME = "神奈川県横浜市鶴見区鶴見中央三丁目20番1号"
CERTIFICATE_ITEMS = (
    "certificate_id",
    "issuer",
    "resident_code",
    "my_number",
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "birth_date",
    "address",
    "destination",
    "planned_on",
    "issued_on",
)


def type_into(page: Page, fields: dict[str, str]) -> None:
    """Fill the inputs in order (by their JSON names), moving on with Tab as a clerk does."""
    for name, value in fields.items():
        field = page.locator(f'[name="{name}"]')
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
        field.press("Tab")


def second_window(browser: Browser) -> Page:
    """Another terminal (its own cookies: both towns' screens are on 127.0.0.1)."""
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    return context.new_page()


def test_a_move_from_chiyoda_to_tsurumi_is_done_through_the_screens_of_both_windows(
    make_deployment: DeploymentFactory, page: Page, browser: Browser, serve: Any
) -> None:
    country = make_deployment((TOKYO_CHIYODA, YOKOHAMA_TSURUMI))
    chiyoda, tsurumi = country.municipality(TOKYO_CHIYODA), country.municipality(YOKOHAMA_TSURUMI)
    base_a, base_b = serve(chiyoda.app), serve(tsurumi.app)
    sign_in(
        page,
        base_a,
        chiyoda,
        "clerk-chiyoda",
        make_operator(chiyoda, "clerk-chiyoda", ("window-clerk",)),
    )

    # At 千代田区: the person arrives from abroad (a new record), recorded through the form.
    page.goto(f"{base_a}/ui/terminal/events/arrival")
    expect(page.locator("#f-reason")).to_be_focused()  # the first field has the focus
    type_into(
        page,
        {
            "reason": "arrival-from-abroad",
            "arrived_on": "2026-11-10",
            "family_name": "髙橋",
            "given_name": "𠮷男",
            "family_name_kana": "たかはし",
            "given_name_kana": "よしお",
            "birth_date": "1990-05-05",
            "sex": "male",
            "address": CHIYODA_HOME,
        },
    )
    expect(page.locator("#deadline")).to_contain_text("2026-11-24（住基法22条")
    page.keyboard.press("Alt+s")
    expect(page.get_by_role("heading", level=1)).to_contain_text("受付完了")
    code = page.locator('[data-item="resident_code"]').inner_text()

    # Found by the restricted key, and the record opened from the result.
    page.keyboard.press("Alt+f")
    page.fill("#f-resident_code", code)
    page.press("#f-resident_code", "Enter")
    expect(page.locator("table.results")).to_contain_text("髙橋　𠮷男")
    save_screenshot(page, "terminal-search")
    page.locator(f'a[href="/ui/terminal/residents/{code}"]').press("Enter")
    expect(page.locator("h1 .name")).to_have_text("髙橋　𠮷男")

    # 転出 at 千代田区: the form opened from the record (Alt+O), the certificate issued.
    page.keyboard.press("Alt+o")
    expect(page.locator("#f-resident_code")).to_have_value(code)
    type_into(page, {"planned_on": "2026-11-21", "destination": TSURUMI_HOME})
    page.press('[name="destination"]', "Enter")
    expect(page.get_by_role("heading", level=2, name="転出証明書")).to_be_visible()
    certificate = {
        item: page.locator(f'[data-item="certificate.{item}"]').inner_text()
        for item in CERTIFICATE_ITEMS
    }
    assert certificate["resident_code"] == code
    expect(page.locator("iframe.pdf")).to_have_attribute(
        "src", f"/ui/terminal/move-out-certificates/{certificate['certificate_id']}"
    )

    # 転入 at 鶴見区, at another terminal: the certificate keyed in, checked as it is typed.
    window_b = second_window(browser)
    secret_b = make_operator(tsurumi, "clerk-tsurumi", ("window-clerk",))
    sign_in(window_b, base_b, tsurumi, "clerk-tsurumi", secret_b)
    window_b.goto(f"{base_b}/ui/terminal/events/move-in")
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    window_b.fill("#f-certificate-resident_code", wrong)
    expect(window_b.locator("#e-certificate-resident_code")).to_contain_text("check digit")
    type_into(window_b, {f"certificate.{item}": certificate[item] for item in CERTIFICATE_ITEMS})
    expect(window_b.locator("#e-certificate-resident_code")).to_have_text("")
    expect(window_b.locator("#e-certificate-issuer")).to_have_text("東京都千代田区")
    window_b.locator('[name="certificate.sex"]').select_option("male")
    type_into(
        window_b,
        {
            "moved_in_on": "2026-11-22",
            "family_name": "髙橋",
            "given_name": "𠮷男",
            "birth_date": "1990-05-05",
            "sex": "male",
            "address": TSURUMI_HOME,
        },
    )
    expect(window_b.locator("#deadline")).to_contain_text("2026-12-06（住基法22条")
    save_screenshot(window_b, "terminal-move-in")
    window_b.press('[name="address"]', "Enter")
    expect(window_b.get_by_role("heading", level=1)).to_contain_text("受付完了")
    expect(window_b.locator('[data-item="resident_code"]')).to_have_text(code)
    expect(window_b.locator('[data-item="move_in_notice"]')).to_have_text(
        "ネットワークで送信しました"
    )

    country.pump()  # the 転入通知 reaches 千代田区

    page.goto(f"{base_a}/ui/terminal/residents/{code}")
    expect(page.locator("header.record-head .badge")).to_contain_text("転出確定")
    expect(page.locator("#history ~ table")).to_contain_text("転出確定")
    window_b.goto(f"{base_b}/ui/terminal/residents/{code}")
    expect(window_b.locator("header.record-head .badge")).to_have_text("記載中")
    expect(window_b.locator("header.record-head .code")).to_have_text(code)
    save_screenshot(window_b, "terminal-record")


SETUP = Principal(
    "supervisor-setup",
    "desk",
    "session",
    frozenset({Permission.RESIDENT_READ, Permission.SUPPRESSION_SET}),
)


def household(node: Node) -> list[Any]:
    """髙橋 一郎, his wife 花子 and their child, at one address (職権記載)."""
    assert node.supply is not None
    people: list[Any] = []
    for given, kana, sex, born, relationship in (
        ("一郎", "イチロウ", "male", "1980-04-01", None),
        ("花子", "ハナコ", "female", "1982-07-07", "wife"),
        ("葵", "アオイ", "female", "2015-09-09", "child"),
    ):
        form: dict[str, Any] = {
            "reason": "ex-officio-record",
            "family_name": "髙橋",
            "given_name": given,
            "family_name_kana": "タカハシ",
            "given_name_kana": kana,
            "birth_date": born,
            "sex": sex,
            "address": CHIYODA_HOME,
            "arrived_on": "2026-04-01",
        }
        if relationship:
            form["household"] = {
                "household_id": people[0].household_id,
                "relationship": relationship,
            }
        people.append(arrivals.record_arrival(form, "clerk-setup", node.supply))
    return people


def test_a_protected_persons_copy_is_refused_at_the_window(
    make_deployment: DeploymentFactory, page: Page, serve: Any
) -> None:
    node = make_deployment((TOKYO_CHIYODA,)).municipality(TOKYO_CHIYODA)
    head, wife, child = household(node)
    assert node.supply is not None
    desk = ProtectionDesk.of(node.supply)
    # Work already waiting in the queue: an undecided application, and a suppression past its end.
    protection_measures.apply_for_measure(
        {"resident_code": child.resident_code, "provisional": False}, SETUP, desk
    )
    protection.set_suppression(
        {
            "resident_code": head.resident_code,
            "reason": "glyph-in-preparation",
            "processes": ["lookup"],
            "level": "alert",
            "starts_on": "2026-10-01",
            "ends_on": "2026-11-01",
        },
        SETUP,
        desk,
    )
    base = serve(node.app)
    sign_in(
        page, base, node, "supervisor-ito", make_operator(node, "supervisor-ito", ("supervisor",))
    )

    # The supervisor applies for a support measure from the wife's record: protected at once.
    page.goto(f"{base}/ui/terminal/residents/{wife.resident_code}")
    page.get_by_role("link", name="支援措置の申出").press("Enter")
    expect(page.locator("#f-resident_code")).to_have_value(wife.resident_code)
    expect(page.locator("#f-provisional")).to_be_checked()
    page.fill("#f-note", "配偶者暴力相談支援センターの意見書あり")
    page.keyboard.press("Alt+s")
    expect(page.locator("p.refusal")).to_contain_text("支援措置の対象者です")
    expect(page.locator("section.protection")).to_contain_text("仮支援措置")

    # A copy of the household, asked for by the head, is refused at the window.
    page.goto(f"{base}/ui/terminal/copies?subject={head.resident_code}")
    type_into(
        page,
        {
            "requester.kind": "household-member",
            "requester.name": "髙橋　一郎",
            "requester.resident_code": head.resident_code,
            "requester.document": "drivers-licence",
        },
    )
    page.keyboard.press("Alt+s")
    expect(page.get_by_role("heading", level=1)).to_have_text("写しを交付できません")
    expect(page.get_by_role("alert")).to_contain_text("証明書発行は抑止されています")
    expect(page.locator("section.refusal code")).to_have_text("resident_code")
    save_screenshot(page, "terminal-copy-refused")

    # The protection alerts: the undecided application and the suppression past its end.
    page.get_by_role("link", name="保護アラート").press("Enter")
    queue = page.locator("table.queue")
    expect(queue).to_contain_text("決定待ち")
    expect(queue).to_contain_text("終了予定日を過ぎた抑止")
    expect(queue.locator(f'a[href="/ui/terminal/residents/{child.resident_code}"]')).to_be_visible()
    expect(queue.locator("a").first).to_be_focused()  # the work starts at the oldest
    save_screenshot(page, "terminal-protection-alerts")
