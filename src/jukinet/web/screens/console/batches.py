"""Batch jobs (``provision.operate``): every recipient's batches with their progress (rows
done of rows total) and state, each batch's rows counted by outcome, and — once it is done —
the list of its rows' outcomes as CSV (row, reference, outcome; never the answers, which go
to the recipient that sent the batch and to nobody else)."""

import csv
import io
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse

from jukinet.domain.operators import Permission, Principal
from jukinet.nodes.provision.oversight import (
    OUTCOMES,
    batch_outcomes,
    batch_overview,
    recent_batches,
)
from jukinet.nodes.provision.providers import Provider
from jukinet.web.screens.console.desks import Console

SHOWN = 100


def outcome_lines(rows: Iterator[tuple[int, str, str]]) -> Iterator[str]:
    """CSV text (UTF-8 with a byte-order mark, for spreadsheets), a line at a time."""
    yield "\ufeffnumber,reference,outcome\r\n"
    for row in rows:
        buffer = io.StringIO()
        csv.writer(buffer).writerow(row)
        yield buffer.getvalue()


def routes(ui: APIRouter, console: Console, provider: Provider) -> None:
    Operator = Annotated[Principal, Depends(console.gate(Permission.PROVISION_OPERATE))]  # noqa: N806

    @ui.get("/batches")
    async def batches(request: Request, who: Operator) -> Response:
        tickets = await console.run(recent_batches, provider, SHOWN)
        return console.page(request, "console/batches.html", {"tickets": tickets, "shown": SHOWN})

    @ui.get("/batches/{batch_id}")
    async def batch(batch_id: str, request: Request, who: Operator) -> Response:
        overview = await console.run(batch_overview, batch_id[:64], provider)
        context = {"overview": overview, "outcomes": OUTCOMES}
        return console.page(request, "console/batch.html", context)

    @ui.get("/batches/{batch_id}/outcomes.csv")
    async def batch_outcomes_csv(batch_id: str, request: Request, who: Operator) -> Response:
        rows = await console.run(batch_outcomes, batch_id[:64], provider)
        disposition = f'attachment; filename="batch-{batch_id[:64]}-outcomes.csv"'
        return StreamingResponse(
            outcome_lines(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
        )
