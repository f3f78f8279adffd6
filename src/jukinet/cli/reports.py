"""``jukinet report …``: the reports a providing node publishes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from jukinet.adapters.documents.csv_reports import provision_notice_csv
from jukinet.adapters.documents.reports import render_provision_notice
from jukinet.bootstrap import open_node
from jukinet.cli.agency import NodeOption, _providing_node
from jukinet.cli.nodes import HomeOption, _settings, console
from jukinet.domain.dates import japanese_month
from jukinet.nodes.provision.notices import provision_notice

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
