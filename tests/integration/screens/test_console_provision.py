"""J-LIS staff look over provision: the agency registry with its credentials and change log,
batch jobs with their progress, and the provision statistics with the annual notice."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.integration.screens.console_world import PENSION, ConsoleWorld, console_world, text_of

from jukinet.nodes.provision.batches import run_pending

OPERATOR = ("provision-operator",)
BATCHES = "/provision/v1/batches"


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleWorld]:
    with console_world(tmp_path_factory.mktemp("console-provision")) as world:
        world.provide("takahashi", 2)  # 日本年金機構 registered, two immediate provisions
        yield world


def pension_batch(console: ConsoleWorld) -> str:
    """日本年金機構 uploads a file of three keys (one matches nobody); returns the batch id."""
    lines = [
        "照会番号,住民票コード,氏名,フリガナ,生年月日,性別,住所",
        f"P-001,{console.people['takahashi'].resident_code},,,,,",
        f"P-002,{console.people['yoshida'].resident_code},,,,,",
        "P-003,,年金 太郎,,1930-01-01,1,",
    ]
    body = ("\r\n".join(lines) + "\r\n").encode("cp932")
    ticket = console.world.client("nenkin").upload(
        f"{BATCHES}?affair={PENSION}&format=csv", body, "text/csv"
    )
    return str(ticket["batch_id"])


def test_the_registry_shows_each_recipients_affairs_and_credentials(
    console: ConsoleWorld,
) -> None:
    staff = console.staff(console.national, OPERATOR, "jlis-op")

    overview = text_of(staff.get("/ui/console/registry").text)
    detail = text_of(staff.get("/ui/console/registry/nenkin").text)

    assert "日本年金機構 nenkin" in overview
    assert "適用中の法令データ: 版 2026-04-01" in overview
    assert "国民年金法" in detail
    assert "別表第一" in detail
    affair = detail.split("kokumin-nenkin", 1)[1]
    assert affair.split()[:6] == [
        "国民年金法",
        "別表第一",
        "即時提供",
        "電気通信回線による一括提供",
        "磁気媒体による一括提供",
        "はい",  # household checks allowed
    ]
    assert "提供先機関 有効" in detail
    assert "jlis-admin nenkin" in detail.split("登録の変更履歴", 1)[1].replace("登録 ", "")


def test_a_revoked_credential_shows_as_revoked_with_its_change(console: ConsoleWorld) -> None:
    national = console.national
    console.world.client("mhlw")  # 厚生労働省 registered, then revoked
    assert national.credentials is not None
    national.credentials.revoke("mhlw", "jlis-admin", national.clock.now())
    staff = console.staff(national, OPERATOR, "jlis-op")

    detail = text_of(staff.get("/ui/console/registry/mhlw").text)

    assert "提供先機関 失効" in detail
    changes = detail.split("登録の変更履歴", 1)[1]
    assert "jlis-admin 失効 mhlw 1 credential(s) revoked" in changes


def test_the_registry_filter_narrows_and_refuses_an_overlong_text(console: ConsoleWorld) -> None:
    staff = console.staff(console.national, OPERATOR, "jlis-op")

    narrowed = text_of(staff.get("/ui/console/registry", q="年金").text)
    refused = staff.get("/ui/console/registry", q="x" * 101)

    assert "日本年金機構" in narrowed
    assert "厚生労働省 mhlw" not in narrowed
    assert refused.status_code == 422
    assert "at most 100 characters" in refused.text.split('id="e-q"', 1)[1]


def test_a_recipient_the_law_does_not_name_is_not_found(console: ConsoleWorld) -> None:
    staff = console.staff(console.national, OPERATOR, "jlis-op")

    missing = staff.get("/ui/console/registry/no-such-agency")

    assert missing.status_code == 404
    assert "recipient" in missing.text


def test_the_prefecture_registry_lists_every_prefectures_bodies(console: ConsoleWorld) -> None:
    staff = console.staff(console.prefecture, OPERATOR, "pref-op")

    tokyo = text_of(staff.get("/ui/console/registry", q="東京都").text)

    assert "東京都知事 13.governor" in tokyo
    assert "大阪府知事" not in tokyo


def test_a_batch_shows_its_progress_then_its_outcomes(console: ConsoleWorld) -> None:
    batch_id = pension_batch(console)
    staff = console.staff(console.national, OPERATOR, "jlis-op")

    queued = text_of(staff.get("/ui/console/batches").text)
    early = staff.get(f"/ui/console/batches/{batch_id}/outcomes.csv")
    assert console.national.provider is not None
    run_pending(console.national.provider)
    done = text_of(staff.get(f"/ui/console/batches/{batch_id}").text)
    outcomes = staff.get(f"/ui/console/batches/{batch_id}/outcomes.csv")

    assert "nenkin kokumin-nenkin 電気通信回線による一括提供 受付済み 0 / 3 件" in queued
    assert early.status_code == 409
    assert "完了 " in done
    assert "3 / 3 件 (100%)" in done
    assert done.split("照合結果の内訳", 1)[1].split()[:8] == [
        "一致",
        "複数該当",
        "該当なし",
        "不備",
        "2",
        "0",
        "1",
        "0",
    ]
    assert outcomes.status_code == 200
    assert outcomes.headers["content-type"].startswith("text/csv")
    rows = outcomes.content.decode("utf-8-sig").splitlines()
    assert rows == [
        "number,reference,outcome",
        "1,P-001,matched",
        "2,P-002,matched",
        "3,P-003,not-found",
    ]  # no names, no codes: the answers go to the agency alone


def test_an_unknown_batch_is_not_found(console: ConsoleWorld) -> None:
    staff = console.staff(console.national, OPERATOR, "jlis-op")

    assert staff.get("/ui/console/batches/no-such-batch").status_code == 404


def test_the_statistics_chart_and_count_what_was_provided(console: ConsoleWorld) -> None:
    staff = console.staff(console.national, OPERATOR, "jlis-op")

    page = staff.get("/ui/console/statistics", **{"from": "2026-04", "to": "2026-11"})
    words = text_of(page.text)

    assert page.status_code == 200
    total = int(words.split("2026-04〜2026-11の提供件数合計", 1)[1].split()[0])
    by_channel = words.split("提供方法 提供件数", 1)[1].split()[:6]
    immediate, network = int(by_channel[1]), int(by_channel[3])
    assert immediate >= 2
    assert total == immediate + network
    assert page.text.count("<svg") == 3
    assert f"<title>日本年金機構: {total:,}</title>" in page.text
    assert "<title>2026-11: " in page.text
    assert "<title>2026-04: 0</title>" in page.text


def test_the_statistics_speak_english_when_asked(console: ConsoleWorld) -> None:
    staff = console.staff(console.national, OPERATOR, "jlis-op")

    page = text_of(staff.get("/ui/console/statistics", lang="en").text)

    assert "Records provided by month" in page
    assert "Immediate" in page
    staff.get("/ui/console/statistics", lang="ja")


@pytest.mark.parametrize(
    ("period", "field", "words"),
    [
        ({"from": "2026-13", "to": "2026-11"}, "from", "has no month 13"),
        ({"from": "2026-11", "to": "2026-04"}, "to", "is before 2026-11"),
        ({"from": "2020-01", "to": "2026-11"}, "to", "at most 60 months"),
    ],
)
def test_a_bad_period_is_refused_at_its_field(
    console: ConsoleWorld, period: dict[str, str], field: str, words: str
) -> None:
    staff = console.staff(console.national, OPERATOR, "jlis-op")

    refused = staff.get("/ui/console/statistics", **period)

    assert refused.status_code == 422
    assert words in refused.text.split(f'id="e-{field}"', 1)[1].split("</small>")[0]


def test_the_annual_notice_comes_as_csv_and_pdf(console: ConsoleWorld) -> None:
    staff = console.staff(console.national, OPERATOR, "jlis-op")
    period = {"from": "2026-04", "to": "2026-11"}

    csv = staff.get("/ui/console/statistics/notice.csv", **period)
    pdf = staff.get("/ui/console/statistics/notice.pdf", **period)
    refused = staff.get("/ui/console/statistics/notice.pdf", **{"from": "26-04", "to": "x"})

    assert csv.headers["content-type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert text.startswith("提供先,事務,")
    assert "日本年金機構" in text
    assert "提供件数合計" in text
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content[:5] == b"%PDF-"
    assert refused.status_code == 422
    assert "from" in refused.text


def test_statistics_and_registry_need_provision_operate(console: ConsoleWorld) -> None:
    administrator = console.staff(console.national, ("administrator",), "jlis-admin-1")

    for path in ("/ui/console/statistics", "/ui/console/registry", "/ui/console/batches"):
        refused = administrator.get(path)
        assert refused.status_code == 403, path
        assert "provision.operate" in refused.text
