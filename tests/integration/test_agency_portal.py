"""The agency portal at a browser (TestClient): 日本年金機構's operators sign in, state the
affair, search one person, send a batch file and download its answers, and read the
agency's provision history; the national node of an in-process country answers them."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyotp
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from tests.conftest import OPERATOR_PASSWORD, TEST_MOMENT, database_url, opened_country
from tests.integration.provision.conftest import CHIYODA, KITA, KITA_ADDRESS, record

from jukinet.adapters.clock import FixedClock
from jukinet.adapters.storage.engines import drop_schema
from jukinet.bootstrap import register_recipient
from jukinet.deployments import Deployment
from jukinet.domain.residents import Resident
from jukinet.nodes.municipal import departures
from jukinet.nodes.operators import accounts, sessions
from jukinet.nodes.provision.batches import run_pending
from jukinet.portals.agency.store import METADATA, STORE_ID
from jukinet.portals.agency.wiring import AgencyPortal, open_agency_portal
from jukinet.settings import Settings
from jukinet.web.screens.staff import SESSION_COOKIE, StaffGate, csrf_token


@dataclass
class Agency:
    country: Deployment
    portal: AgencyPortal
    clock: FixedClock
    people: dict[str, Resident]

    def browser(self, roles: tuple[str, ...] = ("agency-operator",)) -> tuple[TestClient, str, str]:
        """A browser signed in as a new operator with ``roles``, its CSRF token, and the
        operator's ID."""
        operator_id = f"op-{secrets.token_hex(3)}"
        made = accounts.create_account(
            accounts.CreateAccount(
                operator_id, secrets.token_hex(5).upper(), "年金 花子", roles, OPERATOR_PASSWORD
            ),
            "test-setup",
            self.portal.operators,
        )
        code = pyotp.TOTP(made.code_secret).at(self.clock.now())
        signed = sessions.sign_in(
            sessions.SignIn(operator_id, OPERATOR_PASSWORD, code, "nenkin-01"),
            self.portal.operators,
        )
        client = TestClient(self.portal.app, base_url="http://testserver")
        client.cookies.set(SESSION_COOKIE, signed.token)
        return client, csrf_token(signed.token), operator_id


@contextmanager
def opened_agency_portal(
    country: Deployment, home: Path, clock: FixedClock
) -> Iterator[AgencyPortal]:
    """日本年金機構's portal under ``home``: registered at the country's national node, which
    it reaches in-process; on the test database when one is set (its schema dropped after)."""
    national = country.national
    folder = home / "credentials"
    register_recipient(national, "nenkin", "agency", "jlis-admin", folder, country.settings.pki_dir)
    prefix = f"t{secrets.token_hex(4)}_"
    settings = Settings(
        home=home / "portal",
        database_url=database_url() or f"sqlite:///{home / 'portal' / 'db'}",
        schema_prefix=prefix,
    )
    assert country.bridge is not None
    http = httpx.Client(transport=country.bridge, base_url=national.entry.endpoint)
    portal = open_agency_portal(folder, settings, clock=clock, http=http)
    try:
        yield portal
    finally:
        portal.close()
        if database_url():
            engine = create_engine(database_url() or "")
            drop_schema(engine, f"{prefix}{STORE_ID}".replace("-", "_"))
            engine.dispose()


def state(client: TestClient, csrf: str, affair: str = "kokumin-nenkin") -> None:
    stated = client.post("/ui/affair", data={"csrf": csrf, "affair": affair})
    assert stated.status_code == 200, stated.text


@pytest.fixture(scope="module")
def agency(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agency]:
    home = tmp_path_factory.mktemp("agency-portal")
    clock = FixedClock(TEST_MOMENT)
    with opened_country(home / "country", (CHIYODA, KITA), clock) as country:
        chiyoda = country.municipality(CHIYODA)
        people = {
            "takahashi": record(
                chiyoda,
                family_name="髙橋",
                given_name="一郎",
                family_name_kana="タカハシ",
                given_name_kana="イチロウ",
                birth_date="1950-04-01",
                sex="male",
            ),
            "sato-tokyo": record(chiyoda),
            "sato-osaka": record(country.municipality(KITA), address=KITA_ADDRESS),
            "yoshida": record(
                chiyoda,
                family_name="𠮷田",
                given_name="茂",
                family_name_kana="ヨシダ",
                given_name_kana="シゲル",
                birth_date="1940-01-20",
                sex="male",
            ),
        }
        departures.record_death(
            {"resident_code": people["yoshida"].resident_code, "died_on": "2026-11-01"},
            "clerk-provision",
            chiyoda.supply,
        )
        country.pump()
        with opened_agency_portal(country, home / "nenkin", clock) as portal:
            yield Agency(country, portal, clock, people)


