"""``jukinet audit``: an investigator verifies a node's log, searches it and screens a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from jukinet.bootstrap import Node, open_node
from jukinet.cli.main import app
from jukinet.domain.access_log import AccessEntry, AccessQuery, Outcome
from jukinet.nodes.audit.anomalies import AnomalyKind, find_anomalies
from jukinet.nodes.audit.searches import search_log
from jukinet.settings import Settings

NODE = "municipality-131016"
MONDAY_10_JST = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
MONDAY_22_JST = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)


def read(at: datetime, operator: str, *codes: str) -> AccessEntry:
    return AccessEntry(
        at, operator, "T-01", "s-1", "resident.view", "resident.read", codes, Outcome.DONE
    )


@pytest.fixture
def node(cli_home: Path) -> Node:
    created = CliRunner().invoke(app, ["deploy", "init", "131016", "--home", str(cli_home)])
    assert created.exit_code == 0, created.output
    opened = open_node(NODE, Settings.from_env(home=cli_home))
    entries = [
        read(MONDAY_10_JST, "clerk-1", "13101600014", "13101600022"),  # one household, at once
        read(MONDAY_10_JST + timedelta(minutes=5), "clerk-1", "13101600030"),
        *(read(MONDAY_22_JST, "clerk-2", f"{n:011d}") for n in range(1, 6)),  # five strangers
    ]
    with opened.unit_of_work() as uow:
        uow.access_log.append(entries)
        uow.commit()
    return opened


def audit(home: Path, *arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["audit", *arguments, "--node", NODE, "--home", str(home)])
    return result.exit_code, result.output


def test_verify_says_intact_then_names_the_entry_an_attacker_changed(
    node: Node, cli_home: Path
) -> None:
    signed = audit(cli_home, "checkpoint")
    intact = audit(cli_home, "verify")
    with node.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("DROP FUNCTION access_log_append_only() CASCADE"))
        else:
            connection.execute(text("DROP TRIGGER access_log_no_update"))
        connection.execute(text("UPDATE access_log SET operator_id = 'clerk-3' WHERE sequence = 2"))
    broken = audit(cli_home, "verify")

    assert signed[0] == 0
    assert "entry 7" in signed[1]
    assert intact[0] == 0
    assert "intact: 7 entries, last checkpoint at entry 7" in intact[1]
    assert broken[0] == 1
    assert "broken at entry 2: changed" in broken[1]


def test_search_shows_who_looked_at_a_resident(node: Node, cli_home: Path) -> None:
    code, output = audit(cli_home, "search", "--resident", "13101600022", "--from", "2026-11-23")

    assert code == 0
    assert "clerk-1" in output
    assert "clerk-2" not in output
    assert "1 entries" in output


def test_search_refuses_a_malformed_resident_code(node: Node, cli_home: Path) -> None:
    code, output = audit(cli_home, "search", "--resident", "1310")

    assert code == 1
    assert "resident" in output


def test_anomalies_flag_many_strangers_and_late_reads(node: Node, cli_home: Path) -> None:
    code, output = audit(cli_home, "anomalies", "--day", "2026-11-23", "--threshold", "3")

    assert code == 0
    assert "clerk-2" in output
    assert "clerk-1" not in output
    assert "2 anomalies" in output


def test_residents_read_together_count_as_one_case(node: Node) -> None:
    assert node.access_log is not None

    found = find_anomalies(node.access_log, date(2026, 11, 23), threshold=1)

    many = {a.operator_id: a.count for a in found if a.kind is AnomalyKind.MANY_RESIDENTS}
    assert many == {"clerk-1": 2, "clerk-2": 5}


def test_an_operators_reads_are_found_newest_first(node: Node) -> None:
    assert node.access_log is not None

    found = search_log(node.access_log, AccessQuery(operator_id="clerk-1"))

    assert [s.sequence for s in found] == [2, 1]
