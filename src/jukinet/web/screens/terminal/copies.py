"""住民票の写し at the window (``copy.issue``): from this register, and 広域交付 for a person
registered elsewhere (docs/copies.md), with the PDF shown before it is handed over.

A copy is issued, recorded and charged by the same use cases as ``POST /api/v1/copies`` and
``/wide-area-copies``. The page after it shows the fee, any suppression at alert level the
clerk must see before handing the copy over (the API's ``Protection-Alert``), and the PDF in
a frame with a download link. The PDF is held in memory for the operator's session for
:data:`HELD_MINUTES` only, so that the frame can show it; it is never written anywhere else,
and every page and PDF is sent ``no-store``.

A copy refused by a suppression (抑止, 支援措置) or by the home municipality is a page that says
so, naming the field; any other refusal redraws the form with the message at its field.
"""

import threading
import time
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jukinet.adapters.documents.resident_copies import render_resident_copy
from jukinet.domain.copies import (
    WIDE_AREA_DOCUMENTS,
    CopyRefused,
    Layout,
    OptionalItem,
    RequesterKind,
)
from jukinet.domain.errors import DomainError, NotFound
from jukinet.domain.operators import NotPermitted, Permission, Principal
from jukinet.domain.requesters import IdentityDocument
from jukinet.domain.suppressions import NotIssuableHere, Suppressed
from jukinet.nodes.municipal import copies
from jukinet.nodes.municipal.copies import IssuedCopy
from jukinet.web.pdf import PDF
from jukinet.web.screens.desk import name_subjects
from jukinet.web.screens.forms import posted
from jukinet.web.screens.terminal.fields import (
    CHECKBOX,
    CHECKBOXES,
    DATE,
    SELECT,
    TEXTAREA,
    Field,
    Fieldset,
    FormSpec,
    choice,
    flat_values,
)
from jukinet.web.screens.terminal.refusals import FormRefusal
from jukinet.web.screens.terminal.windows import PREFIX, Window, codes_in

HELD_MINUTES = 15
MOST_HELD = 200


def _members() -> Fieldset:
    return Fieldset(
        "terminal.legend.copy_members",
        tuple(
            Field(f"members[{row}]", "terminal.field.member", check="resident-code")
            for row in range(3)
        ),
    )


def _items(*leave_out: OptionalItem) -> Field:
    return Field(
        "items[]",
        "terminal.field.items",
        CHECKBOXES,
        options=choice(OptionalItem, *leave_out),
        option_labels="terminal.item_option",
    )


LAYOUT = Field(
    "layout",
    "terminal.field.layout",
    SELECT,
    required=True,
    options=choice(Layout),
    option_labels="terminal.layout",
    default=Layout.HOUSEHOLD.value,
)

OWN_COPY = FormSpec(
    "terminal.copies.title",
    (
        Fieldset(
            "terminal.legend.requester",
            (
                Field(
                    "requester.kind",
                    "terminal.field.requester_kind",
                    SELECT,
                    required=True,
                    options=choice(RequesterKind, RequesterKind.WIDE_AREA),
                    option_labels="terminal.requester_kind",
                ),
                Field(
                    "requester.name", "terminal.field.requester_name", required=True, check="name"
                ),
                Field(
                    "requester.resident_code",
                    "terminal.field.requester_code",
                    check="resident-code",
                    hint="terminal.hint.requester_code",
                ),
                Field(
                    "requester.document",
                    "terminal.field.document",
                    SELECT,
                    options=choice(IdentityDocument),
                    option_labels="terminal.document",
                ),
                Field(
                    "requester.purpose",
                    "terminal.field.purpose",
                    TEXTAREA,
                    hint="terminal.hint.purpose",
                ),
            ),
        ),
        Fieldset(
            "terminal.legend.copy",
            (
                Field(
                    "subject",
                    "terminal.field.subject",
                    check="resident-code",
                    hint="terminal.hint.subject",
                ),
                _items(),
                Field("include_removed", "terminal.field.include_removed", CHECKBOX),
                LAYOUT,
            ),
        ),
        _members(),
    ),
    statute="terminal.statute.copy",
    submit="terminal.copies.issue",
)

WIDE_AREA_COPY = FormSpec(
    "terminal.wide_area.title",
    (
        Fieldset(
            "terminal.legend.requester",
            (
                Field(
                    "home_municipality",
                    "terminal.field.home_municipality",
                    required=True,
                    check="municipality",
                    attrs='inputmode="numeric"',
                ),
                Field(
                    "requester.resident_code",
                    "terminal.field.requester_code",
                    required=True,
                    check="resident-code",
                ),
                Field(
                    "requester.family_name",
                    "terminal.field.family_name",
                    required=True,
                    check="name",
                ),
                Field("requester.given_name", "terminal.field.given_name", check="name"),
                Field(
                    "requester.birth_date",
                    "terminal.field.birth_date",
                    DATE,
                    required=True,
                    check="past-date",
                ),
                Field(
                    "requester.document",
                    "terminal.field.document",
                    SELECT,
                    required=True,
                    options=tuple(sorted(d.value for d in WIDE_AREA_DOCUMENTS)),
                    option_labels="terminal.document",
                ),
            ),
        ),
        Fieldset("terminal.legend.copy", (_items(OptionalItem.DOMICILE), LAYOUT)),
        _members(),
    ),
    statute="terminal.statute.wide_area",
    submit="terminal.copies.issue",
)


