"""``jukinet report …``: the reports a providing node publishes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Column, Table

from jukinet.adapters.documents.csv_reports import (
    disclosure_statistics_csv,
    provision_notice_csv,
)
from jukinet.adapters.documents.reports import (
    render_disclosure_statistics,
    render_provision_notice,
)
from jukinet.bootstrap import open_node
from jukinet.cli.agency import NodeOption, _providing_node
from jukinet.cli.nodes import HomeOption, _settings, console
from jukinet.domain.dates import japanese_fiscal_year, japanese_month
from jukinet.domain.reports import ContactMethod, DisclosureStatistics
from jukinet.nodes.provision.notices import provision_notice
from jukinet.nodes.rights.statistics import disclosure_statistics

app = typer.Typer(no_args_is_help=True)


@app.command("notice")
def notice(
    first: Annotated[str, typer.Option("--from", help="first month, YYYY-MM (e.g. 2025-08)")],
    last: Annotated[str, typer.Option("--to", help="last month, YYYY-MM (e.g. 2026-07)")],
    csv_file: Annotated[Path | None, typer.Option("--csv", help="write the notice as CSV")] = None,
    pdf_file: Annotated[Path | None, typer.Option("--pdf", help="write the notice as PDF")] = None,
    node: NodeOption = "national",
    home: HomeOption = None,
) -> None:
    """The annual public notice of provision status (別紙1): counts per recipient, affair,
    month and method, with the grand total."""
    provider = open_node(_providing_node(node), _settings(home)).provider
    assert provider is not None
    published = provision_notice(first, last, provider)
    if csv_file is not None:
        csv_file.write_bytes(provision_notice_csv(published))
        console.print(f"CSV written to {csv_file}")
    if pdf_file is not None:
        pdf_file.write_bytes(render_provision_notice(published))
        console.print(f"PDF written to {pdf_file}")
    if csv_file is None and pdf_file is None:
        table = Table("提供先", "事務", "提供年月", "提供件数", "提供方法")
        for line in published.lines:
            month = japanese_month(line.year, line.month)
            table.add_row(
                line.recipient, line.affair[:30], month, f"{line.count:,}", line.channel.label
            )
        console.print(table)
    console.print(f"提供件数合計 {published.total:,} 件")


@app.command("disclosures")
def disclosures(
    first_year: Annotated[
        int, typer.Option("--from-year", help="first fiscal year, e.g. 2024 (from April 2024)")
    ],
    last_year: Annotated[
        int, typer.Option("--to-year", help="last fiscal year (to March of the year after)")
    ],
    csv_file: Annotated[Path | None, typer.Option("--csv", help="write the table as CSV")] = None,
    pdf_file: Annotated[Path | None, typer.Option("--pdf", help="write the table as PDF")] = None,
    node: NodeOption = "national",
    home: HomeOption = None,
) -> None:
    """The yearly table of disclosure requests (別紙2): per fiscal year, requests by visit,
    post and online, answers by how they were received, and the totals."""
    rights = open_node(_providing_node(node), _settings(home)).rights
    assert rights is not None
    stats = disclosure_statistics(first_year, last_year, rights)
    if csv_file is not None:
        csv_file.write_bytes(disclosure_statistics_csv(stats))
        console.print(f"CSV written to {csv_file}")
    if pdf_file is not None:
        pdf_file.write_bytes(render_disclosure_statistics(stats))
        console.print(f"PDF written to {pdf_file}")
    console.print(_disclosure_table(stats))
    console.print(f"開示請求件数合計 {sum(year.total for year in stats.years):,} 件")


def _disclosure_table(stats: DisclosureStatistics) -> Table:
    methods = [method.label for method in ContactMethod]
    headings = [*(f"請求\n{m}" for m in methods), *(f"受取\n{m}" for m in methods), "計"]
    counts = [Column(heading, justify="right") for heading in headings]
    table = Table(Column("年度", no_wrap=True), *counts, box=box.SIMPLE)
    for year in stats.years:
        requested = [str(year.requested.get(m, 0)) for m in ContactMethod]
        delivered = [str(year.delivered.get(m, 0)) for m in ContactMethod]
        label = japanese_fiscal_year(year.fiscal_year)
        table.add_row(label, *requested, *delivered, str(year.total))
    return table
