"""Operators at a browser: sign-in, the screen lock, sign-out, refusals, and the access log."""

from __future__ import annotations

import re

import pyotp
from fastapi.testclient import TestClient
from tests.conftest import OPERATOR_PASSWORD, TOKYO_CHIYODA, DeploymentFactory, screen_session

from jukinet.nodes.operators import accounts
from jukinet.web.screens.staff import SESSION_COOKIE


def _account(node, operator_id: str = "clerk-ito") -> str:
    made = accounts.create_account(
        accounts.CreateAccount(
            operator_id, "MATCH0001", "伊藤 髙子", ("window-clerk",), OPERATOR_PASSWORD
        ),
        "test-setup",
        node.operators,
    )
    return made.code_secret


def _code(node, secret: str) -> str:
    return pyotp.TOTP(secret).at(node.operators.clock.now())


def test_a_clerk_signs_in_with_password_and_code_and_sees_the_work_menu(
    make_deployment: DeploymentFactory,
) -> None:
    node = make_deployment((TOKYO_CHIYODA,)).municipality(TOKYO_CHIYODA)
    secret = _account(node)
    client = TestClient(node.app, base_url="http://testserver")

    first = client.get("/ui/", follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"].startswith("/ui/sign-in?next=")
    form = client.get("/ui/sign-in")
    assert "操作者ID" in form.text
    assert 'lang="ja"' in form.text

    signed = client.post(
        "/ui/sign-in",
        data={
            "operator_id": "clerk-ito",
            "password": OPERATOR_PASSWORD,
            "code": _code(node, secret),
            "terminal": "window-03",
            "next": "/ui/",
        },
        follow_redirects=False,
    )
    assert signed.status_code == 303
    cookie = signed.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    home = client.get("/ui/")
    assert home.status_code == 200
    assert "clerk-ito" in home.text
    assert "window-03" in home.text
    assert "東京都千代田区 統合端末" in home.text


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(
    make_deployment: DeploymentFactory,
) -> None:
    node = make_deployment((TOKYO_CHIYODA,)).municipality(TOKYO_CHIYODA)
    secret = _account(node)
    client = TestClient(node.app)
    for operator_id in ("clerk-ito", "nobody-here"):
        refused = client.post(
            "/ui/sign-in",
            data={
                "operator_id": operator_id,
                "password": "not the password at all",
                "code": _code(node, secret),
                "terminal": "window-03",
            },
        )
        assert refused.status_code == 401
        assert "サインインできませんでした" in refused.text
        assert SESSION_COOKIE not in refused.headers.get("set-cookie", "")


def test_english_is_available_and_remembered(make_deployment: DeploymentFactory) -> None:
    node = make_deployment((TOKYO_CHIYODA,)).municipality(TOKYO_CHIYODA)
    client = TestClient(node.app)
    english = client.get("/ui/sign-in?lang=en")
    assert 'lang="en"' in english.text
    assert "Operator ID" in english.text
    assert 'lang="en"' in client.get("/ui/sign-in").text  # the cookie keeps the choice


def test_the_screen_lock_hides_the_work_until_password_and_a_fresh_code(
    make_deployment: DeploymentFactory,
) -> None:
    node = make_deployment((TOKYO_CHIYODA,)).municipality(TOKYO_CHIYODA)
    cookies, csrf = screen_session(node, ("window-clerk",), "clerk-ono")
    client = TestClient(node.app, cookies=cookies)
    assert client.get("/ui/").status_code == 200

    locked = client.post("/ui/lock-now", headers={"X-CSRF-Token": csrf}, follow_redirects=False)
    assert locked.status_code == 303
    again = client.get("/ui/", follow_redirects=False)
    assert again.headers["location"].startswith("/ui/lock?next=")
    lock_screen = client.get(again.headers["location"])
    assert "画面ロック中" in lock_screen.text
    assert "clerk-ono" in lock_screen.text

    wrong = client.post("/ui/lock", data={"password": "wrong password!!", "code": "000000"})
    assert wrong.status_code == 401
    assert client.get("/ui/", follow_redirects=False).status_code == 303


def test_a_change_without_the_pages_csrf_token_is_refused(
    make_deployment: DeploymentFactory,
) -> None:
    node = make_deployment((TOKYO_CHIYODA,)).municipality(TOKYO_CHIYODA)
    cookies, csrf = screen_session(node, ("window-clerk",), "clerk-abe")
    client = TestClient(node.app, cookies=cookies)
    refused = client.post("/ui/sign-out", data={"csrf": "forged"})
    assert refused.status_code == 403
    assert client.get("/ui/").status_code == 200  # still signed in
    out = client.post("/ui/sign-out", data={"csrf": csrf}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/ui/", follow_redirects=False).status_code == 303


def test_every_screen_request_of_an_operator_is_in_the_access_log(
    make_deployment: DeploymentFactory,
) -> None:
    node = make_deployment((TOKYO_CHIYODA,)).municipality(TOKYO_CHIYODA)
    cookies, _ = screen_session(node, ("window-clerk",), "clerk-kato", terminal="window-07")
    TestClient(node.app, cookies=cookies).get("/ui/")
    table = node.metadata.tables["access_log"]
    with node.engine.connect() as connection:
        rows = [dict(r._mapping) for r in connection.execute(table.select())]
    assert [(r["action"], r["operator_id"], r["outcome"]) for r in rows] == [
        ("ui.home", "clerk-kato", "done")
    ]
    assert re.search("window-07", str(rows[0]))
