"""Residents' online requests at a municipality: the resident portal's API and the clerk's.

A resident portal (a recipient of kind ``portal`` registered at this municipality, signing
every request) files for the resident it signed in with the card:

| endpoint | what it does |
|---|---|
| ``POST /resident/v1/special-move-outs`` → 201 | 特例転出 online: ``resident_code``, ``card_number``, ``destination_code``, ``destination``, ``planned_on``, ``visit_planned_on`` |
| ``POST /resident/v1/resident-code-change-requests`` → 201 | 住民票コードの変更請求 ``{"resident_code"}``, pending for the window |
| ``POST /resident/v1/online-request-records`` | the requests this portal filed for ``{"resident_code"}`` |

Clerks (``register.change``, bearer session) see what waits under ``GET /api/v1/online-requests``
and complete a code change with ``POST /api/v1/online-requests/{id}/completion``, the resident
present. Errors are problem+json naming the field.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends
from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool

from jukinet.domain.online_requests import OnlineRequest
from jukinet.domain.operators import Permission, Principal
from jukinet.nodes.municipal import online_requests
from jukinet.nodes.municipal.codes import CodeSupply
from jukinet.nodes.operators.offices import OperatorOffice
from jukinet.nodes.provision.providers import Caller
from jukinet.web.operator_auth import signed_in
from jukinet.web.recipient_auth import RecipientAuthenticator


class ResidentBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resident_code: str


def request_wire(request: OnlineRequest) -> dict[str, Any]:
    return {
        "request_id": request.request_id,
        "kind": request.kind.value,
        "resident_code": request.resident_code,
        "portal": request.portal,
        "filed_by": request.filed_by,
        "filed_at": request.filed_at.isoformat(),
        "state": request.state.value,
        "completed_at": None if request.completed_at is None else request.completed_at.isoformat(),
        "completed_by": request.completed_by,
    }


def router(
    supply: CodeSupply, operators: OperatorOffice, auth: RecipientAuthenticator | None
) -> APIRouter:
    api = APIRouter()
    api.include_router(_clerk_routes(supply, operators))
    if auth is not None:
        api.include_router(_portal_routes(supply, auth))
    return api


def _portal_routes(supply: CodeSupply, auth: RecipientAuthenticator) -> APIRouter:
    api = APIRouter(prefix="/resident/v1", tags=["residents"])
    Portal = Annotated[Caller, Depends(auth.dependency("portal"))]  # noqa: N806

    @api.post("/special-move-outs", status_code=201, summary="特例転出 online (card holder)")
    async def move_out(
        caller: Portal, form: Annotated[dict[str, Any], Body(description="the move-out")]
    ) -> dict[str, Any]:
        done = await run_in_threadpool(online_requests.file_online_move_out, form, caller, supply)
        return {
            "resident_codes": list(done.result.resident_codes),
            "destination_code": done.result.destination_code,
            "planned_on": done.planned_on.isoformat(),
            "visit_planned_on": done.visit_planned_on.isoformat(),
            "move_in_by": done.move_in_by.isoformat(),
        }

    @api.post(
        "/resident-code-change-requests",
        status_code=201,
        summary="住民票コードの変更請求 online, completed at the window",
    )
    async def code_change(body: ResidentBody, caller: Portal) -> dict[str, Any]:
        filed = await run_in_threadpool(
            online_requests.file_code_change_request, body.resident_code, caller, supply
        )
        return request_wire(filed)

    @api.post("/online-request-records", summary="The requests this portal filed for a resident")
    async def records(body: ResidentBody, caller: Portal) -> dict[str, Any]:
        found = await run_in_threadpool(
            online_requests.online_requests_of, body.resident_code, caller, supply
        )
        return {"requests": [request_wire(request) for request in found]}

    return api


def _clerk_routes(supply: CodeSupply, operators: OperatorOffice) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["register"])
    Operator = Annotated[Principal, Depends(signed_in(operators, Permission.REGISTER_CHANGE))]  # noqa: N806

    @api.get("/online-requests", summary="Residents' online requests waiting for the window")
    async def pending(who: Operator) -> dict[str, Any]:
        found = await run_in_threadpool(online_requests.pending_online_requests, supply)
        return {"requests": [request_wire(request) for request in found]}

    @api.post(
        "/online-requests/{request_id}/completion",
        summary="住民票コードの変更, done at the window for an online request",
    )
    async def complete(request_id: str, who: Operator) -> dict[str, Any]:
        done, new_code = await run_in_threadpool(
            online_requests.complete_code_change, request_id, who.operator_id, supply
        )
        return {**request_wire(done), "new_resident_code": new_code}

    return api
