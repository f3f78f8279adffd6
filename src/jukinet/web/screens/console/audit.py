"""The access log (``audit.read``): search it by 住民票コード or operator and period, see the
newest signed checkpoint, verify the chain's integrity on demand (``jukinet audit verify``),
and screen one day for anomalies (``jukinet audit anomalies``).

Verifying streams the whole log, so it runs when asked (Alt+V), not on every visit.
"""

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jukinet.domain.access_log import AccessQuery, Checkpoint
from jukinet.domain.errors import DomainError, InvalidValue
from jukinet.domain.operators import NotPermitted, Permission, Principal
from jukinet.nodes.audit.anomalies import find_anomalies
from jukinet.nodes.audit.searches import search_log
from jukinet.nodes.audit.verification import verify_log
from jukinet.nodes.ports import AccessLogArchive, CheckpointSignatures
from jukinet.web.screens.console.desks import Console
from jukinet.web.screens.desk import name_subjects
from jukinet.web.screens.rendering import JAPAN

SHOWN = 200
INPUTS = ("resident", "operator", "start", "end", "from", "to", "day")


def day_of(field: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidValue(field, f"a date such as 2026-11-23, got {value!r}") from None


def query_of(asked: dict[str, str]) -> AccessQuery | None:
    """The search the form asks for (None when it names nobody); ``from`` and ``to`` are
    days in Japan time, ``to`` included whole."""
    resident, operator = asked.get("resident", ""), asked.get("operator", "")
    if not resident and not operator:
        return None
    first, last = asked.get("from", ""), asked.get("to", "")
    start = datetime.combine(day_of("from", first), time(0), JAPAN) if first else None
    end = datetime.combine(day_of("to", last) + timedelta(days=1), time(0), JAPAN) if last else None
    return AccessQuery(resident or None, operator or None, start, end, SHOWN)


def newest_checkpoint(archive: AccessLogArchive) -> Checkpoint | None:
    kept = [*archive.checkpoints(), archive.newest_kept_apart()]
    return max((c for c in kept if c is not None), key=lambda c: c.sequence, default=None)


def routes(
    ui: APIRouter, console: Console, archive: AccessLogArchive, signatures: CheckpointSignatures
) -> None:
    Auditor = Annotated[Principal, Depends(console.gate(Permission.AUDIT_READ))]  # noqa: N806

    async def audit_page(request: Request, verdict: Any = None) -> Response:
        asked = {k: request.query_params.get(k, "")[:40] for k in INPUTS}
        asked["day"] = asked["day"] or console.clock.today().isoformat()
        context: dict[str, Any] = {"asked": asked, "errors": {}, "general": ""}
        context.update(checkpoint=await console.run(newest_checkpoint, archive), verdict=verdict)
        try:
            query = query_of(asked)
            found = await console.run(search_log, archive, query) if query else None
            anomalies = await console.run(find_anomalies, archive, day_of("day", asked["day"]))
        except NotPermitted:
            raise
        except DomainError as error:
            refusal = console.refusal(request, error, INPUTS)
            field = {"start": "from", "end": "to"}.get(refusal.field, refusal.field)
            errors = {field: next(iter(refusal.errors.values()))} if refusal.errors else {}
            context.update(errors=errors, general=refusal.general, found=None, anomalies=[])
            return console.page(request, "console/audit.html", context, refusal.status)
        name_subjects(request, (code for s in found or () for code in s.entry.resident_codes))
        context.update(found=found, anomalies=anomalies, shown=SHOWN)
        return console.page(request, "console/audit.html", context)

    @ui.get("/audit")
    async def access_log(request: Request, who: Auditor) -> Response:
        return await audit_page(request)

    @ui.post("/audit/verify")
    async def verify_access_log(request: Request, who: Auditor) -> Response:
        try:
            verdict = await console.run(verify_log, archive, signatures)
        except ValueError as error:  # a damaged head file: itself a finding
            return console.page(request, "console/audit_verdict.html", {"damaged": str(error)})
        if request.headers.get("hx-request") == "true":
            return console.page(request, "console/audit_verdict.html", {"verdict": verdict})
        return await audit_page(request, verdict)
