"""The demo a newcomer runs first: a small country over HTTPS, ending with a clean check."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jukinet.cli.main import app


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
