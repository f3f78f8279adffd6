"""The protection desk's HTTP API: suppressions, support measures, their alerts and feed, the
restricted look-up and the inspection list (docs/protection.md).

Each endpoint requires the permission of its step (set, release and temporary release are
separate), and the use case checks it again with the principal. Answers are JSON; errors are
problem+json naming the field. The feed is for the CS and other systems of the municipality:
it needs ``resident.read``, as the people reading it act for the municipality.
"""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query
from starlette.concurrency import run_in_threadpool

from jukinet.domain.operators import Permission, Principal
from jukinet.nodes.municipal import (
    inspection,
    lookups,
    protection,
    protection_measures,
)
from jukinet.nodes.municipal.protection import ProtectionDesk
from jukinet.nodes.operators.offices import OperatorOffice
from jukinet.web.operator_auth import signed_in
from jukinet.web.plain import plain

Form_ = Annotated[dict[str, Any], Body(description="the form; see docs/protection.md")]


def router(desk: ProtectionDesk, operators: OperatorOffice) -> APIRouter:
    # Type aliases, one per permission the endpoints below require.
    Reader = Annotated[Principal, Depends(signed_in(operators, Permission.RESIDENT_READ))]  # noqa: N806
    Setter = Annotated[Principal, Depends(signed_in(operators, Permission.SUPPRESSION_SET))]  # noqa: N806
    Releaser = Annotated[  # noqa: N806
        Principal, Depends(signed_in(operators, Permission.SUPPRESSION_RELEASE))
    ]
    Lifter = Annotated[  # noqa: N806
        Principal, Depends(signed_in(operators, Permission.SUPPRESSION_RELEASE_TEMPORARILY))
    ]
    api = APIRouter(prefix="/api/v1", tags=["protection"])

    async def run(use_case: Callable[..., Any], *args: Any) -> Any:
        return plain(await run_in_threadpool(use_case, *args))

    @api.post("/suppressions", status_code=201, summary="抑止の設定")
    async def set_suppression(form: Form_, principal: Setter) -> Any:
        return await run(protection.set_suppression, form, principal, desk)

    @api.post("/suppressions/{suppression_id}/release", summary="抑止の解除 (told to every system)")
    async def release_suppression(suppression_id: str, principal: Releaser) -> Any:
        return await run(protection.release_suppression, suppression_id, principal, desk)

    @api.post(
        "/suppressions/{suppression_id}/temporary-release",
        summary="一時解除: suppressed again by itself after the minutes given",
    )
    async def release_temporarily(
        suppression_id: str,
        principal: Lifter,
        minutes: Annotated[int | None, Query(ge=1)] = None,
    ) -> Any:
        return await run(protection.release_temporarily, suppression_id, principal, desk, minutes)

    @api.post("/suppressions/{suppression_id}/restore", summary="End a temporary release now")
    async def restore_suppression(suppression_id: str, principal: Lifter) -> Any:
        return await run(protection.restore_suppression, suppression_id, principal, desk)

    @api.get("/residents/{resident_code}/suppressions", summary="A person's suppressions")
    async def suppressions(resident_code: str, principal: Reader) -> Any:
        return await run(protection.suppressions_of, resident_code, principal, desk)

    @api.get("/suppression-feed", summary="Suppression changes after a cursor, for other systems")
    async def feed(principal: Reader, since: Annotated[int, Query(ge=0)] = 0) -> Any:
        events, cursor = await run_in_threadpool(protection.suppression_feed, since, desk)
        return {"events": plain(events), "next": cursor}

    @api.post("/support-measures", status_code=201, summary="支援措置の申出 (provisional at once)")
    async def apply_for_measure(form: Form_, principal: Setter) -> Any:
        return await run(protection_measures.apply_for_measure, form, principal, desk)

    @api.post("/support-measures/{measure_id}/provisional", summary="仮支援措置 until decided")
    async def decide_provisionally(measure_id: str, principal: Setter) -> Any:
        return await run(protection_measures.decide_provisionally, measure_id, principal, desk)

    @api.post("/support-measures/{measure_id}/grant", summary="支援措置の決定 (one year)")
    async def grant_measure(measure_id: str, principal: Setter) -> Any:
        return await run(protection_measures.grant_measure, measure_id, principal, desk)

    @api.post("/support-measures/{measure_id}/extend", summary="延長 (from a month before the end)")
    async def extend_measure(measure_id: str, principal: Setter) -> Any:
        return await run(protection_measures.extend_measure, measure_id, principal, desk)

    @api.post("/support-measures/{measure_id}/refuse", summary="支援措置の不実施")
    async def refuse_measure(measure_id: str, principal: Releaser) -> Any:
        return await run(protection_measures.refuse_measure, measure_id, principal, desk)

    @api.post("/support-measures/{measure_id}/end", summary="支援措置の終了")
    async def end_measure(measure_id: str, principal: Releaser) -> Any:
        return await run(protection_measures.end_measure, measure_id, principal, desk)

    @api.get("/residents/{resident_code}/support-measures", summary="A person's measures")
    async def measures(resident_code: str, principal: Reader) -> Any:
        return await run(protection_measures.measures_of, resident_code, principal, desk)

    @api.get("/protection-alerts", summary="Measures ending, ended, or provisional too long")
    async def alerts(principal: Reader) -> Any:
        return await run(protection_measures.protection_alerts, principal, desk)

    @api.post("/resident-searches", summary="Look a person up by one exact key")
    async def look_up(form: Form_, principal: Reader) -> Any:
        found = await run_in_threadpool(lookups.look_up, form, principal, desk)
        return {"matches": [match.to_wire() for match in found]}

    @api.post("/inspection-lists", summary="閲覧: the four items of a town, the protected left out")
    async def inspection_list(form: Form_, principal: Reader) -> Any:
        return await run(inspection.inspection_list, form, principal, desk)

    return api
