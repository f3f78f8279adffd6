"""``jukinet agency household-check``: a form written wrongly is a usage error (exit 2), said
before any credentials are read or any request is sent."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jukinet.cli.main import app


@pytest.mark.parametrize(
    ("members", "says"),
    [
        (["--member", "12345678903"], "write CODE:続柄"),
        (["--member", "12345678903:いとこ"], "is not a 続柄"),
        (["--member", "31415926530:子", "--member", "31415926530:妻"], "listed twice"),
    ],
)
def test_a_member_written_wrongly_is_a_usage_error(
    members: list[str], says: str, tmp_path: Path
) -> None:
    arguments = ["agency", "household-check", "--credentials", str(tmp_path / "none")]
    arguments += ["--operator", "op-1", "--affair", "kokumin-nenkin", "--applicant", "12345678903"]

    result = CliRunner().invoke(app, arguments + members)

    assert result.exit_code == 2
    assert says in result.output