def test_an_operator_signs_in_with_password_and_code_and_must_state_the_affair_first(
    agency: Agency,
) -> None:
    made = accounts.create_account(
        accounts.CreateAccount(
            "nenkin-ito", "NENKIN0001", "伊藤 髙子", ("agency-operator",), OPERATOR_PASSWORD
        ),
        "test-setup",
        agency.portal.operators,
    )
    client = TestClient(agency.portal.app, base_url="http://testserver")
    signed = client.post(
        "/ui/sign-in",
        data={
            "operator_id": "nenkin-ito",
            "password": OPERATOR_PASSWORD,
            "code": pyotp.TOTP(made.code_secret).at(agency.clock.now()),
            "terminal": "nenkin-07",
            "next": "/ui/search",
        },
        follow_redirects=False,
    )
    assert signed.status_code == 303
    assert "HttpOnly" in signed.headers["set-cookie"]

    search = client.get("/ui/search", follow_redirects=False)
    assert search.status_code == 303
    assert search.headers["location"] == "/ui/affair?next=%2Fui%2Fsearch"
    listed = client.get("/ui/affair")
    options = re.findall(r'<option value="([^"]+)"', listed.text)
    assert options == ["kokumin-nenkin", "kosei-nenkin", "kenko-hoken"]
    assert "日本年金機構" in listed.text
    chosen = client.post(
        "/ui/affair",
        data={"csrf": csrf_token(client.cookies[SESSION_COOKIE]), "affair": "kosei-nenkin"},
        follow_redirects=False,
    )
    assert chosen.headers["location"] == "/ui/search"
    form = client.get("/ui/search")
    assert form.status_code == 200
    assert "厚生年金保険法" in form.text
    assert 'name="affair" value="kosei-nenkin"' in form.text


def test_a_search_by_resident_code_shows_the_person_as_registered_and_logs_the_operator(
    agency: Agency,
) -> None:
    client, csrf, operator = agency.browser()
    state(client, csrf)
    takahashi = agency.people["takahashi"]

    found = client.post(
        "/ui/search",
        data={
            "csrf": csrf,
            "affair": "kokumin-nenkin",
            "key.resident_code": takahashi.resident_code,
        },
    )

    assert found.status_code == 200
    assert "髙橋　一郎" in found.text  # as registered: 髙, never folded to 高
    assert "住民（2000-04-01 から）" in found.text
    assert found.headers["cache-control"] == "no-store"
    provision_id = re.search(r"提供ID ([0-9a-f-]{36})", found.text)
    assert provision_id is not None
    provisions = agency.country.national.metadata.tables["provisions"]
    query = provisions.select().where(provisions.c.provision_id == provision_id[1])
    with agency.country.national.engine.connect() as connection:
        logged = connection.execute(query).mappings().one()
    assert (logged["recipient_id"], logged["affair_id"], logged["operator"]) == (
        "nenkin",
        "kokumin-nenkin",
        operator,
    )


def test_a_name_search_with_history_shows_a_death_with_its_reason_and_every_version(
    agency: Agency,
) -> None:
    client, csrf, _ = agency.browser()
    state(client, csrf)

    found = client.post(
        "/ui/search",
        data={
            "csrf": csrf,
            "affair": "kokumin-nenkin",
            "key.name": "𠮷田 茂",
            "key.birth_date": "19400120",
            "key.sex": "male",
            "history": "true",
        },
    )

    assert found.status_code == 200
    assert "𠮷田　茂" in found.text
    assert "消除: 死亡（2026-11-01）" in found.text
    assert found.text.count("<tr><td>") == 2  # the record, then the death


def test_nobody_matching_is_an_answer_with_its_provision_id(agency: Agency) -> None:
    client, csrf, _ = agency.browser()
    state(client, csrf)

    found = client.post(
        "/ui/search",
        data={
            "csrf": csrf,
            "key.kana": "ネンキン タロウ",
            "key.birth_date": "1930-01-01",
            "key.sex": "male",
        },
    )

    assert found.status_code == 200
    assert re.search(r"該当する方はいません（提供ID [0-9a-f-]{36}）", found.text)


