"""Residents' rights at a providing node: the staff's API and the resident portal's.

Staff of J-LIS (national) or of the prefecture node, signed in (``POST /auth/v1/sessions``)
with a role that grants ``rights.handle``, send ``Authorization: Bearer <session token>`` and record,
under ``/rights/v1/…``, each step of a disclosure request, a correction request or a
complaint; they fetch the written answers as PDF and the yearly table as JSON or PDF. A
resident portal, signing its requests like any recipient, files a disclosure request online
for the resident it authenticated and fetches the answer (``/resident/v1/…``). Errors are
problem+json: 401 (no session or credential), 403 (no ``rights.handle``), 404, 409 (a step out of order), 422 (a field).
"""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from jukinet.adapters.documents.disclosures import (
    render_correction_answer,
    render_disclosure_notice,
)
from jukinet.adapters.documents.reports import render_disclosure_statistics
from jukinet.domain.operators import Permission, Principal
from jukinet.domain.rights import DisclosureRequest
from jukinet.nodes.operators.offices import OperatorOffice
from jukinet.nodes.provision.providers import Caller
from jukinet.nodes.rights import complaints, corrections, disclosures, notices, online
from jukinet.nodes.rights.offices import RightsOffice
from jukinet.nodes.rights.statistics import disclosure_statistics
from jukinet.web import rights_messages as messages
from jukinet.web.operator_auth import signed_in
from jukinet.web.pdf import PDF, pdf_response
from jukinet.web.recipient_auth import RecipientAuthenticator


async def _pdf(render: Callable[..., bytes], document: Any, name: str) -> Response:
    return await pdf_response(render, document, name=name)


def router(
    office: RightsOffice, operators: OperatorOffice, auth: RecipientAuthenticator | None = None
) -> APIRouter:
    api = APIRouter()
    operator = signed_in(operators, Permission.RIGHTS_HANDLE)
    for routes in (_disclosure_routes, _correction_routes, _complaint_routes, _statistics_routes):
        api.include_router(routes(office, operator))
    if auth is not None:
        api.include_router(_portal_routes(office, auth))
        api.include_router(_resident_routes(office, auth))
    return api


def _disclosure_routes(office: RightsOffice, operator: Callable[..., Principal]) -> APIRouter:
    api = APIRouter(prefix="/rights/v1", tags=["rights"])
    Operator = Annotated[Principal, Depends(operator)]  # noqa: N806

    async def run(use_case: Callable[..., Any], *args: Any) -> Any:
        return await run_in_threadpool(use_case, *args, office)

    def wire(request: DisclosureRequest) -> dict[str, Any]:
        return messages.disclosure_wire(request, office.clock.today())

    @api.post("/disclosure-requests", status_code=201, summary="開示請求 received (来所・郵送)")
    async def record_request(body: messages.DisclosureRequestBody, who: Operator) -> Any:
        cmd = disclosures.RecordDisclosureRequest(
            body.person.model_dump(exclude_none=True),
            body.method,
            body.requester.relation,
            body.requester.name,
            body.received_on,
        )
        return wire(await run(disclosures.record_disclosure_request, cmd, who.operator_id))

    @api.get("/disclosure-requests", summary="Requests awaiting a decision (or only overdue)")
    async def waiting(
        who: Operator,
        overdue: Annotated[bool, Query(description="only those past their deadline")] = False,
    ) -> dict[str, Any]:
        found = await run(disclosures.undecided_requests, overdue)
        return {"requests": [wire(request) for request in found]}

    @api.get("/disclosure-requests/{request_id}", summary="One request and its steps")
    async def request(request_id: str, who: Operator) -> Any:
        return wire(await run(disclosures.disclosure_request, request_id))

    @api.post("/disclosure-requests/{request_id}/identity-check", summary="本人確認 recorded")
    async def identity_check(
        request_id: str, body: messages.IdentityCheckBody, who: Operator
    ) -> Any:
        return wire(
            await run(
                disclosures.record_identity_check,
                request_id,
                body.documents,
                body.checked_on,
                who.operator_id,
            )
        )

    @api.post("/disclosure-requests/{request_id}/decision", summary="開示 or 不開示")
    async def decide(request_id: str, body: messages.DecisionBody, who: Operator) -> Any:
        cmd = disclosures.DecideDisclosure(body.decision, body.reason, body.decided_on)
        return wire(await run(disclosures.decide_disclosure, request_id, cmd, who.operator_id))

    @api.post("/disclosure-requests/{request_id}/delivery", summary="受取: how it was handed over")
    async def deliver(request_id: str, body: messages.DeliveryBody, who: Operator) -> Any:
        return wire(
            await run(
                disclosures.record_delivery,
                request_id,
                body.method,
                body.delivered_on,
                who.operator_id,
            )
        )

    @api.get(
        "/disclosure-requests/{request_id}/notice.pdf",
        summary="The written decision (開示決定通知書), as PDF",
        response_class=Response,
        responses={200: {"content": {PDF: {}}}},
    )
    async def notice(request_id: str, who: Operator) -> Response:
        written = await run(notices.written_disclosure, request_id)
        return await _pdf(render_disclosure_notice, written, f"disclosure-{request_id}")

    return api


