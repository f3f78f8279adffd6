"""Finding a resident and reading their record (``resident.read``).

The search takes exactly the restricted keys of ``POST /api/v1/resident-searches``
(``nodes/municipal/lookups.py``): 住民票コード, 個人番号, name + date of birth + sex (address
optional), or furigana + date of birth + sex. No lists, prefixes or wildcards: the key refuses
them. The record shows the person, the address, the household with its 続柄, the change
history with what each change altered, the foreign-resident items, and — at the top — the
suppressions and support measures: a look-up suppressed at ``error`` level withholds the
record (as the API does) and shows only what lets a supervisor act on the suppression.
"""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jukinet.domain.codes import ResidentCode
from jukinet.domain.errors import DomainError
from jukinet.domain.identity import Sex
from jukinet.domain.operators import NotPermitted, Permission, Principal
from jukinet.domain.suppressions import Suppressed, Suppression
from jukinet.nodes.municipal import lookups, protection, protection_measures
from jukinet.nodes.municipal.queries import resident_view
from jukinet.web.screens.desk import name_subjects
from jukinet.web.screens.forms import posted
from jukinet.web.screens.terminal.fields import DATE, SELECT, Field, Fieldset, FormSpec, choice
from jukinet.web.screens.terminal.fields import flat_values as flat
from jukinet.web.screens.terminal.protection import DONE
from jukinet.web.screens.terminal.refusals import FormRefusal
from jukinet.web.screens.terminal.windows import Window

SEARCH = FormSpec(
    "terminal.search.title",
    (
        Fieldset(
            "terminal.legend.by_code",
            (
                Field(
                    "resident_code",
                    "terminal.field.resident_code",
                    check="resident-code",
                    attrs='inputmode="numeric"',
                ),
                Field(
                    "my_number",
                    "terminal.field.my_number",
                    check="my-number",
                    attrs='inputmode="numeric" autocomplete="off"',
                ),
            ),
        ),
        Fieldset(
            "terminal.legend.by_name",
            (
                Field("name", "terminal.field.search_name", hint="terminal.hint.search_name"),
                Field("kana", "terminal.field.search_kana", hint="terminal.hint.search_kana"),
                Field("birth_date", "terminal.field.birth_date", DATE),
                Field(
                    "sex",
                    "terminal.field.sex",
                    SELECT,
                    options=choice(Sex),
                    option_labels="terminal.sex",
                ),
                Field(
                    "address", "terminal.field.search_address", hint="terminal.hint.search_address"
                ),
            ),
        ),
    ),
    submit="common.search",
    intro="terminal.search.intro",
)


# Items whose values are codes, and the message family that labels each value.
VALUE_LABELS = {
    "status": "terminal.status",
    "removal_reason": "terminal.reason",
    "sex": "terminal.sex",
    "relationship": "terminal.relationship",
}


def _labelled(change: dict[str, Any], known: set[str]) -> dict[str, Any]:
    """One changed item with the message keys of its name and, for code values, its values."""
    item, family = change["item"], VALUE_LABELS.get(change["item"])

    def key(value: Any) -> str:
        found = f"{family}.{value}"
        return found if family and value is not None and found in known else ""

    label = f"terminal.item.{item}"
    return {
        **change,
        "label": label if label in known else "",
        "before_key": key(change["before"]),
        "after_key": key(change["after"]),
    }


def _history(view: dict[str, Any], known: set[str]) -> list[dict[str, Any]]:
    """The history newest first, each change's items labelled where the catalogue knows them."""
    return [
        {
            **line,
            "recorded_at": datetime.fromisoformat(line["recorded_at"]),
            "changes": [_labelled(change, known) for change in line["changes"]],
        }
        for line in reversed(view["history"])
    ]


def _moments(suppressions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The end of a temporary release as a moment, for the page to show in Japan time."""
    return [
        {**s, "temporarily_released_until": _moment(s["temporarily_released_until"])}
        for s in suppressions
    ]


def _moment(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _line(s: Suppression, window: Window) -> dict[str, Any]:
    """One suppression as the record's protection shows it (``protection_checks.protection_view``)."""
    now, today = window.supply.clock.now(), window.supply.clock.today()
    return {
        "suppression_id": s.suppression_id,
        "target": s.target.value,
        "reason": s.reason.value,
        "processes": sorted(p.value for p in s.processes),
        "level": s.level.value,
        "starts_on": s.starts_on.isoformat(),
        "ends_on": None if s.ends_on is None else s.ends_on.isoformat(),
        "past_end": s.past_end(today),
        "temporarily_released_until": s.temporary_until if s.temporarily_released(now) else None,
    }


def withheld(resident_code: str, principal: Principal, window: Window) -> dict[str, Any]:
    """What a record suppressed for look-ups shows: the match as the search shows it (no
    address), and the suppressions and measures a supervisor may act on."""
    desk = window.desk
    matches = lookups.look_up({"resident_code": resident_code}, principal, desk)
    measures = protection_measures.measures_of(resident_code, principal, desk)
    return {
        "match": matches[0] if matches else None,
        "suppressions": [
            _line(s, window) for s in protection.suppressions_of(resident_code, principal, desk)
        ],
        "measures": [m for m in measures if m.state.open],
    }


def routes(ui: APIRouter, window: Window) -> None:
    Reader = Annotated[Principal, Depends(window.gate(Permission.RESIDENT_READ))]  # noqa: N806
    supply = window.supply

    @ui.get("/search")
    async def resident_search_form(request: Request, who: Reader) -> Response:
        return window.page(
            request, "terminal/search.html", {"spec": SEARCH, "values": {}, "errors": {}}
        )

    @ui.post("/search")
    async def resident_search(request: Request, who: Reader) -> Response:
        data = await posted(request)
        values = flat((await request.form()).multi_items())
        context: dict[str, Any] = {"spec": SEARCH, "values": values, "errors": {}}
        try:
            found = await window.run(lookups.look_up, data, who, window.desk)
        except NotPermitted:
            raise
        except DomainError as error:
            named = error.field.removeprefix("key.")  # the key's fields are the form's inputs
            refusal = FormRefusal.of(window.screens, request, error, SEARCH, named)
            context.update(errors=refusal.errors, general=refusal.general)
            return window.page(request, "terminal/search.html", context, refusal.status)
        name_subjects(request, [match.resident_code for match in found])
        context.update(matches=found)
        return window.page(request, "terminal/search.html", context)

    @ui.get("/residents/{resident_code}")
    async def resident_record(resident_code: str, request: Request, who: Reader) -> Response:
        code = ResidentCode.parse(resident_code, "resident_code").value
        name_subjects(request, [code])
        done = request.query_params.get("done", "")
        context: dict[str, Any] = {"code": code, "done": done if done in DONE else ""}
        try:
            view = await window.run(resident_view, code, supply.unit_of_work, supply.clock)
        except Suppressed:
            context.update(await window.run(withheld, code, who, window))
            return window.page(request, "terminal/withheld.html", context)
        known = set(window.screens.catalogue.texts)
        members = view["household"]["members"]
        name_subjects(request, [m["resident_code"] for m in members])
        context.update(
            view=view,
            record=view["record"],
            protection={
                **view["protection"],
                "suppressions": _moments(view["protection"]["suppressions"]),
            },
            history=_history(view, known),
        )
        return window.page(request, "terminal/record.html", context)
