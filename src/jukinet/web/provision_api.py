"""The recipients' API of a providing node (national: 別表第一; prefecture: 別表第二〜第六).

Every request is signed with a registered credential (``recipient_auth.py``) and names its
operator. Agencies ask with ``/provision/v1/...``; resident portals ask on a resident's
behalf with ``/resident/v1/...``. Refusals are problem+json: 401 (credential), 403 (outside
the law, with the reason), 422 (a field, or "narrow your search").
"""

import io
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from jukinet.domain.provision import Channel
from jukinet.nodes.ports import BatchTicket, Peer
from jukinet.nodes.provision.agency_codes import AgencyCodeQuery, request_agency_code
from jukinet.nodes.provision.batch_input import BatchFormat
from jukinet.nodes.provision.batches import (
    BatchRequest,
    batch_results,
    batch_status,
    receive_batch,
)
from jukinet.nodes.provision.immediate import IdentityQuery, provide_identity
from jukinet.nodes.provision.providers import Caller, Provider
from jukinet.nodes.provision.records import provision_records
from jukinet.web.recipient_auth import RecipientAuthenticator
from jukinet.web.threads import run_hot


class SearchKeyBody(BaseModel):
    """Exactly one of: resident_code; my_number; name + birth_date + sex (+ address);
    kana + birth_date + sex. No wildcards, no partial values."""

    model_config = ConfigDict(extra="forbid")

    resident_code: str | None = Field(None, examples=["18293746504"])
    my_number: str | None = None
    name: str | None = Field(None, examples=["髙橋 一郎"])
    kana: str | None = Field(None, examples=["タカハシ イチロウ"])
    birth_date: str | None = Field(None, examples=["1960-04-01"])
    sex: str | None = Field(None, examples=["male"])
    address: str | None = None


class QueryBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    affair: str = Field(
        description="the affair's id in the legal registry", examples=["kokumin-nenkin"]
    )
    key: SearchKeyBody
    history: bool = Field(False, description="also return every version held, oldest first")


class AgencyCodeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    affair: str = Field(description="the affair's id in the legal registry")
    key: SearchKeyBody
    acquisition_number: str = Field(
        description="取得番号: your own number for this person in this request; never a "
        "個人番号 or 住民票コード",
        examples=["A-2026-000001"],
    )


@dataclass(frozen=True, slots=True)
class Linkage:
    """The provision network's code component, as the national node reaches it."""

    peer: Peer
    endpoint: str


class PersonBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    my_number: str | None = None
    resident_code: str | None = None