def _correction_routes(office: RightsOffice, operator: Callable[..., Principal]) -> APIRouter:
    api = APIRouter(prefix="/rights/v1", tags=["rights"])
    Operator = Annotated[Principal, Depends(operator)]  # noqa: N806

    async def run(use_case: Callable[..., Any], *args: Any) -> Any:
        return await run_in_threadpool(use_case, *args, office)

    @api.post("/correction-requests", status_code=201, summary="訂正の申出 received")
    async def record(body: messages.CorrectionBody, who: Operator) -> dict[str, Any]:
        cmd = corrections.RecordCorrectionRequest(
            body.disclosure_id, body.items, body.statement, body.received_on
        )
        return messages.correction_wire(
            await run(corrections.record_correction_request, cmd, who.operator_id)
        )

    @api.get("/correction-requests/{correction_id}", summary="One correction request")
    async def correction(correction_id: str, who: Operator) -> dict[str, Any]:
        return messages.correction_wire(await run(corrections.correction_request, correction_id))

    @api.post("/correction-requests/{correction_id}/investigation", summary="調査の結果")
    async def investigate(
        correction_id: str, body: messages.InvestigationBody, who: Operator
    ) -> dict[str, Any]:
        found = await run(
            corrections.record_investigation,
            correction_id,
            body.findings,
            body.result,
            body.investigated_on,
            who.operator_id,
        )
        return messages.correction_wire(found)

    @api.post("/correction-requests/{correction_id}/answer", summary="The written answer sent")
    async def answer(
        correction_id: str, body: messages.AnsweredBody, who: Operator
    ) -> dict[str, Any]:
        answered = await run(
            corrections.answer_correction, correction_id, body.answered_on, who.operator_id
        )
        return messages.correction_wire(answered)

    @api.get(
        "/correction-requests/{correction_id}/answer.pdf",
        summary="The written answer, as PDF",
        response_class=Response,
        responses={200: {"content": {PDF: {}}}},
    )
    async def letter(correction_id: str, who: Operator) -> Response:
        written = await run(notices.correction_letter, correction_id)
        return await _pdf(render_correction_answer, written, f"correction-{correction_id}")

    return api


def _complaint_routes(office: RightsOffice, operator: Callable[..., Principal]) -> APIRouter:
    api = APIRouter(prefix="/rights/v1", tags=["rights"])
    Operator = Annotated[Principal, Depends(operator)]  # noqa: N806

    async def run(use_case: Callable[..., Any], *args: Any) -> Any:
        return await run_in_threadpool(use_case, *args, office)

    @api.post("/complaints", status_code=201, summary="苦情 received")
    async def record(body: messages.ComplaintBody, who: Operator) -> dict[str, Any]:
        cmd = complaints.RecordComplaint(
            body.complainant, body.subject, body.details, body.disclosure_id, body.received_on
        )
        return messages.complaint_wire(await run(complaints.record_complaint, cmd, who.operator_id))

    @api.get("/complaints", summary="Complaints not answered yet")
    async def waiting(who: Operator) -> dict[str, Any]:
        found = await run(complaints.open_complaints)
        return {"complaints": [messages.complaint_wire(complaint) for complaint in found]}

    @api.get("/complaints/{complaint_id}", summary="One complaint")
    async def complaint(complaint_id: str, who: Operator) -> dict[str, Any]:
        return messages.complaint_wire(await run(complaints.complaint_file, complaint_id))

    @api.post("/complaints/{complaint_id}/answer", summary="The answer given")
    async def answer(
        complaint_id: str, body: messages.ComplaintAnswerBody, who: Operator
    ) -> dict[str, Any]:
        answered = await run(
            complaints.answer_complaint,
            complaint_id,
            body.answer,
            body.answered_on,
            who.operator_id,
        )
        return messages.complaint_wire(answered)

    return api


