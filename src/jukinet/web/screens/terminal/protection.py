"""Suppressions and support measures at the window (docs/protection.md), and their work queue.

Each step needs its own permission, as at ``web/protection_api.py``: setting a suppression or
applying for, provisionally granting, granting and extending a measure need
``suppression.set``; releasing, refusing and ending need ``suppression.release``; a
temporary release and its early end need ``suppression.release-temporarily``. A step done
from a record goes back to that record, which then shows the new state; a refused step is a
page that says what and why.
"""

from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jukinet.domain.codes import ResidentCode
from jukinet.domain.errors import DomainError, InvalidValue
from jukinet.domain.operators import NotPermitted, Permission, Principal
from jukinet.domain.suppressions import (
    Level,
    Process,
    Relation,
    Suppression,
    SuppressionReason,
    Target,
)
from jukinet.nodes.municipal import protection, protection_measures
from jukinet.nodes.municipal.protection import ProtectionDesk
from jukinet.web.screens.desk import name_subjects
from jukinet.web.screens.forms import posted
from jukinet.web.screens.staff import redirect
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

RESIDENT = Field(
    "resident_code", "terminal.field.resident_code", required=True, check="resident-code"
)
NOTE = Field("note", "terminal.field.note", TEXTAREA)

SUPPRESSION = FormSpec(
    "terminal.protection.set",
    (
        Fieldset(
            "terminal.legend.target",
            (
                Field(
                    "target",
                    "terminal.field.target",
                    SELECT,
                    required=True,
                    options=choice(Target),
                    option_labels="terminal.target",
                    default=Target.PERSON.value,
                ),
                RESIDENT,
                Field(
                    "household_id",
                    "terminal.field.household_id",
                    hint="terminal.hint.household_target",
                ),
            ),
        ),
        Fieldset(
            "terminal.legend.suppression",
            (
                Field(
                    "reason",
                    "terminal.protection.reason",
                    SELECT,
                    required=True,
                    options=choice(SuppressionReason, SuppressionReason.SUPPORT_MEASURE),
                    option_labels="terminal.suppression_reason",
                ),
                Field(
                    "processes[]",
                    "terminal.protection.processes",
                    CHECKBOXES,
                    required=True,
                    options=choice(Process),
                    option_labels="terminal.process",
                ),
                Field(
                    "level",
                    "terminal.protection.level",
                    SELECT,
                    required=True,
                    options=choice(Level),
                    option_labels="terminal.level",
                    default=Level.ERROR.value,
                    hint="terminal.hint.level",
                ),
                Field("starts_on", "terminal.field.starts_on", DATE, check="date"),
                Field("ends_on", "terminal.field.ends_on", DATE, check="date"),
                NOTE,
            ),
        ),
    ),
    statute="terminal.statute.suppression",
)

MEASURE = FormSpec(
    "terminal.protection.apply",
    (
        Fieldset(
            "terminal.legend.applicant",
            (
                RESIDENT,
                Field("applied_on", "terminal.field.applied_on", DATE, check="past-date"),
                Field(
                    "provisional",
                    "terminal.field.provisional",
                    CHECKBOX,
                    default="true",
                    hint="terminal.hint.provisional",
                ),
            ),
        ),
        Fieldset(
            "terminal.legend.co_residents",
            tuple(
                Field(f"co_residents[{row}]", "terminal.field.co_resident", check="resident-code")
                for row in range(3)
            ),
        ),
        Fieldset(
            "terminal.legend.related",
            (
                Field(
                    "related[0].municipality_code",
                    "terminal.field.municipality_code",
                    check="municipality",
                ),
                Field(
                    "related[0].relation",
                    "terminal.field.relation",
                    SELECT,
                    options=choice(Relation),
                    option_labels="terminal.relation",
                ),
            ),
        ),
        Fieldset("terminal.legend.note", (NOTE,)),
    ),
    statute="terminal.statute.measure",
)

# The steps of a measure after its application: (path step, permission, use case).
MEASURE_STEPS: tuple[tuple[str, Permission, Callable[..., Any]], ...] = (
    ("provisional", Permission.SUPPRESSION_SET, protection_measures.decide_provisionally),
    ("grant", Permission.SUPPRESSION_SET, protection_measures.grant_measure),
    ("extend", Permission.SUPPRESSION_SET, protection_measures.extend_measure),
    ("refuse", Permission.SUPPRESSION_RELEASE, protection_measures.refuse_measure),
    ("end", Permission.SUPPRESSION_RELEASE, protection_measures.end_measure),
)


# What the record says after each step (``terminal.protection.done.<step>``).
DONE = ("set", "applied", "released", "lifted", "restored", *(s for s, _, _ in MEASURE_STEPS))


def back_to(data: Mapping[str, Any]) -> str:
    """The record a step was done from, or the work queue."""
    try:
        code = ResidentCode.parse(data.get("resident_code"), "resident_code").value
    except DomainError:
        return f"{PREFIX}/protection/alerts"
    return f"{PREFIX}/residents/{code}"


def after(data: Mapping[str, Any], done: str) -> str:
    """Where a step done goes: its record, saying what was done there, or the work queue."""
    back = back_to(data)
    return f"{back}?done={done}" if back.startswith(f"{PREFIX}/residents/") else back


