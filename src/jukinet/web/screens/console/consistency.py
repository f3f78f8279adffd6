"""The consistency check (整合性確認, national, ``provision.operate``): run it for one
municipality or for all, see the latest result of each, and drill down to the records whose
versions differ between the municipality, its prefecture node and the national node.

The check itself is ``nodes/national/consistency.py``; each result is kept by this node's
process until the next run (a restart forgets them: run the check again).
"""

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jukinet.domain.errors import DomainError, InvalidValue, NotFound
from jukinet.domain.operators import Permission, Principal
from jukinet.nodes.national.consistency import HOLDERS, ConsistencyCheck, MunicipalityCheck
from jukinet.protocol.directory import Directory
from jukinet.web.screens.console.desks import Console
from jukinet.web.screens.console.places import place_name
from jukinet.web.screens.desk import name_subjects
from jukinet.web.screens.forms import posted


@dataclass(frozen=True, slots=True)
class KeptCheck:
    check: MunicipalityCheck
    at: datetime
    by: str


class LatestChecks:
    """The latest check of each municipality, as this process last ran it."""

    def __init__(self) -> None:
        self._kept: dict[str, KeptCheck] = {}
        self._lock = threading.Lock()

    def keep(self, checks: list[MunicipalityCheck], at: datetime, by: str) -> None:
        with self._lock:
            self._kept.update({c.municipality_code: KeptCheck(c, at, by) for c in checks})

    def all(self) -> list[KeptCheck]:
        with self._lock:
            return [self._kept[code] for code in sorted(self._kept)]

    def of(self, municipality_code: str) -> KeptCheck:
        with self._lock:
            kept = self._kept.get(municipality_code)
        if kept is None:
            raise NotFound("municipality_code", f"no check of {municipality_code} was run yet")
        return kept


def municipalities_to_check(directory: Directory, asked: str) -> list[str]:
    """Every municipality node's code, or the one ``asked`` for if it has a node."""
    codes = [n.municipality_code for n in directory.municipalities() if n.municipality_code]
    if not asked:
        return codes
    if asked not in codes:
        raise InvalidValue("municipality_code", f"{asked!r} is not a municipality on the network")
    return [asked]


def routes(ui: APIRouter, console: Console, check: ConsistencyCheck, directory: Directory) -> None:
    Operator = Annotated[Principal, Depends(console.gate(Permission.PROVISION_OPERATE))]  # noqa: N806
    latest = LatestChecks()

    def overview(request: Request, status: int = 200, **extra: Any) -> Response:
        kept = latest.all()
        context = {
            "kept": kept,
            "names": {
                k.check.municipality_code: place_name(k.check.municipality_code) for k in kept
            },
            "holders": HOLDERS,
            "ran": "",
            "values": {},
            "errors": {},
            "general": "",
            **extra,
        }
        return console.page(request, "console/consistency.html", context, status)

    @ui.get("/consistency")
    async def consistency(request: Request, who: Operator) -> Response:
        return overview(request)

    @ui.post("/consistency")
    async def run_consistency_check(request: Request, who: Operator) -> Response:
        form = await posted(request)
        asked = str(form.get("municipality_code", ""))[:12]
        try:
            codes = municipalities_to_check(directory, asked)
        except DomainError as error:
            refusal = console.refusal(request, error, ("municipality_code",))
            values = {"municipality_code": asked}
            return overview(request, refusal.status, values=values, errors=refusal.errors)
        checks = await console.run(check.run, codes)
        latest.keep(checks, console.clock.now(), who.operator_id)
        return overview(request, ran=str(len(checks)))

    @ui.get("/consistency/{municipality_code}")
    async def consistency_detail(
        municipality_code: str, request: Request, who: Operator
    ) -> Response:
        kept = latest.of(municipality_code[:12])
        name_subjects(request, (d.resident_code for d in kept.check.discrepancies))
        context = {
            "kept": kept,
            "name": place_name(kept.check.municipality_code),
            "holders": HOLDERS,
        }
        return console.page(request, "console/consistency_detail.html", context)
