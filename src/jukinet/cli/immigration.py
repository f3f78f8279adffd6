"""``jukinet immigration …``: ISA's operators send notices (住基法30条の50) and read the answers.

``notify`` reads a JSON Lines file — one notice a line, in the wire form of
``immigration.notice`` (docs/foreign-residents.md) — checks every line, and queues all of them
or none. The node's relay (``jukinet serve immigration``) delivers them; ``notices`` lists what
was sent and what each municipality answered.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from jukinet.adapters.storage.immigration import PENDING
from jukinet.bootstrap import open_node
from jukinet.cli.nodes import HomeOption, _settings, console, fail
from jukinet.domain.errors import DomainError
from jukinet.domain.provision import check_id
from jukinet.nodes.immigration.notices import (
    InvalidNotices,
    LineProblem,
    queue_notices,
    sent_notices,
)
from jukinet.protocol.bodies.immigration import NoticeOutcome
from jukinet.protocol.canonical import loads
from jukinet.protocol.directory import IMMIGRATION_ID

app = typer.Typer(no_args_is_help=True)

OUTCOMES = (PENDING, *(o.value for o in NoticeOutcome))


def read_lines(path: Path) -> tuple[list[object], list[LineProblem]]:
    """Each line's JSON value, and the lines that are not JSON at all."""
    items: list[object] = []
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            items.append(loads(line.encode()))
        except ValueError as error:
            problems.append(LineProblem(number, "notice", f"not a JSON object ({error})"))
            items.append(None)
    return items, problems


@app.command("notify")
def notify(
    file: Annotated[Path, typer.Argument(help="notices, one JSON object a line (.jsonl)")],
    operator: Annotated[str, typer.Option("--operator", help="ISA operator id, e.g. isa-01")],
    home: HomeOption = None,
) -> None:
    """Queue ISA's notices for the municipalities they name: every line, or none."""
    try:
        check_id("--operator", operator)
    except DomainError as error:
        raise fail(f"{error.field}: {error.problem}", 2) from None
    if not file.is_file():
        raise fail(f"{file} is not a file", 2)
    items, unreadable = read_lines(file)
    node = open_node(IMMIGRATION_ID, _settings(home))
    municipalities = {
        entry.municipality_code: entry.id
        for entry in node.directory.municipalities()
        if entry.municipality_code
    }
    try:
        if unreadable:
            raise InvalidNotices(unreadable)
        queued = queue_notices(items, operator, node.unit_of_work, node.clock, municipalities)
    except InvalidNotices as refusal:
        for problem in refusal.problems:
            console.print(f"[red]error:[/red] {problem}", highlight=False)
        raise fail(f"nothing was queued: {len(refusal.problems)} line(s) need fixing") from None
    console.print(f"queued {len(queued)} notice(s); the immigration node's relay delivers them")


@app.command("notices")
def notices(
    outcome: Annotated[
        str | None, typer.Option("--outcome", help=f"only one outcome: {', '.join(OUTCOMES)}")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000)] = 200,
    home: HomeOption = None,
) -> None:
    """The notices sent, latest first, with what each municipality answered."""
    if outcome is not None and outcome not in OUTCOMES:
        raise fail(f"--outcome must be one of {', '.join(OUTCOMES)}, got {outcome!r}", 2)
    node = open_node(IMMIGRATION_ID, _settings(home))
    table = Table("notice", "kind", "municipality", "card", "queued", "outcome", "detail")
    for sent in sent_notices(node.unit_of_work, outcome, limit):
        table.add_row(
            sent.notice_id,
            sent.kind,
            sent.municipality_code,
            sent.card_number or "—",
            sent.queued_at.isoformat(timespec="seconds"),
            sent.outcome or PENDING,
            sent.detail,
        )
    console.print(table)
