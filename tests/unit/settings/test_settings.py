"""Settings read from the environment: a usable value is taken, an unusable one is refused
with the variable's name, before any node starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from jukinet.settings import MAX_CANDIDATES_CEILING, Settings, SettingsError


def test_the_candidate_limit_is_read_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUKINET_PROVISION_MAX_CANDIDATES", "25")
    assert Settings.from_env(home=tmp_path).max_candidates == 25


@pytest.mark.parametrize("value", ["0", str(MAX_CANDIDATES_CEILING + 1)])
def test_a_candidate_limit_an_answer_cannot_log_in_one_statement_is_refused(
    value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUKINET_PROVISION_MAX_CANDIDATES", value)
    with pytest.raises(SettingsError, match="JUKINET_PROVISION_MAX_CANDIDATES must be between"):
        Settings.from_env(home=tmp_path)
