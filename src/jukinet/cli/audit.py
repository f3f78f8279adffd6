"""``jukinet audit …``: verify, checkpoint, search and screen a node's access log.

``verify`` exits 0 with "intact: N entries, last checkpoint …", or 1 naming the first broken
sequence and the kind of break; the other commands exit 1 on a bad argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

import typer
from rich.table import Table

from jukinet.adapters.clock import JST, SystemClock
from jukinet.adapters.storage.access_log import CertificateCheckpointSignatures, SqlAccessLogArchive
from jukinet.bootstrap import open_node
from jukinet.cli.nodes import HomeOption, _settings, console, fail
from jukinet.domain.access_log import AccessQuery, Checkpoint
from jukinet.domain.errors import InvalidValue
from jukinet.nodes.audit.anomalies import MANY_RESIDENTS, WorkingHours, find_anomalies
from jukinet.nodes.audit.searches import search_log
from jukinet.nodes.audit.verification import verify_log
from jukinet.protocol.errors import ProtocolError

app = typer.Typer(no_args_is_help=True)

NodeIdOption = Annotated[
    str, typer.Option("--node", help="node id: municipality-131016, prefecture or national")
]


@dataclass(frozen=True, slots=True)
class _Audited:
    archive: SqlAccessLogArchive
    signatures: CertificateCheckpointSignatures


def _audited(node_id: str, home: HomeOption) -> _Audited:
    try:
        node = open_node(node_id, _settings(home))
    except ProtocolError as error:
        raise fail(f"--node: {error}", 2) from None
    if node.access_log is None or node.checkpoint_signatures is None:
        raise fail(
            f"--node: {node_id} keeps no access log (only municipalities, prefecture, national)", 2
        )
    return _Audited(node.access_log, node.checkpoint_signatures)


def _checkpoint_text(checkpoint: Checkpoint | None) -> str:
    if checkpoint is None:
        return "no checkpoint yet"
    at = checkpoint.at.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S JST")
    return f"last checkpoint at entry {checkpoint.sequence:,}, signed {at}"


@app.command("verify")
def verify(node: NodeIdOption, home: HomeOption = None) -> None:
    """Check every checkpoint's signature and the hash chain through them."""
    audited = _audited(node, home)
    try:
        verdict = verify_log(audited.archive, audited.signatures)
    except ValueError as error:  # a damaged head file
        raise fail(str(error)) from None
    if verdict.broken is not None:
        broken = verdict.broken
        raise fail(f"broken at entry {broken.sequence:,}: {broken.kind} — {broken.detail}")
    console.print(
        f"intact: {verdict.chain.entries:,} entries, {_checkpoint_text(verdict.last_checkpoint)}"
    )


@app.command("checkpoint")
def checkpoint(node: NodeIdOption, home: HomeOption = None) -> None:
    """Sign the log's newest entry now (also kept in <home>/audit/<node>.head)."""
    made = _audited(node, home).archive.checkpoint(SystemClock().now())
    if made is None:
        console.print("nothing to sign: the log is empty or its head is already checkpointed")
    else:
        console.print(f"checkpoint signed at entry {made.sequence:,}: {made.entry_hash}")


def _moment(field: str, value: str | None, end_of_day: bool = False) -> datetime | None:
    """A date (JST; as an end, the whole day is included) or an ISO moment (JST unless it
    names its zone)."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value) + timedelta(days=1 if end_of_day else 0)
            return datetime.combine(day, time(0), JST)
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidValue(field, f"a date (2026-11-23) or a moment, got {value!r}") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=JST)


@app.command("search")
def search(
    node: NodeIdOption,
    resident: Annotated[str | None, typer.Option("--resident", help="住民票コード")] = None,
    operator: Annotated[str | None, typer.Option("--operator", help="operator id")] = None,
    first: Annotated[str | None, typer.Option("--from", help="from date or moment (JST)")] = None,
    last: Annotated[str | None, typer.Option("--to", help="to date (inclusive) or moment")] = None,
    limit: Annotated[int, typer.Option("--limit", help="at most this many entries")] = 1000,
    home: HomeOption = None,
) -> None:
    """Who looked at a resident, what an operator looked at: newest entries first."""
    try:
        query = AccessQuery(
            resident, operator, _moment("from", first), _moment("to", last, end_of_day=True), limit
        )
    except InvalidValue as error:
        raise fail(f"{error.field}: {error.problem}") from None
    found = search_log(_audited(node, home).archive, query)
    table = Table(
        "#",
        "at (JST)",
        "operator",
        "terminal",
        "action",
        "permission",
        "residents",
        "outcome",
        "detail",
    )
    for stored in found:
        e = stored.entry
        at = e.at.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S")
        codes = " ".join(e.resident_codes)
        table.add_row(
            str(stored.sequence),
            at,
            e.operator_id,
            e.terminal,
            e.action,
            e.permission,
            codes,
            str(e.outcome),
            e.detail,
        )
    console.print(table)
    console.print(f"{len(found):,} entries")


@app.command("anomalies")
def anomalies(
    node: NodeIdOption,
    day: Annotated[
        str | None, typer.Option("--day", help="YYYY-MM-DD (JST); today if left out")
    ] = None,
    threshold: Annotated[
        int, typer.Option("--threshold", help="unrelated residents per operator and day")
    ] = MANY_RESIDENTS,
    start: Annotated[
        str, typer.Option("--hours-from", help="working hours start, HH:MM JST")
    ] = "08:30",
    end: Annotated[str, typer.Option("--hours-to", help="working hours end, HH:MM JST")] = "17:30",
    home: HomeOption = None,
) -> None:
    """Operators who read many unrelated residents in a day, and reads outside working hours."""
    try:
        chosen = date.fromisoformat(day) if day else datetime.now(UTC).astimezone(JST).date()
        hours = WorkingHours(time.fromisoformat(start), time.fromisoformat(end))
        found = find_anomalies(
            _audited(node, home).archive, chosen, threshold=threshold, hours=hours
        )
    except InvalidValue as error:
        raise fail(f"{error.field}: {error.problem}") from None
    except ValueError as error:
        raise fail(f"--day/--hours: {error}") from None
    table = Table("operator", "pattern", "count", "detail", "entries")
    for anomaly in found:
        entries = ", ".join(str(s) for s in anomaly.sequences)
        table.add_row(
            anomaly.operator_id, str(anomaly.kind), str(anomaly.count), anomaly.detail, entries
        )
    console.print(table)
    console.print(f"{len(found)} anomalies on {chosen.isoformat()}")
