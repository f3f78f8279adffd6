"""The demo a newcomer runs first: a small country over HTTPS, ending with a clean check."""

from __future__ import annotations

import re
from pathlib import Path

import pyotp
import pytest
from typer.testing import CliRunner

from jukinet.cli.main import app
from jukinet.deployments import Deployment
from jukinet.nodes.operators import sessions
from jukinet.settings import Settings


@pytest.mark.slow
def test_the_demo_registers_lives_and_ends_consistent(tmp_path: Path) -> None:
    home = tmp_path / "demo"
    result = CliRunner().invoke(
        app, ["demo", "--once", "--people", "120", "--events", "30", "--home", str(home)]
    )

    assert result.exit_code == 0, result.output
    assert "every outbox delivered: True" in result.output
    assert result.output.count("consistent") == 6
    assert "differs" not in result.output
    for event in ("出生", "死亡", "転居", "転出・転入", "外国人住民の記載", "住民票コード変更"):
        assert event in result.output
    assert (home / "pki" / "ca.cert.pem").exists()
    assert (home / "directory.json").exists()
    assert_the_written_accounts_sign_in(home)


def assert_the_written_accounts_sign_in(home: Path) -> None:
    """operators.txt names every screen's account, and its passwords and secrets work."""
    written = (home / "operators.txt").read_text(encoding="utf-8")
    assert (home / "operators.txt").stat().st_mode & 0o077 == 0
    for role in ("window-clerk", "supervisor", "provision-operator", "auditor", "agency-operator"):
        assert role in written
    assert "PIN" in written
    assert "card number" in written
    first = re.search(
        r"\[municipality-131016\] (\S+)\n  operator ID  (\S+) .*\n  password     (\S+)\n"
        r"  TOTP secret  (\S+)",
        written,
    )
    assert first is not None
    url, operator_id, password, secret = first.groups()
    assert url.startswith("http://127.0.0.1:")
    assert url.endswith("/ui/")
    country = Deployment.open(Settings(home=home, database_url=f"sqlite:///{home / 'db'}"))
    try:
        office = country.municipality("131016").operators
        assert office is not None
        code = pyotp.TOTP(secret).at(office.clock.now())
        signed = sessions.sign_in(sessions.SignIn(operator_id, password, code, "demo-01"), office)
        assert signed.token
    finally:
        country.close()
