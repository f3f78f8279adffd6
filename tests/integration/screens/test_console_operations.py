"""J-LIS and prefecture staff watch the network: the consistency check with its drill-down,
message flow health per peer, and the 住民票コード pools."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from tests.integration.provision.conftest import CLERK
from tests.integration.screens.console_world import CHIYODA, ConsoleWorld, console_world, text_of

from jukinet.bootstrap import Node
from jukinet.nodes.municipal import amendments
from jukinet.nodes.national.issuance import grant_codes
from jukinet.nodes.ports import Refusal
from jukinet.protocol.catalogue import CodePoolRequest, IdentityUpdate

SAPPORO_CHUO = "011011"  # a municipality without a node in this country
OPERATOR = ("provision-operator",)


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleWorld]:
    with console_world(tmp_path_factory.mktemp("console-operations")) as world:
        yield world


def logged_codes(node: Node, action: str) -> list[str]:
    """The 住民票コード of the access-log lines of ``action`` on ``node``."""
    table = node.metadata.tables["access_log"]
    query = select(table.c.resident_codes).where(table.c.action == action)
    with node.engine.connect() as connection:
        return [code for line in connection.execute(query).scalars() for code in line.split()]


def test_a_version_still_in_transit_shows_as_a_difference_down_to_the_record(
    console: ConsoleWorld,
) -> None:
    country, takahashi = console.world.country, console.people["takahashi"]
    chiyoda = country.municipality(CHIYODA)
    amendments.change_name(
        {
            "resident_code": takahashi.resident_code,
            "family_name": "高橋",
            "family_name_kana": "タカハシ",
            "changed_on": "2026-11-20",
        },
        CLERK,
        chiyoda.supply,
    )
    chiyoda.relay.run_once(float("inf"))  # reaches the prefecture node, not yet J-LIS
    staff = console.staff(console.national, OPERATOR, "jlis-op")

    ran = staff.post("/ui/console/consistency", {"municipality_code": CHIYODA})
    overview = text_of(ran.text)
    detail = staff.get(f"/ui/console/consistency/{CHIYODA}")

    assert "1市町村を確認しました" in overview
    assert "東京都千代田区 131016" in overview
    assert "差異あり" in overview
    assert detail.status_code == 200
    row = text_of(detail.text).split(takahashi.resident_code, 1)[1].split()
    assert row[1:4] == ["第2版", "第2版", "第1版"]  # municipality, prefecture, national
    row = " ".join(row)
    assert "lacks version 2" in row  # the national node's advice: in transit, or resend
    assert takahashi.resident_code in logged_codes(console.national, "ui.consistency-detail")

    country.pump()
    staff.post("/ui/console/consistency", {"municipality_code": CHIYODA})
    assert "差異のある記録" not in text_of(staff.get(f"/ui/console/consistency/{CHIYODA}").text)


def test_a_municipality_not_on_the_network_is_refused_at_its_field(
    console: ConsoleWorld,
) -> None:
    staff = console.staff(console.national, OPERATOR, "jlis-op")

    refused = staff.post("/ui/console/consistency", {"municipality_code": SAPPORO_CHUO})

    assert refused.status_code == 422
    assert 'aria-invalid="true"' in refused.text
    message = refused.text.split('id="e-municipality_code"', 1)[1].split("</small>")[0]
    assert "入力に誤りがあります" in message
    assert SAPPORO_CHUO in message


def test_the_detail_of_a_municipality_never_checked_is_not_found(console: ConsoleWorld) -> None:
    staff = console.staff(console.national, OPERATOR, "jlis-op")

    missing = staff.get("/ui/console/consistency/271276")

    assert missing.status_code == 404
    assert "municipality_code" in missing.text


def test_the_prefecture_sees_its_backlog_to_jlis_and_the_message_jlis_refused(
    console: ConsoleWorld,
) -> None:
    country, prefecture = console.world.country, console.prefecture
    chiyoda = country.municipality(CHIYODA)
    amendments.change_name(
        {
            "resident_code": console.people["yamazaki"].resident_code,
            "given_name": "恵美",
            "given_name_kana": "メグミ",
            "changed_on": "2026-11-21",
        },
        CLERK,
        chiyoda.supply,
    )
    chiyoda.relay.run_once(float("inf"))  # the prefecture node now holds it for J-LIS
    staff = console.staff(prefecture, OPERATOR, "pref-op")

    waiting = text_of(staff.get("/ui/console/flows").text)
    (pending,) = prefecture.outbox.pending("national", 10)
    prefecture.outbox.set_aside(pending.row_id, "invalid-body: sequence goes backwards")
    after = staff.get("/ui/console/flows/national")

    first_row = waiting.split("最終受信 受信拒否", 1)[1]
    assert first_row.split()[:3] == ["national", "1", "2026-11-23"]  # the largest backlog first
    assert after.status_code == 200
    assert "invalid-body: sequence goes backwards" in after.text
    assert IdentityUpdate.TYPE in after.text


def test_flows_name_municipalities_and_count_envelopes_refused_from_them(
    console: ConsoleWorld,
) -> None:
    national = console.national
    national.refusals.record(
        Refusal(
            datetime(2026, 11, 23, 0, 30, tzinfo=UTC),
            "municipality-131016",
            "env-1",
            "bad-signature",
            "the signature does not verify",
        )
    )
    staff = console.staff(national, OPERATOR, "jlis-op")

    page = text_of(staff.get("/ui/console/flows", sort="set-aside").text)
    detail = staff.get("/ui/console/flows/municipality-131016")

    assert "東京都千代田区 municipality-131016" in page
    assert "bad-signature" in detail.text
    assert "the signature does not verify" in detail.text


def test_an_unknown_sort_order_is_refused_naming_sort(console: ConsoleWorld) -> None:
    staff = console.staff(console.national, OPERATOR, "jlis-op")

    refused = staff.get("/ui/console/flows", sort="random")

    assert refused.status_code == 422
    assert "sort" in refused.text
    assert "backlog" in refused.text


def test_code_pools_warn_of_a_municipality_running_low(console: ConsoleWorld) -> None:
    national = console.national
    with national.unit_of_work() as uow:
        grant_codes(uow, CodePoolRequest(SAPPORO_CHUO, 10), national.clock)
        uow.commit()
    staff = console.staff(national, OPERATOR, "jlis-op")

    page = text_of(staff.get("/ui/console/pools").text)

    assert "在庫が少ない市町村が1あります" in page
    assert "北海道札幌市中央区 (011011): 残り10" in page
    chiyoda = page.split("東京都千代田区 131016", 1)[1].split()
    assert chiyoda[:3] == ["200", "2", "198"]  # granted, seen in use, left
    assert "十分" in page


def test_staff_without_provision_operate_get_a_403_page(console: ConsoleWorld) -> None:
    auditor = console.staff(console.national, ("auditor",), "jlis-auditor")

    for path in ("/ui/console/flows", "/ui/console/pools", "/ui/console/consistency"):
        refused = auditor.get(path)
        assert refused.status_code == 403, path
        assert "provision.operate" in refused.text