def test_an_affair_outside_the_law_is_refused_with_the_nodes_reason(agency: Agency) -> None:
    client, csrf, _ = agency.browser()
    state(client, csrf)

    refused = client.post(
        "/ui/search",
        data={"csrf": csrf, "affair": "rosai", "key.resident_code": "12345678901"},
    )

    assert refused.status_code == 403
    assert "法令上、この提供は認められていません" in refused.text
    assert "<code>affair</code>" in refused.text
    assert "its affairs are: kenko-hoken, kokumin-nenkin, kosei-nenkin" in refused.text


def test_a_wrong_check_digit_is_shown_at_its_input(agency: Agency) -> None:
    client, csrf, _ = agency.browser()
    state(client, csrf)
    code = agency.people["takahashi"].resident_code
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)

    refused = client.post("/ui/search", data={"csrf": csrf, "key.resident_code": wrong})

    assert refused.status_code == 422
    assert re.search(r'id="f-key.resident_code"[^>]*aria-invalid="true"', refused.text)
    assert re.search(
        r'id="e-key.resident_code"[^>]*>入力に誤りがあります: check digit', refused.text
    )
    assert f'value="{wrong}"' in refused.text  # the form keeps what was typed


def test_too_many_matches_ask_to_narrow_the_search(agency: Agency) -> None:
    client, csrf, _ = agency.browser()
    state(client, csrf)
    provider = agency.country.national.provider
    assert provider is not None
    provider.max_candidates = 1
    try:
        refused = client.post(
            "/ui/search",
            data={
                "csrf": csrf,
                "key.name": "佐藤 花子",
                "key.birth_date": "1955-06-15",
                "key.sex": "female",
            },
        )
    finally:
        provider.max_candidates = 10

    assert refused.status_code == 422
    assert "住所を加えるか" in refused.text
    assert 'class="alert" role="alert"' in refused.text


