"""Operator tokens for the staff of the providing nodes, from the command line."""

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


@pytest.mark.parametrize("node_id", ["national", "prefecture"])
def test_staff_of_a_providing_node_get_a_token_and_lose_it(home: Path, node_id: str) -> None:
    runner = CliRunner()
    runner.invoke(app, ["deploy", "init", "131016", "--home", str(home)])

    issued = runner.invoke(
        app, ["operator", "token", "--node", node_id, "staff-01", "--home", str(home)]
    )
    node = open_node(node_id, Settings.from_env(home=home))
    assert node.tokens is not None
    works = node.tokens.operator_for(issued.stdout.strip())
    revoked = runner.invoke(
        app, ["operator", "revoke", "--node", node_id, "staff-01", "--home", str(home)]
    )

    assert issued.exit_code == 0, issued.output
    assert works == "staff-01"
    assert revoked.exit_code == 0
    assert node.tokens.operator_for(issued.stdout.strip()) is None
    node.engine.dispose()


@pytest.mark.parametrize(
    "where", [[], ["--code", "131016", "--node", "national"], ["--node", "municipality"]]
)
def test_a_token_names_exactly_one_node(home: Path, where: list[str]) -> None:
    refused = CliRunner().invoke(
        app, ["operator", "token", *where, "staff-01", "--home", str(home)]
    )

    assert refused.exit_code == 2
