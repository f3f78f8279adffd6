"""The yearly disclosure table (別紙2): requests per fiscal year (April to March) by how they
came, answers by how they were received, as JSON, PDF, CSV and on the command line."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from tests.integration.rights.conftest import RightsWorld, pdf_text
from typer.testing import CliRunner

from jukinet.cli.main import app

YEARS = "from_year=2024&to_year=2026"


def recorded(
    rights: RightsWorld, received_on: str, method: str, answered: tuple[str, str] | None
) -> None:
    """A request received on ``received_on``, decided and delivered (``answered``: the day
    and the method) or still undecided."""
    staff = rights.staff
    body = {"person": rights.person("sato"), "method": method, "received_on": received_on}
    path = f"/disclosure-requests/{staff.post('/disclosure-requests', body, 201)['request_id']}"
    if answered is not None:
        day, how = answered
        staff.post(f"{path}/identity-check", {"documents": ["passport"], "checked_on": received_on})
        staff.post(f"{path}/decision", {"decision": "disclosed", "decided_on": day})
        staff.post(f"{path}/delivery", {"method": how, "delivered_on": day})


@pytest.fixture(scope="module")
def counted(rights: RightsWorld) -> RightsWorld:
    recorded(rights, "2025-03-31", "post", ("2025-04-07", "post"))  # the last day of FY2024
    recorded(rights, "2025-04-01", "visit", ("2025-04-10", "visit"))  # the first of FY2025
    recorded(rights, "2026-03-31", "post", ("2026-04-08", "visit"))
    recorded(rights, "2026-04-01", "visit", None)
    portal = rights.world.client("myna-portal", "portal")
    filed = portal.post("/resident/v1/disclosure-requests", rights.person("sato"))
    path = f"/disclosure-requests/{filed['request_id']}"
    rights.staff.post(f"{path}/decision", {"decision": "disclosed"})
    portal.download(f"/resident/v1{path}/notice.pdf")
    return rights


def counts(visit: int = 0, post: int = 0, online: int = 0) -> dict[str, int]:
    return {"visit": visit, "post": post, "online": online}


def test_requests_count_in_the_fiscal_year_of_receipt_by_method(counted: RightsWorld) -> None:
    table = counted.staff.get(f"/disclosure-statistics?{YEARS}")

    years = {year["fiscal_year"]: year for year in table["years"]}
    assert list(years) == [2024, 2025, 2026]
    assert years[2024] == {
        "fiscal_year": 2024,
        "requested": counts(post=1),
        "delivered": counts(post=1),
        "total": 1,
    }
    assert (years[2025]["requested"], years[2025]["delivered"]) == (
        counts(visit=1, post=1),
        counts(visit=2),
    )
    assert (years[2026]["requested"], years[2026]["delivered"]) == (
        counts(visit=1, online=1),
        counts(online=1),  # the visit of April 2026 is not answered yet
    )
    assert (table["total"], table["provider"]) == (5, "地方公共団体情報システム機構")


def test_the_table_prints_each_fiscal_year_with_its_months_and_the_totals(
    counted: RightsWorld, tmp_path: Path
) -> None:
    text = pdf_text(counted.staff.pdf(f"/disclosure-statistics.pdf?{YEARS}"), tmp_path)

    assert "本人確認情報の開示請求の状況" in text
    for label in ("令和6年度", "令和7年度", "令和8年度", "オンライン", "合計"):
        assert label in text


def test_a_range_that_runs_backwards_is_refused(counted: RightsWorld) -> None:
    refused = counted.staff.get("/disclosure-statistics?from_year=2026&to_year=2024", 422)

    assert refused["field"] == "to_year"


def test_the_command_line_prints_the_table_and_writes_csv_and_pdf(
    counted: RightsWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = counted.world.country.settings
    monkeypatch.setenv("JUKINET_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("JUKINET_SCHEMA_PREFIX", settings.schema_prefix)
    csv_file, pdf_file = tmp_path / "table.csv", tmp_path / "table.pdf"

    result = CliRunner().invoke(
        app,
        [
            "report",
            "disclosures",
            "--from-year",
            "2024",
            "--to-year",
            "2026",
            "--csv",
            str(csv_file),
            "--pdf",
            str(pdf_file),
            "--home",
            str(settings.home),
        ],
    )

    assert result.exit_code == 0, result.output
    assert "令和7年度" in result.output
    assert "合計 5 件" in result.output
    rows: list[dict[str, Any]] = list(
        csv.DictReader(io.StringIO(csv_file.read_bytes().decode("utf-8-sig")))
    )
    assert [row["fiscal_year"] for row in rows] == ["2024", "2025", "2026", ""]
    assert (rows[1]["請求方法（来所）"], rows[1]["受取方法（来所）"], rows[1]["計"]) == (
        "1",
        "2",
        "2",
    )
    assert rows[-1]["計"] == "5"
    assert pdf_file.read_bytes().startswith(b"%PDF")
