"""Disclosure requests (開示請求, ``rights.handle``): record one made at the counter or by
post, then on its page the identity check, the decision (disclose, or refuse with the
reason) and the delivery, each step as docs/rights.md describes it; the written decision as
PDF; and, after a disclosure, a correction request."""

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jukinet.adapters.documents.disclosures import render_disclosure_notice
from jukinet.domain.errors import DomainError
from jukinet.domain.operators import NotPermitted, Permission, Principal
from jukinet.domain.reports import ContactMethod
from jukinet.domain.requesters import IdentityDocument, Relation
from jukinet.domain.rights import CorrectionResult, Decision, Item
from jukinet.nodes.rights import corrections, disclosures, notices
from jukinet.nodes.rights.offices import RightsOffice
from jukinet.web.pdf import pdf_response
from jukinet.web.screens.console.desks import (
    PREFIX,
    Console,
    Refusal,
    kept_private,
)
from jukinet.web.screens.desk import name_subjects
from jukinet.web.screens.forms import posted
from jukinet.web.screens.staff import redirect

RIGHTS = f"{PREFIX}/rights"
NEW_INPUTS = (
    "person",
    "person.resident_code",
    "person.my_number",
    "method",
    "requester.relation",
    "requester.name",
    "received_on",
)
STEP_INPUTS = (
    "identity_check.documents",
    "identity_check.checked_on",
    "decision",
    "reason",
    "decided_on",
    "delivery.method",
    "delivered_on",
    "items",
    "statement",
    "received_on",
)
# Staff record what they saw; 公的個人認証 is recorded by a portal alone.
DOCUMENTS = tuple(
    d for d in IdentityDocument if d is not IdentityDocument.PUBLIC_KEY_AUTHENTICATION
)
CHOICES = {
    "documents": [d.value for d in DOCUMENTS],
    "relations": [r.value for r in Relation if r is not Relation.PROXY],
    "methods": [ContactMethod.VISIT.value, ContactMethod.POST.value],
    "decisions": [d.value for d in Decision],
    "items": [i.value for i in Item],
    "results": [r.value for r in CorrectionResult],
}


def flat(form: dict[str, Any]) -> dict[str, Any]:
    """A posted form by input name again (``person.resident_code``), to refill the inputs."""
    values: dict[str, Any] = {}
    for key, value in form.items():
        if isinstance(value, dict):
            values.update({f"{key}.{k}": v for k, v in flat(value).items()})
        else:
            values[key] = value
    return values


def routes(ui: APIRouter, console: Console, office: RightsOffice) -> None:
    Staff = Annotated[Principal, Depends(console.gate(Permission.RIGHTS_HANDLE))]  # noqa: N806

    def new_form(request: Request, values: dict[str, Any], refusal: Refusal | None) -> Response:
        today = office.clock.today().isoformat()
        template = "console/disclosure_new.html"
        return console.form_page(request, template, values, refusal, choices=CHOICES, today=today)

    async def case_page(
        request: Request, request_id: str, refusal: Refusal | None = None, values: Any = None
    ) -> Response:
        case = await console.run(disclosures.disclosure_request, request_id, office)
        name_subjects(request, [case.resident_code])
        return console.form_page(
            request,
            "console/disclosure.html",
            values,
            refusal,
            case=case,
            today=office.clock.today(),
            choices=CHOICES,
        )

    @ui.get("/rights/disclosures/new")
    async def new_disclosure_request(request: Request, who: Staff) -> Response:
        return new_form(request, {}, None)

    @ui.post("/rights/disclosures")
    async def record_disclosure_request(request: Request, who: Staff) -> Response:
        form = await posted(request)
        requester = form.get("requester") or {}
        cmd = disclosures.RecordDisclosureRequest(
            form.get("person") or {},
            str(form.get("method", "")),
            str(requester.get("relation", "self")),
            str(requester.get("name", "")),
            form.get("received_on"),
        )
        try:
            case = await console.run(
                disclosures.record_disclosure_request, cmd, who.operator_id, office
            )
        except NotPermitted:
            raise
        except DomainError as error:
            return new_form(request, flat(form), console.refusal(request, error, NEW_INPUTS))
        name_subjects(request, [case.resident_code])
        return redirect(request, f"{RIGHTS}/disclosures/{case.request_id}?done=recorded")

    @ui.get("/rights/disclosures/{request_id}")
    async def disclosure_request(request_id: str, request: Request, who: Staff) -> Response:
        return await case_page(request, request_id[:64])

    async def step(request: Request, request_id: str, use_case: Any, done: str) -> Response:
        form = await posted(request)

        async def refused(refusal: Refusal) -> Response:
            return await case_page(request, request_id, refusal, flat(form))

        call = partial(use_case, request_id, form)
        target = f"{RIGHTS}/disclosures/{request_id}?done={done}"
        return await console.act(request, call, target, refused, STEP_INPUTS)

    @ui.post("/rights/disclosures/{request_id}/identity-check")
    async def disclosure_identity_check(request_id: str, request: Request, who: Staff) -> Response:
        def check(request_id: str, form: dict[str, Any]) -> object:
            seen = form.get("identity_check") or {}
            documents = seen.get("documents") or []
            return disclosures.record_identity_check(
                request_id, documents, seen.get("checked_on"), who.operator_id, office
            )

        return await step(request, request_id[:64], check, "identity-check")

    @ui.post("/rights/disclosures/{request_id}/decision")
    async def disclosure_decision(request_id: str, request: Request, who: Staff) -> Response:
        def decide(request_id: str, form: dict[str, Any]) -> object:
            cmd = disclosures.DecideDisclosure(
                str(form.get("decision", "")), str(form.get("reason", "")), form.get("decided_on")
            )
            return disclosures.decide_disclosure(request_id, cmd, who.operator_id, office)

        return await step(request, request_id[:64], decide, "decision")

    @ui.post("/rights/disclosures/{request_id}/delivery")
    async def disclosure_delivery(request_id: str, request: Request, who: Staff) -> Response:
        def deliver(request_id: str, form: dict[str, Any]) -> object:
            method = str((form.get("delivery") or {}).get("method", ""))
            return disclosures.record_delivery(
                request_id, method, form.get("delivered_on"), who.operator_id, office
            )

        return await step(request, request_id[:64], deliver, "delivery")

    @ui.post("/rights/disclosures/{request_id}/corrections")
    async def disclosure_correction(request_id: str, request: Request, who: Staff) -> Response:
        form = await posted(request)
        cmd = corrections.RecordCorrectionRequest(
            request_id[:64],
            form.get("items") or [],
            str(form.get("statement", "")),
            form.get("received_on"),
        )
        try:
            made = await console.run(
                corrections.record_correction_request, cmd, who.operator_id, office
            )
        except NotPermitted:
            raise
        except DomainError as error:
            refusal = console.refusal(request, error, STEP_INPUTS)
            return await case_page(request, request_id[:64], refusal, flat(form))
        return redirect(request, f"{RIGHTS}/corrections/{made.correction_id}?done=recorded")

    @ui.get("/rights/disclosures/{request_id}/notice.pdf")
    async def disclosure_notice_pdf(request_id: str, request: Request, who: Staff) -> Response:
        written = await console.run(notices.written_disclosure, request_id[:64], office)
        name_subjects(request, [written.request.resident_code])
        name = f"disclosure-{written.request.request_id}"
        return kept_private(await pdf_response(render_disclosure_notice, written, name=name))