def _statistics_routes(office: RightsOffice, operator: Callable[..., Principal]) -> APIRouter:
    api = APIRouter(prefix="/rights/v1", tags=["rights"])
    Operator = Annotated[Principal, Depends(operator)]  # noqa: N806
    FromYear = Annotated[int, Query(description="first fiscal year, e.g. 2024 (April 2024–)")]  # noqa: N806
    ToYear = Annotated[int, Query(description="last fiscal year (to March of the next year)")]  # noqa: N806

    @api.get("/disclosure-statistics", summary="別紙2: requests per fiscal year, as JSON")
    async def statistics(from_year: FromYear, to_year: ToYear, who: Operator) -> dict[str, Any]:
        stats = await run_in_threadpool(disclosure_statistics, from_year, to_year, office)
        return messages.statistics_wire(stats)

    @api.get(
        "/disclosure-statistics.pdf",
        summary="別紙2, as PDF",
        response_class=Response,
        responses={200: {"content": {PDF: {}}}},
    )
    async def statistics_pdf(from_year: FromYear, to_year: ToYear, who: Operator) -> Response:
        stats = await run_in_threadpool(disclosure_statistics, from_year, to_year, office)
        return await _pdf(render_disclosure_statistics, stats, "disclosure-statistics")

    return api


def _portal_routes(office: RightsOffice, auth: RecipientAuthenticator) -> APIRouter:
    api = APIRouter(prefix="/resident/v1", tags=["residents"])
    Portal = Annotated[Caller, Depends(auth.dependency("portal"))]  # noqa: N806

    def wire(request: DisclosureRequest) -> dict[str, Any]:
        return messages.disclosure_wire(request, office.clock.today())

    @api.post(
        "/disclosure-requests",
        status_code=201,
        summary="開示請求 online, for the resident the portal authenticated (公的個人認証)",
    )
    async def file(body: messages.PersonBody, caller: Portal) -> dict[str, Any]:
        person = body.model_dump(exclude_none=True)
        return wire(
            await run_in_threadpool(disclosures.file_online_request, person, caller, office)
        )

    @api.get("/disclosure-requests/{request_id}", summary="Where the resident's request stands")
    async def status(request_id: str, caller: Portal) -> dict[str, Any]:
        found = await run_in_threadpool(disclosures.portal_request, request_id, caller, office)
        return wire(found)

    @api.get(
        "/disclosure-requests/{request_id}/notice.pdf",
        summary="The written decision; the first fetch is its delivery (受取: オンライン)",
        response_class=Response,
        responses={200: {"content": {PDF: {}}}},
    )
    async def notice(request_id: str, caller: Portal) -> Response:
        written = await run_in_threadpool(notices.online_answer, request_id, caller, office)
        return await _pdf(render_disclosure_notice, written, f"disclosure-{request_id}")

    return api


def _resident_routes(office: RightsOffice, auth: RecipientAuthenticator) -> APIRouter:
    """A resident portal's own look-ups for the resident it signed in, and corrections online."""
    api = APIRouter(prefix="/resident/v1", tags=["residents"])
    Portal = Annotated[Caller, Depends(auth.dependency("portal"))]  # noqa: N806

    @api.post("/identity", summary="The resident's own identity information (not a provision)")
    async def identity(body: messages.PersonBody, caller: Portal) -> dict[str, Any]:
        person = body.model_dump(exclude_none=True)
        found = await run_in_threadpool(online.own_identity, person, caller, office)
        return {"identity": found.to_wire()}

    @api.post("/case-records", summary="The resident's online requests filed by this portal")
    async def cases(body: messages.PersonBody, caller: Portal) -> dict[str, Any]:
        person = body.model_dump(exclude_none=True)
        found = await run_in_threadpool(online.portal_cases, person, caller, office)
        today = office.clock.today()
        return {
            "disclosures": [messages.disclosure_wire(r, today) for r in found.disclosures],
            "corrections": [messages.correction_wire(c) for c in found.corrections],
        }

    @api.post(
        "/correction-requests", status_code=201, summary="訂正の申出 online, after a disclosure"
    )
    async def correction(body: messages.OnlineCorrectionBody, caller: Portal) -> dict[str, Any]:
        cmd = online.FileOnlineCorrection(
            body.person.model_dump(exclude_none=True),
            body.disclosure_id,
            body.items,
            body.statement,
        )
        filed = await run_in_threadpool(online.file_online_correction, cmd, caller, office)
        return messages.correction_wire(filed)

    return api
