"""``jukinet agency-portal operator …`` and ``jukinet serve agency-portal``: the portal's
host makes its operators' accounts, and the server refuses what would expose it."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import OPERATOR_PASSWORD
from typer.testing import CliRunner

from jukinet.cli.main import app


@pytest.fixture
def home(cli_home: Path) -> Path:
    return cli_home


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, " ".join(result.output.split())  # as read, not as wrapped


def test_the_host_adds_an_agency_operator_and_lists_the_accounts(
    home: Path, tmp_path: Path
) -> None:
    password = tmp_path / "password.txt"
    password.write_text(OPERATOR_PASSWORD + "\n", encoding="utf-8")
    common = ("--home", str(home), "--password-file", str(password))

    added = run(
        "agency-portal", "operator", "add", "nenkin-ito", "--matching-id", "NENKIN0001",
        "--name", "伊藤 髙子", "--role", "agency-operator", *common,
    )  # fmt: skip
    refused = run(
        "agency-portal", "operator", "add", "nenkin-clerk", "--matching-id", "NENKIN0002",
        "--name", "窓口 太郎", "--role", "window-clerk", *common,
    )  # fmt: skip
    listed = run("agency-portal", "operator", "list", "--home", str(home))

    assert added[0] == 0, added[1]
    assert "TOTP secret (shown once):" in added[1]
    assert "otpauth://totp/" in added[1]
    assert refused[0] == 1
    assert "a agency-portal node has no window-clerk" in refused[1]
    assert listed[0] == 0
    assert "nenkin-ito" in listed[1]
    assert "伊藤 髙子" in listed[1]
    assert "agency-operator" in listed[1]
    assert "nenkin-clerk" not in listed[1]


def test_the_portal_serves_plain_http_only_to_this_machine(home: Path) -> None:
    exposed = run(
        "serve", "agency-portal", "--credentials", str(home / "nenkin"), "--port", "9480",
        "--screens-host", "0.0.0.0", "--home", str(home),
    )  # fmt: skip
    missing = run("serve", "agency-portal", "--home", str(home))

    assert exposed[0] == 2
    assert "give --tls-cert and --tls-key for 0.0.0.0" in exposed[1]
    assert missing[0] == 2
    assert "needs --credentials DIR and --port N" in missing[1]
