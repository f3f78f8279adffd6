"""一括照会: send a file of keys, follow it, download the answers.

The upload is the node's own batch API: CSV with a header row or JSON Lines, UTF-8 or
Shift_JIS (CP932), detected unless the operator names the encoding. After sending, the
batch's page shows its progress, asked again every 2 s (htmx) while the node matches; when
it is done, the answers download as the node wrote them (JSON Lines) or as CSV.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from jukinet.domain.errors import DomainError, InvalidValue
from jukinet.domain.operators import NotPermitted, Permission, Principal
from jukinet.domain.provision import Affair, Channel
from jukinet.nodes.agency.ports import BatchFile
from jukinet.nodes.agency.provisions import (
    batch_answers,
    follow_batch,
    request_history,
    send_batch,
)
from jukinet.nodes.ports import PortError
from jukinet.nodes.provision.batch_input import BatchFormat
from jukinet.portals.agency.downloads import answers_csv
from jukinet.portals.agency.pages import Pages, Refusal
from jukinet.web.screens.rendering import language
from jukinet.web.screens.staff import redirect

INPUTS = frozenset({"file", "format", "encoding"})
FILE_FIELDS = {"header": "file"}  # the node's field → the input it concerns
RECENT = 20


def routes(ui: APIRouter, pages: Pages) -> None:
    Requester = Annotated[Principal, Depends(pages.gate(Permission.PROVISION_REQUEST))]  # noqa: N806
    desk = pages.portal.desk

    async def form(
        request: Request,
        who: Principal,
        affair: Affair,
        values: dict[str, str],
        problem: Refusal | None = None,
    ) -> Response:
        batches = await pages.run(request_history, who, desk, RECENT, Channel.NETWORK_BATCH)
        context = {
            "affair": affair,
            "values": values,
            "batches": batches,
            "errors": problem.errors if problem else {},
            "general": problem.general if problem else None,
        }
        return pages.page(
            request, "agency/batches.html", context, problem.status if problem else 200
        )

    @ui.get("/batches")
    async def batch_form(request: Request, who: Requester) -> Response:
        return await form(request, who, await pages.affair(request, who), {})

    @ui.post("/batches")
    async def send(request: Request, who: Requester) -> Response:
        affair = await pages.affair(request, who)
        posted = await request.form()
        values = {k: v for k, v in posted.multi_items() if isinstance(v, str) and k != "csrf"}
        upload = posted.get("file")
        try:
            batch = await _batch(request, upload, values, affair)
            progress = await pages.run(send_batch, batch, who, desk)
        except NotPermitted:
            raise
        except (DomainError, PortError) as error:
            refusal = pages.refusal(request, error, INPUTS, FILE_FIELDS)
            return await form(request, who, affair, values, refusal)
        return redirect(request, f"/ui/batches/{progress.batch_id}")

    async def _batch(
        request: Request, upload: Any, values: dict[str, str], affair: Affair
    ) -> BatchFile:
        if not isinstance(upload, UploadFile) or not upload.filename:
            t = pages.screens.catalogue.translator(language(request))
            raise InvalidValue("file", t("agency.batch.no_file"))
        try:
            fmt = BatchFormat(values.get("format") or "csv")
        except ValueError:
            raise InvalidValue("format", "csv or jsonl") from None
        return BatchFile(
            values.get("affair") or affair.id,
            await upload.read(),
            fmt,
            values.get("encoding") or None,
            values.get("history") == "true",
            upload.filename,
        )

    @ui.get("/batches/{batch_id}")
    async def batch(batch_id: str, request: Request, who: Requester) -> Response:
        progress = await pages.run(follow_batch, batch_id, who, desk)
        affair = next((a for a in await pages.affairs() if a.id == progress.affair), None)
        return pages.page(request, "agency/batch.html", {"progress": progress, "affair": affair})

    @ui.get("/batches/{batch_id}/progress")
    async def progress(batch_id: str, request: Request, who: Requester) -> Response:
        followed = await pages.run(follow_batch, batch_id, who, desk)
        return pages.page(request, "agency/progress.html", {"progress": followed})

    @ui.get("/batches/{batch_id}/answers.jsonl")
    async def answers(batch_id: str, who: Requester) -> Response:
        body = await pages.run(batch_answers, batch_id, who, desk)
        return _download(body, f"answers-{batch_id}.jsonl", "application/x-ndjson")

    @ui.get("/batches/{batch_id}/answers.csv")
    async def answers_as_csv(batch_id: str, who: Requester) -> Response:
        body = await pages.run(batch_answers, batch_id, who, desk)
        return _download(answers_csv(body), f"answers-{batch_id}.csv", "text/csv; charset=utf-8")


def _download(body: bytes, name: str, media_type: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(body, media_type=media_type, headers=headers)
