"""The agency portal at a browser: 日本年金機構's operator signs in, states the affair, looks
one pensioner up, uploads the month's 現況確認 file, waits for it and downloads the answers;
then reads the agency's provision history. The keyboard does the work where it can."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect
from tests.browser.conftest import save_screenshot, sign_in
from tests.conftest import OPERATOR_PASSWORD, TOKYO_CHIYODA, DeploymentFactory
from tests.integration.provision.conftest import record
from tests.integration.test_agency_portal import opened_agency_portal

from jukinet.nodes.municipal import departures
from jukinet.nodes.operators import accounts


def test_a_batch_uploaded_and_its_result_downloaded(
    make_deployment: DeploymentFactory, page: Page, serve: Any, tmp_path: Path
) -> None:
    country = make_deployment((TOKYO_CHIYODA,))
    chiyoda = country.municipality(TOKYO_CHIYODA)
    takahashi = record(
        chiyoda,
        family_name="髙橋",
        given_name="一郎",
        family_name_kana="タカハシ",
        given_name_kana="イチロウ",
        birth_date="1950-04-01",
        sex="male",
    )
    yamazaki = record(chiyoda, family_name="山﨑", given_name="恵", birth_date="1948-08-08")
    departures.record_death(
        {"resident_code": yamazaki.resident_code, "died_on": "2026-11-01"},
        "clerk-001",
        chiyoda.supply,
    )
    country.pump()
    country.start_relays()  # the national node's batch worker matches uploads as they come
    with opened_agency_portal(country, tmp_path / "nenkin", country.national.clock) as portal:
        made = accounts.create_account(
            accounts.CreateAccount(
                "nenkin-sato", "NENKIN0042", "佐藤 年金", ("agency-operator",), OPERATOR_PASSWORD
            ),
            "test-setup",
            portal.operators,
        )
        secret = made.code_secret
        base = serve(portal.app)
        sign_in(page, base, portal, "nenkin-sato", secret, terminal="nenkin-01")

        # State the affair first: the search sends the operator there, and back after.
        page.goto(f"{base}/ui/search")
        expect(page.get_by_role("heading", level=1)).to_have_text("事務の指定")
        page.select_option("#f-affair", "kokumin-nenkin")
        page.keyboard.press("Alt+s")
        expect(page).to_have_url(f"{base}/ui/search")

        # One pensioner, by 住民票コード.
        page.get_by_label("住民票コード").fill(takahashi.resident_code)
        page.keyboard.press("Enter")
        answer = page.locator("#answer")
        expect(answer).to_contain_text("髙橋　一郎")
        expect(answer).to_contain_text("住民（2000-04-01 から）")
        save_screenshot(page, "agency-search")

        # The month's 現況確認 file, in Shift_JIS as the pension system writes it.
        page.get_by_role("link", name="一括照会").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("一括照会")
        page.set_input_files(
            "#f-file",
            files=[
                {
                    "name": "genkyo-2026-11.csv",
                    "mimeType": "text/csv",
                    "buffer": csv_of(
                        ("P-001", takahashi.resident_code, "", "", ""),
                        ("P-002", yamazaki.resident_code, "", "", ""),
                        ("P-003", "", "年金 太郎", "19300101", "1"),
                        ("P-004", "12345678901", "", "", ""),
                    ),
                }
            ],
        )
        page.keyboard.press("Alt+s")
        progress = page.locator("#progress")
        expect(progress).to_contain_text("完了", timeout=30_000)  # htmx asks every 2 s
        expect(progress).to_contain_text("4 / 4 件")
        save_screenshot(page, "agency-batch")

        with page.expect_download() as downloading:
            page.keyboard.press("Alt+d")
        rows = [
            json.loads(line) for line in Path(downloading.value.path()).read_text().splitlines()
        ]
        outcomes = {row["ref"]: row["outcome"] for row in rows}
        assert outcomes == {
            "P-001": "matched",
            "P-002": "matched",
            "P-003": "not-found",
            "P-004": "invalid",
        }
        by_ref = {row["ref"]: row for row in rows}
        assert by_ref["P-001"]["match"]["identity"]["family_name"] == "髙橋"
        assert by_ref["P-002"]["match"]["status"]["reason_label"] == "死亡"
        assert by_ref["P-004"]["problem"]["field"] == "key.resident_code"

        # The agency's own history: the search and the batch, by this operator.
        page.get_by_role("link", name="提供履歴").click()
        history = page.locator("table")
        expect(history).to_contain_text("genkyo-2026-11.csv")
        expect(history).to_contain_text("完了")
        expect(history).to_contain_text("提供")
        expect(history).to_contain_text("nenkin-sato")
        save_screenshot(page, "agency-history")


def csv_of(*rows: tuple[str, str, str, str, str]) -> bytes:
    lines = ["照会番号,住民票コード,氏名,生年月日,性別", *(",".join(row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode("cp932")
