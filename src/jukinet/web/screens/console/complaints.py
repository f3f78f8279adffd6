"""Complaints (苦情, ``rights.handle``): record one, and record its answer (once)."""

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jukinet.domain.errors import DomainError
from jukinet.domain.operators import NotPermitted, Permission, Principal
from jukinet.nodes.rights import complaints
from jukinet.nodes.rights.offices import RightsOffice
from jukinet.web.screens.console.desks import PREFIX, Console, Refusal
from jukinet.web.screens.forms import posted
from jukinet.web.screens.staff import redirect

NEW_INPUTS = ("complainant", "subject", "details", "disclosure_id", "received_on")
ANSWER_INPUTS = ("answer", "answered_on")


def routes(ui: APIRouter, console: Console, office: RightsOffice) -> None:
    Staff = Annotated[Principal, Depends(console.gate(Permission.RIGHTS_HANDLE))]  # noqa: N806

    def new_form(request: Request, values: dict[str, Any], refusal: Refusal | None) -> Response:
        today = office.clock.today().isoformat()
        return console.form_page(
            request, "console/complaint_new.html", values, refusal, today=today
        )

    async def case_page(
        request: Request, complaint_id: str, refusal: Refusal | None = None, values: Any = None
    ) -> Response:
        case = await console.run(complaints.complaint_file, complaint_id, office)
        today = office.clock.today()
        template = "console/complaint.html"
        return console.form_page(request, template, values, refusal, case=case, today=today)

    @ui.get("/rights/complaints/new")
    async def new_complaint(request: Request, who: Staff) -> Response:
        return new_form(request, {}, None)

    @ui.post("/rights/complaints")
    async def record_complaint(request: Request, who: Staff) -> Response:
        form = await posted(request)
        cmd = complaints.RecordComplaint(
            str(form.get("complainant", "")),
            str(form.get("subject", "")),
            str(form.get("details", "")),
            str(form["disclosure_id"])[:64] if form.get("disclosure_id") else None,
            form.get("received_on"),
        )
        try:
            made = await console.run(complaints.record_complaint, cmd, who.operator_id, office)
        except NotPermitted:
            raise
        except DomainError as error:
            return new_form(request, form, console.refusal(request, error, NEW_INPUTS))
        return redirect(request, f"{PREFIX}/rights/complaints/{made.complaint_id}?done=recorded")

    @ui.get("/rights/complaints/{complaint_id}")
    async def complaint(complaint_id: str, request: Request, who: Staff) -> Response:
        return await case_page(request, complaint_id[:64])

    @ui.post("/rights/complaints/{complaint_id}/answer")
    async def complaint_answer(complaint_id: str, request: Request, who: Staff) -> Response:
        form = await posted(request)
        answer = partial(
            complaints.answer_complaint,
            complaint_id[:64],
            str(form.get("answer", "")),
            form.get("answered_on"),
            who.operator_id,
            office,
        )

        async def refused(refusal: Refusal) -> Response:
            return await case_page(request, complaint_id[:64], refusal, form)

        target = f"{PREFIX}/rights/complaints/{complaint_id[:64]}?done=answer"
        return await console.act(request, answer, target, refused, ANSWER_INPUTS)