@dataclass(frozen=True)
class HeldCopy:
    document: bytes
    resident_codes: tuple[str, ...]
    until: float


class HeldCopies:
    """The PDFs of copies just issued, for the frame of the page after them: by session and
    issuance, for a few minutes, at most :data:`MOST_HELD` at a time."""

    def __init__(self) -> None:
        self._held: dict[tuple[str, str], HeldCopy] = {}
        self._lock = threading.Lock()

    def keep(self, session_id: str, issued: IssuedCopy) -> None:
        now = time.monotonic()
        held = HeldCopy(issued.document, issued.issuance.resident_codes, now + HELD_MINUTES * 60)
        with self._lock:
            self._held = {k: v for k, v in self._held.items() if v.until > now}
            while len(self._held) >= MOST_HELD:
                del self._held[next(iter(self._held))]
            self._held[(session_id, issued.issuance.issuance_id)] = held

    def get(self, session_id: str, issuance_id: str) -> HeldCopy:
        with self._lock:
            found = self._held.get((session_id, issuance_id))
        if found is None or found.until < time.monotonic():
            raise NotFound("issuance_id", "this copy is no longer shown here; issue it again")
        return found


REFUSALS = (Suppressed, NotIssuableHere, CopyRefused)


def routes(ui: APIRouter, window: Window) -> None:
    Issuer = Annotated[Principal, Depends(window.gate(Permission.COPY_ISSUE))]  # noqa: N806
    held = HeldCopies()
    supply = window.supply

    async def issue(request: Request, spec: FormSpec, action: str, wide_area: bool) -> Response:
        data = spec.booleans(await posted(request))
        name_subjects(request, codes_in(data))
        use_case = copies.issue_wide_area_copy if wide_area else copies.issue_copy
        who: Principal = request.state.principal
        try:
            issued: IssuedCopy = await window.run(
                use_case, data, who.operator_id, supply, render_resident_copy
            )
        except NotPermitted:
            raise
        except REFUSALS as error:
            reason = (
                "terminal.copies.refused_by_home" if wide_area else "terminal.copies.refused_why"
            )
            return window.refused(
                request, error, "terminal.copies.refused", reason_key=reason, back=action
            )
        except DomainError as error:
            values = flat_values((await request.form()).multi_items())
            refusal = FormRefusal.of(window.screens, request, error, spec)
            return window.form(request, spec, action, values, refusal)
        held.keep(who.session_id, issued)
        name_subjects(request, issued.issuance.resident_codes)
        context = {"issued": issued, "issuance": issued.issuance, "wide_area": wide_area}
        return window.page(request, "terminal/copy_done.html", context)

    @ui.get("/copies")
    async def copy_form(request: Request, who: Issuer) -> Response:
        values = OWN_COPY.prefilled(request.query_params)
        name_subjects(request, [request.query_params.get("subject")])
        return window.form(request, OWN_COPY, f"{PREFIX}/copies", values)

    @ui.post("/copies")
    async def copy_issue(request: Request, who: Issuer) -> Response:
        return await issue(request, OWN_COPY, f"{PREFIX}/copies", wide_area=False)

    @ui.get("/wide-area-copies")
    async def wide_area_copy_form(request: Request, who: Issuer) -> Response:
        values = WIDE_AREA_COPY.prefilled(request.query_params)
        return window.form(request, WIDE_AREA_COPY, f"{PREFIX}/wide-area-copies", values)

    @ui.post("/wide-area-copies")
    async def wide_area_copy_issue(request: Request, who: Issuer) -> Response:
        return await issue(request, WIDE_AREA_COPY, f"{PREFIX}/wide-area-copies", wide_area=True)

    @ui.get("/copies/{issuance_id}/pdf")
    async def copy_pdf(issuance_id: str, request: Request, who: Issuer) -> Response:
        found = held.get(who.session_id, issuance_id)
        name_subjects(request, found.resident_codes)
        disposition = "attachment" if request.query_params.get("download") else "inline"
        headers = {
            "Content-Disposition": f'{disposition}; filename="copy-{issuance_id[:64]}.pdf"',
            "Cache-Control": "no-store",
        }
        return Response(found.document, media_type=PDF, headers=headers)
