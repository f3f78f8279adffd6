"""The register's events at the window (``register.change``): the list of procedures, one form
each (``event_forms.py``), the deadline as the dates are typed, the page after the event,
the 転出証明書 as a PDF, and the 転入通知 that matched no move-out here.

A refusal redraws the form with the message at the field it names and the API's status
(422 for a bad value); nothing is written, as the use case writes nothing when it refuses.
"""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jukinet.adapters.documents.move_out_certificates import render_move_out_certificate
from jukinet.domain.certificates import MoveOutCertificate
from jukinet.domain.deadlines import Deadline
from jukinet.domain.errors import DomainError, NotFound
from jukinet.domain.municipalities import municipality
from jukinet.domain.operators import NotPermitted, Permission, Principal
from jukinet.nodes.municipal import move_notices
from jukinet.nodes.municipal.codes import CodeSupply
from jukinet.nodes.ports import ReceivedMoveInNotice
from jukinet.web.pdf import pdf_response
from jukinet.web.screens.desk import name_subjects
from jukinet.web.screens.forms import posted
from jukinet.web.screens.terminal import event_corrections, event_records, event_removals
from jukinet.web.screens.terminal.event_forms import Event, day
from jukinet.web.screens.terminal.fields import Values, flat_values
from jukinet.web.screens.terminal.refusals import FormRefusal
from jukinet.web.screens.terminal.windows import PREFIX, Window, codes_in

EVENTS: dict[str, Event] = {
    event.slug: event
    for event in (
        event_records.BIRTH,
        event_records.ARRIVAL,
        event_records.MOVE_IN,
        event_records.SPECIAL_MOVE_IN,
        event_removals.MOVE_OUT,
        event_removals.SPECIAL_MOVE_OUT,
        event_removals.DEATH,
        event_removals.EX_OFFICIO_REMOVAL,
        event_corrections.MOVE_WITHIN,
        event_corrections.HOUSEHOLD_CHANGE,
        event_corrections.NAME_CHANGE,
        event_corrections.CORRECTION,
        event_corrections.RESIDENT_CODE_CHANGE,
        event_corrections.MY_NUMBER_CHANGE,
        event_corrections.CARD_CONTINUATION,
    )
}
GROUPS = (
    "terminal.group.record",
    "terminal.group.removal",
    "terminal.group.correction",
    "terminal.group.codes",
)


def event_of(slug: str) -> Event:
    if slug not in EVENTS:
        raise NotFound("event", f"no event {slug!r} at the window")
    return EVENTS[slug]


def issued_certificate(certificate_id: str, supply: CodeSupply) -> MoveOutCertificate:
    """A 転出証明書 this municipality issued (as ``GET /api/v1/move-out-certificates`` reads it)."""
    with supply.unit_of_work() as uow:
        found = uow.certificates.get(certificate_id)
    if found is None:
        raise NotFound("certificate_id", f"no certificate {certificate_id} was issued here")
    return found


def unmatched_notices(supply: CodeSupply) -> list[ReceivedMoveInNotice]:
    with supply.unit_of_work() as uow:
        return move_notices.unmatched_notices(uow)


def deadline_context(event: Event, data: dict[str, Any], supply: CodeSupply) -> dict[str, Any]:
    """The deadline shown under the form, and whether the notification (today, unless the
    form says when it was made) comes after it."""
    found: Deadline | None = None if event.deadline is None else event.deadline(data, supply)
    notified: date = day(data, "notified_on") or supply.clock.today()
    return {
        "deadline": found,
        "late": found is not None and found.missed_by(notified),
        "rule_key": f"terminal.deadline.rule.{event.slug}",
    }


def _single(values: Values) -> dict[str, Any]:
    return {name: found[-1] for name, found in values.items() if found}


def routes(ui: APIRouter, window: Window) -> None:
    Clerk = Annotated[Principal, Depends(window.gate(Permission.REGISTER_CHANGE))]  # noqa: N806
    Reader = Annotated[Principal, Depends(window.gate(Permission.RESIDENT_READ))]  # noqa: N806
    supply = window.supply

    async def form_page(
        request: Request, event: Event, values: Values, refusal: FormRefusal | None = None
    ) -> Response:
        has_deadline = event.deadline is not None
        deadline = {}
        if has_deadline:
            deadline = await window.run(deadline_context, event, _single(values), supply)
        return window.form(
            request,
            event.form,
            f"{PREFIX}/events/{event.slug}",
            values,
            refusal,
            deadline_url=f"{PREFIX}/events/{event.slug}/deadline" if has_deadline else "",
            back=f"{PREFIX}/events",
            **deadline,
        )

    @ui.get("/events")
    async def event_list(request: Request, who: Clerk) -> Response:
        groups = [(g, [e for e in EVENTS.values() if e.group == g]) for g in GROUPS]
        return window.page(request, "terminal/events.html", {"groups": groups})

    @ui.get("/events/{slug}")
    async def event_form(slug: str, request: Request, who: Clerk) -> Response:
        event = event_of(slug)
        values = event.form.prefilled(request.query_params)
        name_subjects(request, codes_in(_single(values)))
        return await form_page(request, event, values)

    @ui.post("/events/{slug}")
    async def event_submit(slug: str, request: Request, who: Clerk) -> Response:
        event = event_of(slug)
        data = event.form.booleans(await posted(request))
        values = flat_values((await request.form()).multi_items())
        name_subjects(request, codes_in(data))
        try:
            done = await window.run(event.record, data, who.operator_id, supply)
        except NotPermitted:
            raise
        except DomainError as error:
            refusal = FormRefusal.of(window.screens, request, error, event.form)
            return await form_page(request, event, values, refusal)
        name_subjects(request, done.codes)
        return window.page(request, "terminal/event_done.html", {"event": event, "done": done})

    @ui.post("/events/{slug}/deadline")
    async def event_deadline(slug: str, request: Request, who: Clerk) -> Response:
        event = event_of(slug)
        context = await window.run(deadline_context, event, await posted(request), supply)
        return window.page(request, "terminal/_deadline.html", context)

    @ui.get("/move-out-certificates/{certificate_id}")
    async def move_out_certificate_pdf(
        certificate_id: str, request: Request, who: Reader
    ) -> Response:
        certificate = await window.run(issued_certificate, certificate_id[:64], supply)
        name_subjects(request, [certificate.resident_code])
        issuer = municipality(certificate.issuer).full_name
        answer = await pdf_response(
            render_move_out_certificate, certificate, issuer, name=certificate.certificate_id
        )
        if request.query_params.get("download"):
            answer.headers["Content-Disposition"] = answer.headers["Content-Disposition"].replace(
                "inline", "attachment"
            )
        answer.headers["Cache-Control"] = "no-store"
        return answer

    @ui.get("/move-in-notices/unmatched")
    async def unmatched_move_in_notices(request: Request, who: Clerk) -> Response:
        notices = await window.run(unmatched_notices, supply)
        name_subjects(request, [n.notice.resident_code for n in notices])
        return window.page(request, "terminal/unmatched.html", {"notices": notices})
