"""A municipality's operator tokens from the command line: issued once, revoked for good."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jukinet.bootstrap import open_node
from jukinet.cli.main import app
from jukinet.settings import Settings


@pytest.fixture
def home(cli_home: Path) -> Path:
    return cli_home


def test_a_token_works_until_its_operator_is_revoked(home: Path) -> None:
    runner = CliRunner()
    created = runner.invoke(app, ["deploy", "init", "131016", "--home", str(home)])
    assert created.exit_code == 0, created.output

    issued = runner.invoke(
        app, ["operator", "token", "--code", "131016", "clerk-7", "--home", str(home)]
    )
    token = issued.stdout.strip()
    node = open_node("municipality-131016", Settings.from_env(home=home))
    assert node.tokens is not None
    assert node.tokens.operator_for(token) == "clerk-7"

    revoked = runner.invoke(
        app, ["operator", "revoke", "--code", "131016", "clerk-7", "--home", str(home)]
    )
    again = runner.invoke(
        app, ["operator", "revoke", "--code", "131016", "clerk-7", "--home", str(home)]
    )

    assert revoked.exit_code == 0
    assert node.tokens.operator_for(token) is None
    assert again.exit_code == 1
    assert "no active token" in again.output
    node.engine.dispose()


def test_an_operator_id_with_spaces_is_refused_clearly(home: Path) -> None:
    runner = CliRunner()
    runner.invoke(app, ["deploy", "init", "131016", "--home", str(home)])

    issued = runner.invoke(
        app, ["operator", "token", "--code", "131016", "clerk 7", "--home", str(home)]
    )

    assert issued.exit_code == 1
    assert "operator id" in issued.output
