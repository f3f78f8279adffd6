"""Operator accounts from the command line: ``jukinet operator add|passwd|roles|disable|
unlock|list|events``, on a municipality (``--code``) or a providing node's staff (``--node``)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from typer.testing import CliRunner

from jukinet.bootstrap import open_node
from jukinet.cli.main import app
from jukinet.domain.errors import DomainError
from jukinet.nodes.operators import sessions
from jukinet.settings import Settings

PASSWORD = "a long enough passphrase"


@pytest.fixture
def home(cli_home: Path, tmp_path: Path) -> Path:
    created = CliRunner().invoke(app, ["deploy", "init", "131016", "--home", str(cli_home)])
    assert created.exit_code == 0, created.output
    (tmp_path / "password").write_text(PASSWORD + "\n", encoding="utf-8")
    return cli_home


def operator(home: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["operator", *args, "--home", str(home)])
    assert result.exit_code == 0, result.output
    return result.output


def test_an_account_made_on_the_command_line_signs_in_with_the_printed_secret(
    home: Path, tmp_path: Path
) -> None:
    printed = operator(
        home, "add", "clerk-7", "--code", "131016", "--matching-id", "ＡＢ１２３４５６",
        "--name", "髙橋 一郎", "--role", "window-clerk",
        "--password-file", str(tmp_path / "password"),
    )  # fmt: skip
    uri = next(line for line in printed.splitlines() if line.startswith("otpauth://"))
    secret = parse_qs(urlsplit(uri).query)["secret"][0]
    node = open_node("municipality-131016", Settings.from_env(home=home))
    assert node.operators is not None
    code = pyotp.TOTP(secret).at(node.clock.now())

    signed = sessions.sign_in(sessions.SignIn("clerk-7", PASSWORD, code, "w1"), node.operators)
    listed = operator(home, "list", "--code", "131016")

    assert sorted(signed.principal.permissions) == [
        "copy.issue",
        "register.change",
        "resident.read",
    ]
    assert "AB123456" in listed
    assert "髙橋 一郎" in listed
    node.engine.dispose()


@pytest.mark.parametrize("node_id", ["national", "prefecture"])
def test_staff_of_a_providing_node_are_locked_out_unlocked_and_disabled(
    home: Path, tmp_path: Path, node_id: str
) -> None:
    password = str(tmp_path / "password")
    operator(
        home, "add", "staff-01", "--node", node_id, "--matching-id", "STAFF0001",
        "--name", "山﨑 花子", "--role", "provision-operator", "--password-file", password,
    )  # fmt: skip
    node = open_node(node_id, Settings.from_env(home=home))
    assert node.operators is not None
    for _ in range(5):
        with pytest.raises(DomainError):
            sessions.sign_in(
                sessions.SignIn("staff-01", "wrong password!", "000000", "w1"), node.operators
            )

    unlocked = operator(home, "unlock", "staff-01", "--node", node_id)
    roles = operator(home, "roles", "staff-01", "--node", node_id, "--grant", "auditor")
    operator(home, "passwd", "staff-01", "--node", node_id, "--password-file", password)
    disabled = operator(home, "disable", "staff-01", "--node", node_id)
    log = operator(home, "events", "--node", node_id, "--operator", "staff-01")

    assert "unlocked" in unlocked
    assert "auditor, provision-operator" in roles
    assert "disabled" in disabled
    for kind in ("locked-out", "account-unlocked", "roles-changed", "password-set"):
        assert kind in log
    node.engine.dispose()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["unlock", "nobody", "--code", "131016"], "no operator 'nobody'"),
        (["roles", "x-1", "--code", "131016", "--grant", "cashier"], "not a role"),
        (["list"], "give either --code"),
    ],
)
def test_mistakes_are_refused_with_one_clear_line(
    home: Path, args: list[str], message: str
) -> None:
    result = CliRunner().invoke(app, ["operator", *args, "--home", str(home)])

    assert result.exit_code in (1, 2)
    assert message in result.output
