"""What a signed-in resident files through the portal, and where each request stands.

* ``/disclosures`` — 開示請求 at J-LIS (the national node): file one, follow it, and download
  the written decision (PDF) once it is decided (the first download is its delivery);
* ``/corrections`` — 訂正の申出 after a disclosure: the items said to be wrong, in the
  resident's words;
* ``/code-change`` — 住民票コードの変更請求 at the home municipality, completed at its window;
* ``/move-out`` — 特例転出 online at the home municipality, with the planned move date and the
  day of the visit to the new municipality, and the deadline of that visit.

The nodes judge every request; a refusal comes back as the message at the field it names
(or above the form when it names none), with the status the node gave.
"""

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from jukinet.adapters.network.recipient_client import RecipientRequestFailed
from jukinet.domain.moves import ONLINE_AFTER_DAYS, ONLINE_BEFORE_DAYS
from jukinet.domain.municipalities import municipality
from jukinet.domain.rights import Item
from jukinet.portals.resident.app import ResidentPortal, redirect
from jukinet.portals.resident.sessions import ResidentSession
from jukinet.web.screens.forms import posted

FORM_REFUSALS = (404, 409, 422)  # the resident can act on these: shown with the form
MOVE_OUT_FIELDS = ("destination_code", "destination", "planned_on", "visit_planned_on")
CORRECTION_FIELDS = ("disclosure_id", "items", "statement")
CORRECTION_ITEMS = tuple(item.value for item in Item)


def refusal_of(failure: RecipientRequestFailed, fields: tuple[str, ...]) -> dict[str, str]:
    """A node's refusal as ``{field: message}``; ``""`` holds one that names no form field."""
    field = str(failure.problem.get("field") or "")
    detail = str(failure.problem.get("detail") or failure)
    return {field if field in fields else "": detail}


def _with_moments(answer: dict[str, Any], *names: str) -> dict[str, Any]:
    """The answer with its ISO moments as datetimes, for the screens' Japan-time filter."""
    return {**answer, **{n: datetime.fromisoformat(answer[n]) for n in names if answer.get(n)}}


def municipality_name(code: str) -> str:
    return municipality(code).full_name


