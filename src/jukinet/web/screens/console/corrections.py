"""Correction requests (訂正の申出, ``rights.handle``): on its page, the investigation (no
error, or the person's municipality asked to correct its record), the written answer as PDF,
and the day it went out."""

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jukinet.adapters.documents.disclosures import render_correction_answer
from jukinet.domain.operators import Permission, Principal
from jukinet.nodes.rights import corrections, notices
from jukinet.nodes.rights.offices import RightsOffice
from jukinet.web.pdf import pdf_response
from jukinet.web.screens.console.desks import (
    PREFIX,
    Console,
    Refusal,
    kept_private,
)
from jukinet.web.screens.console.disclosures import CHOICES, flat
from jukinet.web.screens.console.places import place_name
from jukinet.web.screens.desk import name_subjects
from jukinet.web.screens.forms import posted

INPUTS = ("findings", "result", "investigated_on", "answered_on")


def routes(ui: APIRouter, console: Console, office: RightsOffice) -> None:
    Staff = Annotated[Principal, Depends(console.gate(Permission.RIGHTS_HANDLE))]  # noqa: N806

    async def case_page(
        request: Request, correction_id: str, refusal: Refusal | None = None, values: Any = None
    ) -> Response:
        case = await console.run(corrections.correction_request, correction_id, office)
        name_subjects(request, [case.resident_code])
        asked = case.investigation.municipality_code if case.investigation else None
        return console.form_page(
            request,
            "console/correction.html",
            values,
            refusal,
            case=case,
            asked=place_name(asked) if asked else "",
            today=office.clock.today(),
            choices=CHOICES,
        )

    async def step(request: Request, correction_id: str, use_case: Any, done: str) -> Response:
        form = await posted(request)

        async def refused(refusal: Refusal) -> Response:
            return await case_page(request, correction_id, refusal, flat(form))

        target = f"{PREFIX}/rights/corrections/{correction_id}?done={done}"
        return await console.act(request, partial(use_case, form), target, refused, INPUTS)

    @ui.get("/rights/corrections/{correction_id}")
    async def correction_request(correction_id: str, request: Request, who: Staff) -> Response:
        return await case_page(request, correction_id[:64])

    @ui.post("/rights/corrections/{correction_id}/investigation")
    async def correction_investigation(
        correction_id: str, request: Request, who: Staff
    ) -> Response:
        def investigate(form: dict[str, Any]) -> object:
            return corrections.record_investigation(
                correction_id[:64],
                str(form.get("findings", "")),
                str(form.get("result", "")),
                form.get("investigated_on"),
                who.operator_id,
                office,
            )

        return await step(request, correction_id[:64], investigate, "investigation")

    @ui.post("/rights/corrections/{correction_id}/answer")
    async def correction_answer(correction_id: str, request: Request, who: Staff) -> Response:
        def answer(form: dict[str, Any]) -> object:
            return corrections.answer_correction(
                correction_id[:64], form.get("answered_on"), who.operator_id, office
            )

        return await step(request, correction_id[:64], answer, "answer")

    @ui.get("/rights/corrections/{correction_id}/answer.pdf")
    async def correction_answer_pdf(correction_id: str, request: Request, who: Staff) -> Response:
        letter = await console.run(notices.correction_letter, correction_id[:64], office)
        name_subjects(request, [letter.correction.resident_code])
        name = f"correction-{letter.correction.correction_id}"
        return kept_private(await pdf_response(render_correction_answer, letter, name=name))