def existence_check_csv(agency: Agency) -> bytes:
    """The pension service's 現況確認 file, in Shift_JIS as its systems write it."""
    p = agency.people
    lines = [
        "照会番号,住民票コード,氏名,生年月日,性別",
        f"P-001,{p['takahashi'].resident_code},,,",
        f"P-002,{p['yoshida'].resident_code},,,",
        "P-003,,年金 太郎,1930-01-01,1",
        "P-004,12345678901,,,",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("cp932")


def test_a_batch_file_is_sent_followed_and_its_answers_downloaded(agency: Agency) -> None:
    client, csrf, _ = agency.browser()
    state(client, csrf)

    sent = client.post(
        "/ui/batches",
        data={"csrf": csrf, "affair": "kokumin-nenkin", "format": "csv", "encoding": ""},
        files={"file": ("pensioners.csv", existence_check_csv(agency), "text/csv")},
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    batch_id = sent.headers["location"].removeprefix("/ui/batches/")
    waiting = client.get(f"/ui/batches/{batch_id}/progress", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in waiting.text
    assert "<html" not in waiting.text  # the fragment alone
    assert client.get(f"/ui/batches/{batch_id}/answers.jsonl").status_code == 409

    provider = agency.country.national.provider
    assert provider is not None
    run_pending(provider)
    done = client.get(f"/ui/batches/{batch_id}")
    answers = client.get(f"/ui/batches/{batch_id}/answers.jsonl")
    table = client.get(f"/ui/batches/{batch_id}/answers.csv")

    assert "完了" in done.text
    assert "hx-trigger" not in done.text
    assert "4 / 4 件" in done.text
    rows = {row["ref"]: row for row in map(json.loads, answers.text.splitlines())}
    assert {ref: row["outcome"] for ref, row in rows.items()} == {
        "P-001": "matched",
        "P-002": "matched",
        "P-003": "not-found",
        "P-004": "invalid",
    }
    assert rows["P-001"]["match"]["identity"]["family_name"] == "髙橋"
    assert rows["P-002"]["match"]["status"]["reason_label"] == "死亡"
    assert answers.headers["content-disposition"] == (
        f'attachment; filename="answers-{batch_id}.jsonl"'
    )
    assert table.content.startswith("\ufeff".encode())
    lines = table.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("row,ref,outcome,resident_code")
    assert lines[1].split(",")[1:3] == ["P-001", "matched"]
    assert "髙橋" in lines[1]


def test_a_file_the_node_cannot_read_is_refused_at_the_file_input(agency: Agency) -> None:
    client, csrf, _ = agency.browser()
    state(client, csrf)

    refused = client.post(
        "/ui/batches",
        data={"csrf": csrf, "format": "csv"},
        files={"file": ("odd.csv", b"ref,favourite_colour\r\nP-1,blue\r\n", "text/csv")},
    )
    nothing = client.post("/ui/batches", data={"csrf": csrf, "format": "csv"})

    assert refused.status_code == 422
    assert re.search(r'id="e-file"[^>]*>入力に誤りがあります: ', refused.text)
    assert "favourite_colour" in refused.text
    assert nothing.status_code == 422
    assert re.search(
        r'id="e-file"[^>]*>入力に誤りがあります: ファイルを選んでください', nothing.text
    )


def test_a_batch_under_an_affair_without_network_batches_is_refused(agency: Agency) -> None:
    client, csrf, _ = agency.browser()
    state(client, csrf)

    refused = client.post(
        "/ui/batches",
        data={"csrf": csrf, "affair": "no-such-affair", "format": "csv"},
        files={"file": ("p.csv", existence_check_csv(agency), "text/csv")},
    )

    assert refused.status_code == 403
    assert "<code>affair</code>" in refused.text


def test_a_batch_of_another_agency_or_none_is_not_found(agency: Agency) -> None:
    client, _, _ = agency.browser()

    missing = client.get("/ui/batches/01a20858-0000-7000-8000-000000000000")

    assert missing.status_code == 404
    assert "<code>batch_id</code>" in missing.text


def test_the_history_lists_every_request_without_keys_or_answers(agency: Agency) -> None:
    client, csrf, _ = agency.browser()
    state(client, csrf)
    takahashi = agency.people["takahashi"]
    client.post("/ui/search", data={"csrf": csrf, "key.resident_code": takahashi.resident_code})
    client.post("/ui/search", data={"csrf": csrf, "affair": "rosai", "key.my_number": "1"})

    history = client.get("/ui/history")

    assert history.status_code == 200
    assert "提供" in history.text
    assert "拒否（法令外）" in history.text
    assert "国民年金法</span> <code>kokumin-nenkin</code>" in history.text
    assert "即時提供" in history.text
    assert takahashi.resident_code not in history.text
    assert "髙橋" not in history.text


def test_an_administrator_manages_accounts_but_asks_nothing(agency: Agency) -> None:
    client, _, _ = agency.browser(("administrator",))

    for path in ("/ui/affair", "/ui/search", "/ui/batches", "/ui/history"):
        refused = client.get(path)
        assert refused.status_code == 403, path
        assert "provision.request" in refused.text


def test_a_post_without_the_pages_csrf_token_is_refused(agency: Agency) -> None:
    client, csrf, _ = agency.browser()
    state(client, csrf)

    refused = client.post("/ui/search", data={"key.resident_code": "12345678901"})

    assert refused.status_code == 403


def test_every_screen_of_the_portal_says_who_may_use_it(agency: Agency) -> None:
    open_routes = {"/ui/sign-in", "/ui/lock", "/ui/lock-now", "/"}
    unguarded = []
    for route in agency.portal.app.routes:
        if not isinstance(route, APIRoute) or route.path in open_routes:
            continue
        gates = [d.call for d in route.dependant.dependencies if isinstance(d.call, StaffGate)]
        if not gates:
            unguarded.append(route.path)
    assert unguarded == []


def test_the_portals_store_is_built_by_its_migrations(agency: Agency) -> None:
    with agency.portal.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), METADATA) == []


def test_credentials_of_a_portal_are_not_an_agencys(agency: Agency, tmp_path: Path) -> None:
    from jukinet.portals.agency.wiring import NotAProvider

    folder = tmp_path / "portal-credentials"
    pki = agency.country.settings.pki_dir
    register_recipient(agency.country.national, "mynaportal", "portal", "jlis-admin", folder, pki)

    with pytest.raises(NotAProvider, match="portal credentials at national"):
        open_agency_portal(folder, Settings(home=tmp_path, database_url="sqlite://"))