def router(portal: ResidentPortal) -> APIRouter:
    ui = APIRouter(include_in_schema=False)
    Resident = Annotated[ResidentSession, Depends(portal.gate)]  # noqa: N806
    screens = portal.screens

    async def cases(resident: ResidentSession) -> dict[str, Any]:
        calls = portal.nodes.for_session(resident.operator)
        found: dict[str, Any] = await run_in_threadpool(calls.cases, resident.resident_code)
        return found

    # --- 開示請求 -----------------------------------------------------------------------------

    async def disclosures_page(
        request: Request, resident: ResidentSession, status: int = 200, refused: str = ""
    ) -> Response:
        found = await cases(resident)
        context = {
            "disclosures": found["disclosures"],
            "filed": request.query_params.get("filed") == "1",
            "refused": refused,
        }
        return screens.page(request, "portal/disclosures.html", context, status=status)

    @ui.get("/disclosures")
    async def disclosures(request: Request, resident: Resident) -> Response:
        return await disclosures_page(request, resident)

    @ui.post("/disclosures")
    async def file_disclosure(request: Request, resident: Resident) -> Response:
        calls = portal.nodes.for_session(resident.operator)
        try:
            await run_in_threadpool(calls.file_disclosure, resident.resident_code)
        except RecipientRequestFailed as failure:
            if failure.status not in FORM_REFUSALS:
                raise
            refused = refusal_of(failure, ())[""]
            return await disclosures_page(request, resident, failure.status, refused)
        return redirect(request, "/disclosures?filed=1")

    @ui.get("/disclosures/{request_id}/notice.pdf")
    async def notice(request: Request, request_id: str, resident: Resident) -> Response:
        decided = {d["request_id"] for d in (await cases(resident))["disclosures"] if d["decision"]}
        if request_id not in decided:  # only this resident's own, decided requests
            raise HTTPException(404, "not-found")
        calls = portal.nodes.for_session(resident.operator)
        pdf = await run_in_threadpool(calls.disclosure_notice, request_id)
        disposition = f'attachment; filename="disclosure-{request_id}.pdf"'
        headers = {"Content-Disposition": disposition, "Cache-Control": "no-store"}
        return Response(pdf, media_type="application/pdf", headers=headers)

    # --- 訂正の申出 ---------------------------------------------------------------------------

    async def corrections_page(
        request: Request,
        resident: ResidentSession,
        status: int = 200,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
    ) -> Response:
        found = await cases(resident)
        disclosed = [
            d
            for d in found["disclosures"]
            if d["decision"] and d["decision"]["decision"] == "disclosed"
        ]
        context = {
            "disclosed": disclosed,
            "corrections": found["corrections"],
            "items": CORRECTION_ITEMS,
            "errors": errors or {},
            "values": values or {},
            "filed": request.query_params.get("filed") == "1",
        }
        return screens.page(request, "portal/corrections.html", context, status=status)

    @ui.get("/corrections")
    async def corrections(request: Request, resident: Resident) -> Response:
        return await corrections_page(request, resident)

    @ui.post("/corrections")
    async def file_correction(request: Request, resident: Resident) -> Response:
        form = await posted(request)
        calls = portal.nodes.for_session(resident.operator)
        try:
            await run_in_threadpool(calls.file_correction, resident.resident_code, form)
        except RecipientRequestFailed as failure:
            if failure.status not in FORM_REFUSALS:
                raise
            errors = refusal_of(failure, CORRECTION_FIELDS)
            return await corrections_page(request, resident, failure.status, errors, form)
        return redirect(request, "/corrections?filed=1")

    # --- 住民票コードの変更請求 -------------------------------------------------------------------

    async def code_change_page(
        request: Request, resident: ResidentSession, status: int = 200, refused: str = ""
    ) -> Response:
        home = resident.municipality_code
        found: list[dict[str, Any]] = []
        if portal.nodes.takes_requests(home):
            calls = portal.nodes.for_session(resident.operator)
            found = await run_in_threadpool(calls.online_requests, home, resident.resident_code)
        context = {
            "connected": portal.nodes.takes_requests(home),
            "home": municipality_name(home),
            "requests": [_with_moments(r, "filed_at", "completed_at") for r in found],
            "filed": request.query_params.get("filed") == "1",
            "refused": refused,
        }
        return screens.page(request, "portal/code_change.html", context, status=status)

    @ui.get("/code-change")
    async def code_change(request: Request, resident: Resident) -> Response:
        return await code_change_page(request, resident)

    @ui.post("/code-change")
    async def request_code_change(request: Request, resident: Resident) -> Response:
        calls = portal.nodes.for_session(resident.operator)
        home = resident.municipality_code
        try:
            await run_in_threadpool(calls.request_code_change, home, resident.resident_code)
        except RecipientRequestFailed as failure:
            if failure.status not in FORM_REFUSALS:
                raise
            refused = refusal_of(failure, ())[""]
            return await code_change_page(request, resident, failure.status, refused)
        return redirect(request, "/code-change?filed=1")

    # --- 特例転出 (online) ------------------------------------------------------------------

    def move_out_page(
        request: Request,
        resident: ResidentSession,
        status: int = 200,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
    ) -> Response:
        today = portal.clock.today()
        context = {
            "connected": portal.nodes.takes_requests(resident.municipality_code),
            "home": municipality_name(resident.municipality_code),
            "earliest": today - timedelta(days=ONLINE_AFTER_DAYS),
            "latest": today + timedelta(days=ONLINE_BEFORE_DAYS),
            "today": today,
            "errors": errors or {},
            "values": values or {},
        }
        return screens.page(request, "portal/move_out.html", context, status=status)

    @ui.get("/move-out")
    async def move_out_form(request: Request, resident: Resident) -> Response:
        return move_out_page(request, resident)

    @ui.post("/move-out")
    async def move_out(request: Request, resident: Resident) -> Response:
        form = await posted(request)
        body = {name: form[name] for name in MOVE_OUT_FIELDS if name in form}
        body |= {"resident_code": resident.resident_code, "card_number": resident.card_number}
        calls = portal.nodes.for_session(resident.operator)
        try:
            done = await run_in_threadpool(calls.move_out, resident.municipality_code, body)
        except RecipientRequestFailed as failure:
            if failure.status not in FORM_REFUSALS:
                raise
            errors = refusal_of(failure, MOVE_OUT_FIELDS)
            return move_out_page(request, resident, failure.status, errors, form)
        context = {
            "done": done,
            "destination": municipality_name(done["destination_code"]),
            "address": form.get("destination", ""),
        }
        return screens.page(request, "portal/move_out_done.html", context)

    return ui
