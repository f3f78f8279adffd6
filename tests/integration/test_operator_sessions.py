"""Signing in with password and TOTP, refusals, lock-out, the screen lock, expiry, one
session per operator, and the administrator's accounts API — over HTTP on a real store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.conftest import TEST_MOMENT, TOKYO_CHIYODA, opened_country, operator_header

from jukinet.adapters.clock import FixedClock
from jukinet.bootstrap import Node
from jukinet.deployments import Deployment
from jukinet.nodes.operators import accounts

PASSWORD = "桜の花が咲く春の日に会いましょう"  # typed in Japanese
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    home = tmp_path_factory.mktemp("operators")
    with opened_country(home, (TOKYO_CHIYODA,), FixedClock(TEST_MOMENT)) as deployment:
        yield deployment


@pytest.fixture
def node(country: Deployment) -> Iterator[Node]:
    chiyoda = country.municipality(TOKYO_CHIYODA)
    yield chiyoda
    chiyoda.clock.moment = TEST_MOMENT  # type: ignore[attr-defined]


@pytest.fixture
def http(node: Node) -> TestClient:
    return TestClient(node.app)


def clock(node: Node) -> FixedClock:
    assert isinstance(node.clock, FixedClock)
    return node.clock


def create(node: Node, operator_id: str, roles: tuple[str, ...] = ("window-clerk",)) -> str:
    """A new account; returns its TOTP secret."""
    assert node.operators is not None
    matching_id = f"M{abs(hash(operator_id)) % 10**9:09d}"
    cmd = accounts.CreateAccount(operator_id, matching_id, "山﨑 花子", roles, PASSWORD)
    return accounts.create_account(cmd, "test-setup", node.operators).code_secret


def code(node: Node, secret: str) -> str:
    return pyotp.TOTP(secret).at(clock(node).now())


def sign_in(http: TestClient, operator_id: str, password: str, totp: str, terminal: str) -> Any:
    body = {"operator_id": operator_id, "password": password, "code": totp, "terminal": terminal}
    return http.post("/auth/v1/sessions", json=body)


def bearer(response: Any) -> dict[str, str]:
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def events(node: Node, operator_id: str) -> list[tuple[str, str]]:
    assert node.operators is not None
    found = accounts.recent_events(operator_id, 100, node.operators)
    return [(event.kind.value, event.detail) for event in reversed(found)]


def test_an_operator_signs_in_and_sees_who_they_are_and_what_they_may_do(
    node: Node, http: TestClient
) -> None:
    secret = create(node, "clerk-aoki")

    signed = sign_in(http, "clerk-aoki", PASSWORD, code(node, secret), "window-3")
    current = http.get("/auth/v1/sessions/current", headers=bearer(signed))

    assert current.status_code == 200
    me = current.json()
    assert (me["operator_id"], me["terminal"]) == ("clerk-aoki", "window-3")
    assert me["permissions"] == ["copy.issue", "register.change", "resident.read"]
    assert me["locks_at"] == (TEST_MOMENT + timedelta(minutes=10)).isoformat()
    assert me["expires_at"] == (TEST_MOMENT + timedelta(hours=8)).isoformat()
    assert events(node, "clerk-aoki")[-1] == ("signed-in", "")


def test_every_kind_of_failed_sign_in_gets_the_same_answer_and_is_logged_without_secrets(
    node: Node, http: TestClient
) -> None:
    secret = create(node, "clerk-baba")
    good = code(node, secret)
    bearer(sign_in(http, "clerk-baba", PASSWORD, good, "window-1"))
    wrong_code = f"{(int(good) + 1) % 1_000_000:06d}"

    answers = [
        sign_in(http, "clerk-baba", "not the password at all", good, "window-1"),
        sign_in(http, "clerk-baba", PASSWORD, wrong_code, "window-1"),
        sign_in(http, "clerk-baba", PASSWORD, good, "window-1"),  # the same code again
        sign_in(http, "clerk-nobody", PASSWORD, good, "window-1"),
    ]

    assert {a.status_code for a in answers} == {401}
    assert {a.headers["content-type"] for a in answers} == {PROBLEM}
    assert len({a.text for a in answers}) == 1
    assert answers[0].json()["title"] == "sign-in-refused"
    logged = events(node, "clerk-baba")[-3:] + events(node, "clerk-nobody")
    assert logged == [("sign-in-refused", "wrong password or code")] * 3 + [
        ("sign-in-refused", "unknown operator")
    ]
    assert all(PASSWORD not in detail and good not in detail for _, detail in logged)


def test_five_failures_lock_the_account_until_an_administrator_unlocks_it(
    node: Node, http: TestClient
) -> None:
    secret = create(node, "clerk-chiba")
    admin = operator_header(node, ("administrator",), "admin-chiyoda")
    for _ in range(5):
        sign_in(http, "clerk-chiba", "a wrong password", code(node, secret), "window-2")

    while_locked = sign_in(http, "clerk-chiba", PASSWORD, code(node, secret), "window-2")
    unlocked = http.post("/auth/v1/operators/clerk-chiba/unlock", headers=admin)
    clock(node).advance(seconds=30)
    after = sign_in(http, "clerk-chiba", PASSWORD, code(node, secret), "window-2")

    assert while_locked.status_code == 401
    assert unlocked.status_code == 204
    assert after.status_code == 201
    kinds = [kind for kind, _ in events(node, "clerk-chiba")]
    assert kinds[-5:] == [
        "sign-in-refused",
        "locked-out",
        "sign-in-refused",
        "account-unlocked",
        "signed-in",
    ]
    assert events(node, "clerk-chiba")[-3] == ("sign-in-refused", "account locked")


def test_only_an_administrator_unlocks_and_a_clerk_is_told_which_permission_is_missing(
    node: Node, http: TestClient
) -> None:
    create(node, "clerk-doi")
    other = operator_header(node, ("supervisor",), "super-doi")

    refused = http.post("/auth/v1/operators/clerk-doi/unlock", headers=other)

    assert refused.status_code == 403
    assert refused.json()["field"] == "permission"
    assert "operators.administer" in refused.json()["detail"]


def test_an_idle_session_is_locked_and_reopened_with_password_and_a_fresh_code(
    node: Node, http: TestClient
) -> None:
    secret = create(node, "clerk-endo")
    signed = sign_in(http, "clerk-endo", PASSWORD, code(node, secret), "window-4")
    headers = bearer(signed)
    clock(node).advance(minutes=9)
    still_open = http.get("/auth/v1/sessions/current", headers=headers)
    clock(node).advance(minutes=10)

    locked = http.get("/api/v1/residents/12345678901", headers=headers)
    wrong = http.post(
        "/auth/v1/sessions/unlock",
        json={"password": "wrong one here", "code": "000000"},
        headers=headers,
    )
    reopened = http.post(
        "/auth/v1/sessions/unlock",
        json={"password": PASSWORD, "code": code(node, secret)},
        headers=headers,
    )
    after = http.get("/auth/v1/sessions/current", headers=headers)

    assert still_open.status_code == 200
    assert (locked.status_code, locked.json()["title"]) == (401, "session-locked")
    assert wrong.status_code == 401
    assert reopened.status_code == 200
    assert reopened.json()["session_id"] == signed.json()["session_id"]
    assert after.status_code == 200
    kinds = [kind for kind, _ in events(node, "clerk-endo")]
    assert kinds[-2:] == ["session-unlock-refused", "session-unlocked"]


def test_a_session_ends_after_eight_hours_however_busy_its_operator(
    node: Node, http: TestClient
) -> None:
    secret = create(node, "clerk-fujii")
    headers = bearer(sign_in(http, "clerk-fujii", PASSWORD, code(node, secret), "window-5"))
    answers = []
    for _ in range(53):  # a request every nine minutes keeps the screen unlocked
        clock(node).advance(minutes=9)
        answers.append(http.get("/auth/v1/sessions/current", headers=headers).status_code)
    clock(node).advance(minutes=9)  # 8 h 6 min after signing in

    over = http.get("/auth/v1/sessions/current", headers=headers)

    assert set(answers) == {200}
    assert (over.status_code, over.json()["title"]) == (401, "not-signed-in")
    assert over.headers["www-authenticate"] == "Bearer"


def test_signing_in_at_another_terminal_ends_the_first_session(
    node: Node, http: TestClient
) -> None:
    secret = create(node, "clerk-goto")
    first = bearer(sign_in(http, "clerk-goto", PASSWORD, code(node, secret), "window-6"))
    clock(node).advance(seconds=30)

    second = bearer(sign_in(http, "clerk-goto", PASSWORD, code(node, secret), "window-7"))

    assert http.get("/auth/v1/sessions/current", headers=first).status_code == 401
    assert http.get("/auth/v1/sessions/current", headers=second).status_code == 200
    assert ("session-superseded", "ended by a sign-in at window-7") in events(node, "clerk-goto")


def test_signing_out_ends_the_session(node: Node, http: TestClient) -> None:
    headers = operator_header(node, ("window-clerk",), "clerk-hara")

    out = http.delete("/auth/v1/sessions/current", headers=headers)
    again = http.get("/auth/v1/sessions/current", headers=headers)

    assert out.status_code == 204
    assert again.status_code == 401


def test_an_administrator_creates_accounts_one_per_person_for_good(
    node: Node, http: TestClient
) -> None:
    admin = operator_header(node, ("administrator",), "admin-ito")
    body = {
        "operator_id": "clerk-ishii",
        "matching_id": "ISHII0001",
        "name": "石井 𠮷子",
        "roles": ["window-clerk"],
        "password": PASSWORD,
    }

    created = http.post("/auth/v1/operators", json=body, headers=admin)
    twice = http.post(
        "/auth/v1/operators", json={**body, "operator_id": "clerk-ishii2"}, headers=admin
    )
    disabled = http.post("/auth/v1/operators/clerk-ishii/disable", headers=admin)
    reused = http.post(
        "/auth/v1/operators", json={**body, "operator_id": "clerk-ishii3"}, headers=admin
    )
    secret = created.json()["code_secret"]
    sign_after = sign_in(http, "clerk-ishii", PASSWORD, code(node, secret), "window-8")
    listed = http.get("/auth/v1/operators", headers=admin).json()["operators"]

    assert created.status_code == 201
    assert created.json()["otpauth_uri"].startswith("otpauth://totp/")
    assert (twice.status_code, twice.json()["field"]) == (409, "matching_id")
    assert disabled.status_code == 204
    assert reused.status_code == 409
    assert sign_after.status_code == 401
    mine = next(a for a in listed if a["operator_id"] == "clerk-ishii")
    assert (mine["name"], mine["disabled"]) == ("石井 𠮷子", True)


def test_roles_change_on_the_next_request_and_nobody_changes_their_own(
    node: Node, http: TestClient
) -> None:
    admin = operator_header(node, ("administrator",), "admin-kato")
    clerk = operator_header(node, ("window-clerk",), "clerk-kato")

    granted = http.put(
        "/auth/v1/operators/clerk-kato/roles", json={"grant": ["supervisor"]}, headers=admin
    )
    mine = http.put(
        "/auth/v1/operators/admin-kato/roles", json={"grant": ["window-clerk"]}, headers=admin
    )
    now = http.get("/auth/v1/sessions/current", headers=clerk).json()["permissions"]

    assert granted.json()["roles"] == ["supervisor", "window-clerk"]
    assert "suppression.set" in now
    assert mine.status_code == 409


def test_the_totp_secret_is_stored_encrypted(node: Node) -> None:
    secret = create(node, "clerk-mori")
    table = node.metadata.tables["operator_accounts"]

    with node.engine.connect() as connection:
        stored = connection.execute(
            select(table.c.code_secret, table.c.password_hash).where(
                table.c.operator_id == "clerk-mori"
            )
        ).one()

    assert secret not in stored.code_secret
    assert stored.password_hash.startswith("$argon2id$")