def _inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema with its nested models written in place, so it stands on its
    own inside the OpenAPI document (no ``#/$defs`` references to resolve)."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            reference = node.get("$ref", "")
            if reference.startswith("#/$defs/"):
                return resolve(definitions[reference.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


def _query_body(raw: bytes) -> QueryBody:
    """The body of an identity query, or 422 naming the field, as FastAPI would answer."""
    try:
        return QueryBody.model_validate_json(raw)
    except ValidationError as error:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in error.errors()]
        ) from None


def _ticket(ticket: BatchTicket) -> dict[str, Any]:
    return {
        "batch_id": ticket.batch_id,
        "affair": ticket.affair_id,
        "channel": ticket.channel,
        "state": ticket.state,
        "rows_total": ticket.rows_total,
        "rows_done": ticket.rows_done,
        "received_at": ticket.received_at.isoformat(),
        "finished_at": ticket.finished_at.isoformat() if ticket.finished_at else None,
        "problem": ticket.problem,
    }


IMMEDIATE_PATH = "/provision/v1/identity-queries"


def router(
    provider: Provider,
    auth: RecipientAuthenticator,
    wake: Callable[[], None] | None = None,
    linkage: Linkage | None = None,
) -> APIRouter:
    api = APIRouter()
    Agency = Annotated[Caller, Depends(auth.dependency("agency"))]  # noqa: N806
    Portal = Annotated[Caller, Depends(auth.dependency("portal"))]  # noqa: N806

    @api.post(
        IMMEDIATE_PATH,
        tags=["provision"],
        summary="即時提供",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _inline_schema(QueryBody)}},
            }
        },
    )
    async def identity_query(request: Request) -> Response:
        # The hot path: no FastAPI body model, dependency or response encoding; the same
        # checks, done directly (a quarter of the CPU per answer went to that machinery).
        caller = await auth.caller_of(request, "agency")
        body = _query_body(await request.body())
        query = IdentityQuery(body.affair, body.key.model_dump(exclude_none=True), body.history)
        answer = await run_hot(provide_identity, query, caller, provider)
        document = {
            "provision_id": answer.provision_id,
            "matches": [person.to_wire() for person in answer.people],
        }
        return Response(orjson.dumps(document), media_type="application/json")

    @api.post(
        "/provision/v1/batches",
        tags=["provision"],
        status_code=202,
        summary="一括提供: upload a file of keys (CSV or JSON Lines, UTF-8 or Shift_JIS)",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "text/csv": {"schema": {"type": "string", "format": "binary"}},
                    "application/x-ndjson": {"schema": {"type": "string", "format": "binary"}},
                },
            }
        },
    )
    async def submit_batch(
        request: Request,
        caller: Agency,
        affair: Annotated[str, Query(description="the affair's id in the legal registry")],
        format: Annotated[BatchFormat, Query(description="csv or jsonl")] = BatchFormat.CSV,
        encoding: Annotated[
            str | None, Query(description="utf-8, shift_jis or cp932; detected when absent")
        ] = None,
        history: Annotated[bool, Query(description="also return every version held")] = False,
    ) -> dict[str, Any]:
        body = await request.body()
        batch = BatchRequest(affair, Channel.NETWORK_BATCH, format, encoding, history)
        ticket = await run_in_threadpool(receive_batch, batch, io.BytesIO(body), caller, provider)
        if wake is not None:
            wake()
        return _ticket(ticket)

    @api.get("/provision/v1/batches/{batch_id}", tags=["provision"], summary="Batch progress")
    async def batch(batch_id: str, caller: Agency) -> dict[str, Any]:
        return _ticket(await run_in_threadpool(batch_status, batch_id, caller, provider))

    @api.get(
        "/provision/v1/batches/{batch_id}/result",
        tags=["provision"],
        summary="The answer to every row, as JSON Lines (409 until the batch is done)",
        response_class=StreamingResponse,
    )
    async def batch_result(batch_id: str, caller: Agency) -> StreamingResponse:
        first = await run_in_threadpool(batch_results, batch_id, caller, provider)

        async def lines() -> AsyncIterator[bytes]:
            page = first
            while page:
                yield "".join(r.content + "\n" for r in page).encode()
                page = await run_in_threadpool(
                    batch_results, batch_id, caller, provider, page[-1].number
                )

        return StreamingResponse(lines(), media_type="application/x-ndjson")

    if linkage is not None:

        @api.post(
            "/provision/v1/agency-codes",
            tags=["provision"],
            status_code=202,
            summary="機関別符号: have the provision network make your code for one person",
        )
        async def agency_code(body: AgencyCodeBody, caller: Agency) -> dict[str, Any]:
            query = AgencyCodeQuery(
                body.affair, body.key.model_dump(exclude_none=True), body.acquisition_number
            )
            provision_id = await run_in_threadpool(
                request_agency_code, query, caller, provider, linkage.peer
            )
            return {
                "provision_id": provision_id,
                "acquisition_number": body.acquisition_number,
                "collect_from": linkage.endpoint + "/linkage/v1/codes/collect",
            }

    @api.post(
        "/resident/v1/provision-records",
        tags=["residents"],
        summary="提供状況の開示: who received this resident's identity information",
    )
    async def records(body: PersonBody, caller: Portal) -> dict[str, Any]:
        lines = await run_in_threadpool(
            provision_records, body.model_dump(exclude_none=True), caller, provider
        )
        return {"records": [line.to_wire() for line in lines]}

    return api
