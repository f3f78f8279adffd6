"""A municipality's operator tokens from the command line: issued once, revoked for good."""

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
        for node in ("national", "prefecture", "municipality-131016"):
            drop_schema(engine, f"{prefix}{node}".replace("-", "_"))
        engine.dispose()


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