def lift(
    suppression_id: str, principal: Principal, desk: ProtectionDesk, data: Mapping[str, Any]
) -> Suppression:
    """A temporary release for the minutes typed (the policy's default when left empty)."""
    raw = str(data.get("minutes", "")).strip()
    if raw and not raw.isdigit():
        raise InvalidValue("minutes", f"{raw!r} is not a whole number of minutes")
    minutes = int(raw) if raw else None
    return protection.release_temporarily(suppression_id, principal, desk, minutes)


def routes(ui: APIRouter, window: Window) -> None:
    Reader = Annotated[Principal, Depends(window.gate(Permission.RESIDENT_READ))]  # noqa: N806
    Setter = Annotated[Principal, Depends(window.gate(Permission.SUPPRESSION_SET))]  # noqa: N806
    Releaser = Annotated[  # noqa: N806
        Principal, Depends(window.gate(Permission.SUPPRESSION_RELEASE))
    ]
    Lifter = Annotated[  # noqa: N806
        Principal, Depends(window.gate(Permission.SUPPRESSION_RELEASE_TEMPORARILY))
    ]
    desk = window.desk

    async def step(
        request: Request, heading: str, done: str, use_case: Callable[..., Any], *args: Any
    ) -> Response:
        """Run one step on a suppression or a measure, then go back to where it was asked."""
        data = await posted(request)
        name_subjects(request, codes_in(data))
        try:
            await window.run(use_case, *args)
        except NotPermitted:
            raise
        except DomainError as error:
            return window.refused(request, error, heading, back=back_to(data))
        return redirect(request, after(data, done))

    async def form_submit(
        request: Request, spec: FormSpec, action: str, done: str, use_case: Callable[..., Any]
    ) -> Response:
        data = spec.booleans(await posted(request))
        name_subjects(request, codes_in(data))
        try:
            await window.run(use_case, data, request.state.principal, desk)
        except NotPermitted:
            raise
        except DomainError as error:
            values = flat_values((await request.form()).multi_items())
            refusal = FormRefusal.of(window.screens, request, error, spec)
            return window.form(request, spec, action, values, refusal, back=back_to(data))
        return redirect(request, after(data, done))

    @ui.get("/protection/alerts")
    async def protection_alerts(request: Request, who: Reader) -> Response:
        alerts = await window.run(protection_measures.protection_alerts, who, desk)
        name_subjects(request, [alert.resident_code for alert in alerts])
        known = set(window.screens.catalogue.texts)
        return window.page(request, "terminal/alerts.html", {"alerts": alerts, "known": known})

    @ui.get("/protection/suppressions/new")
    async def suppression_form(request: Request, who: Setter) -> Response:
        values = SUPPRESSION.prefilled(request.query_params)
        name_subjects(request, [request.query_params.get("resident_code")])
        action = f"{PREFIX}/protection/suppressions"
        return window.form(request, SUPPRESSION, action, values, back=back_to(request.query_params))

    @ui.post("/protection/suppressions")
    async def suppression_set(request: Request, who: Setter) -> Response:
        action = f"{PREFIX}/protection/suppressions"
        return await form_submit(request, SUPPRESSION, action, "set", protection.set_suppression)

    @ui.post("/protection/suppressions/{suppression_id}/release")
    async def suppression_release(suppression_id: str, request: Request, who: Releaser) -> Response:
        release = protection.release_suppression
        heading = "terminal.protection.release_refused"
        return await step(request, heading, "released", release, suppression_id, who, desk)

    @ui.post("/protection/suppressions/{suppression_id}/temporary-release")
    async def suppression_lift(suppression_id: str, request: Request, who: Lifter) -> Response:
        heading = "terminal.protection.lift_refused"
        minutes = await posted(request)
        return await step(request, heading, "lifted", lift, suppression_id, who, desk, minutes)

    @ui.post("/protection/suppressions/{suppression_id}/restore")
    async def suppression_restore(suppression_id: str, request: Request, who: Lifter) -> Response:
        restore = protection.restore_suppression
        heading = "terminal.protection.restore_refused"
        return await step(request, heading, "restored", restore, suppression_id, who, desk)

    @ui.get("/protection/measures/new")
    async def measure_form(request: Request, who: Setter) -> Response:
        values = MEASURE.prefilled(request.query_params)
        name_subjects(request, [request.query_params.get("resident_code")])
        action = f"{PREFIX}/protection/measures"
        return window.form(request, MEASURE, action, values, back=back_to(request.query_params))

    @ui.post("/protection/measures")
    async def measure_apply(request: Request, who: Setter) -> Response:
        action = f"{PREFIX}/protection/measures"
        apply = protection_measures.apply_for_measure
        return await form_submit(request, MEASURE, action, "applied", apply)

    for name, permission, use_case in MEASURE_STEPS:
        ui.add_api_route(
            f"/protection/measures/{{measure_id}}/{name}",
            _measure_step(window, step, name, use_case),
            methods=["POST"],
            name=f"measure_{name}",
            dependencies=[Depends(window.gate(permission))],
        )


def _measure_step(
    window: Window, step: Callable[..., Any], name: str, use_case: Callable[..., Any]
) -> Callable[..., Any]:
    async def measure_step(measure_id: str, request: Request) -> Response:
        principal = request.state.principal
        heading = "terminal.protection.step_refused"
        response: Response = await step(
            request, heading, name, use_case, measure_id, principal, window.desk
        )
        return response

    return measure_step
