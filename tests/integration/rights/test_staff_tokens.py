"""Operator tokens for the staff of the providing nodes, from the command line."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from tests.conftest import database_url, on_postgresql
from typer.testing import CliRunner

from jukinet.adapters.storage.engines import drop_schema
from jukinet.bootstrap import open_node
from jukinet.cli.main import app
from jukinet.settings import Settings


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    prefix = f"t{secrets.token_hex(4)}_"
    monkeypatch.setenv("JUKINET_SCHEMA_PREFIX", prefix)
    if database_url():
        monkeypatch.setenv("JUKINET_DATABASE_URL", database_url() or "")
    yield tmp_path / "home"
    if on_postgresql():
        engine = create_engine(database_url() or "")
        for node in ("national", "prefecture"):
            drop_schema(engine, f"{prefix}{node}")
        engine.dispose()


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
