"""Nodes as separate processes, talking HTTPS with mutual TLS — the production shape.

``jukinet deploy init`` creates the CA, certificates and signed directory; each node runs as
``jukinet serve …`` in its own process; a window terminal (with its own certificate from the
deployment CA and a signed-in clerk: password and TOTP code) records changes; ``jukinet verify`` checks every tier.
"""

from __future__ import annotations

import os
import secrets
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyotp
import pytest
from sqlalchemy import create_engine
from tests.conftest import database_url, on_postgresql

from jukinet.adapters.network.servers import free_ports
from jukinet.adapters.network.tls import client_ssl_context
from jukinet.adapters.storage.engines import drop_schema

JUKINET = [sys.executable, "-m", "jukinet.cli"]
CHIYODA, OSAKA_KITA = "131016", "271276"
NODES = ["national", "prefecture", f"municipality-{CHIYODA}", f"municipality-{OSAKA_KITA}"]


def _env(home: Path, prefix: str) -> dict[str, str]:
    env = dict(os.environ)
    env["JUKINET_HOME"] = str(home)
    env["JUKINET_DATABASE_URL"] = database_url() or f"sqlite:///{home / 'db'}"
    env["JUKINET_SCHEMA_PREFIX"] = prefix
    return env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*JUKINET, *args], env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def network(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str], int]]:
    home, prefix = tmp_path / "home", f"t{secrets.token_hex(4)}_"
    env = _env(home, prefix)
    first_port = free_ports(1)[0]
    created = _run(env, "deploy", "init", CHIYODA, OSAKA_KITA, "--first-port", str(first_port))
    assert created.returncode == 0, created.stderr
    processes = []
    log = (tmp_path / "nodes.log").open("w")
    try:
        for args in (
            ["national"],
            ["prefecture"],
            ["municipality", "--code", CHIYODA],
            ["municipality", "--code", OSAKA_KITA],
        ):
            processes.append(
                subprocess.Popen(
                    [*JUKINET, "serve", *args],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        yield home, env, first_port
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)
        log.close()
        if on_postgresql():
            engine = create_engine(database_url() or "")
            for node in NODES:
                drop_schema(engine, f"{prefix}{node}".replace("-", "_"))
            engine.dispose()


def _client(home: Path, name: str) -> httpx.Client:
    issued = subprocess.run(
        [*JUKINET, "pki", "issue", name, "--dir", str(home / "pki")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert issued.returncode == 0, issued.stderr
    pki = home / "pki"
    context = client_ssl_context(
        pki / "ca.cert.pem", pki / "nodes" / f"{name}.cert.pem", pki / "nodes" / f"{name}.key.pem"
    )
    return httpx.Client(verify=context, timeout=30)


def _clerk_session(
    env: dict[str, str], terminal: httpx.Client, base: str, code: str, operator_id: str
) -> str:
    """Make a window clerk with ``jukinet operator add``, sign them in, return the token."""
    password = Path(env["JUKINET_HOME"]) / f"{operator_id}.password"
    password.write_text("a long enough passphrase\n", encoding="utf-8")
    made = _run(
        env, "operator", "add", operator_id, "--code", code, "--role", "window-clerk",
        "--matching-id", f"M{code}{operator_id[-3:]}", "--name", "窓口 太郎",
        "--password-file", str(password),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    secret = made.stdout.split("secret=")[1].split("&")[0]
    signed = terminal.post(
        f"{base}/auth/v1/sessions",
        json={
            "operator_id": operator_id,
            "password": "a long enough passphrase",
            "code": pyotp.TOTP(secret).now(),
            "terminal": "window-1",
        },
    )
    assert signed.status_code == 201, signed.text
    return str(signed.json()["token"])


def _wait_for(client: httpx.Client, url: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if client.get(url).status_code == 200:
                return
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.2)


@pytest.mark.slow
def test_separate_processes_over_mutual_tls_carry_a_move_between_prefectures(
    network: tuple[Path, dict[str, str], int],
) -> None:
    home, env, first_port = network
    chiyoda = f"https://127.0.0.1:{first_port + 2}"
    osaka = f"https://127.0.0.1:{first_port + 3}"
    terminal = _client(home, "terminal-window-1")
    for port in range(first_port, first_port + 4):
        _wait_for(terminal, f"https://127.0.0.1:{port}/health")
    token_out = _clerk_session(env, terminal, chiyoda, CHIYODA, "clerk-001")
    token_in = _clerk_session(env, terminal, osaka, OSAKA_KITA, "clerk-101")

    def post(base: str, token: str, path: str, form: dict[str, object]) -> dict[str, object]:
        response = terminal.post(
            f"{base}/api/v1/{path}", json=form, headers={"authorization": f"Bearer {token.strip()}"}
        )
        assert response.status_code in (200, 201), response.text
        return dict(response.json())

    recorded = post(
        chiyoda,
        token_out,
        "arrivals",
        {
            "reason": "ex-officio-record",
            "family_name": "髙橋",
            "given_name": "一郎",
            "family_name_kana": "タカハシ",
            "given_name_kana": "イチロウ",
            "birth_date": "1975-05-05",
            "sex": "male",
            "address": "東京都千代田区丸の内一丁目1番1号",
            "arrived_on": "2020-04-01",
        },
    )
    moved_out = post(
        chiyoda,
        token_out,
        "move-outs",
        {
            "resident_code": recorded["resident_code"],
            "destination": "大阪府大阪市北区梅田一丁目1番",
            "planned_on": "2026-11-20",
            "notified_on": "2026-11-10",
        },
    )
    certificate = moved_out["certificate"]
    assert isinstance(certificate, dict)
    moved_in = post(
        osaka,
        token_in,
        "move-ins",
        {
            "certificate": certificate,
            "family_name": "髙橋",
            "given_name": "一郎",
            "birth_date": "1975-05-05",
            "sex": "male",
            "address": "大阪府大阪市北区梅田一丁目1番",
            "moved_in_on": "2026-11-21",
        },
    )
    assert moved_in["resident_code"] == recorded["resident_code"]
    assert moved_in["my_number"] == recorded["my_number"]

    deadline = time.monotonic() + 60
    while (verified := _run(env, "verify")).returncode != 0 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "consistent" in verified.stdout
    assert "differs" not in verified.stdout

    # A client without a certificate from the deployment CA does not get past the handshake.
    stranger = httpx.Client(
        verify=ssl.create_default_context(cafile=home / "pki" / "ca.cert.pem"), timeout=10
    )
    with pytest.raises(httpx.HTTPError):
        stranger.get(f"{chiyoda}/health")
