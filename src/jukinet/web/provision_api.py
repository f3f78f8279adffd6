"""The recipients' API of a providing node (national: 別表第一; prefecture: 別表第二〜第六).

Every request is signed with a registered credential (``recipient_auth.py``) and names its
operator. Agencies ask with ``/provision/v1/...``; resident portals ask on a resident's
behalf with ``/resident/v1/...``. Refusals are problem+json: 401 (credential), 403 (outside
the law, with the reason), 422 (a field, or "narrow your search").
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from jukinet.nodes.provision.immediate import IdentityQuery, provide_identity
from jukinet.nodes.provision.providers import Caller, Provider
from jukinet.nodes.provision.records import provision_records
from jukinet.web.recipient_auth import RecipientAuthenticator


class SearchKeyBody(BaseModel):
    """Exactly one of: resident_code; my_number; name + birth_date + sex (+ address);
    kana + birth_date + sex. No wildcards, no partial values."""

    model_config = ConfigDict(extra="forbid")

    resident_code: str | None = Field(None, examples=["18293746509"])
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


class PersonBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    my_number: str | None = None
    resident_code: str | None = None


def router(provider: Provider, auth: RecipientAuthenticator) -> APIRouter:
    api = APIRouter()
    Agency = Annotated[Caller, Depends(auth.dependency("agency"))]  # noqa: N806
    Portal = Annotated[Caller, Depends(auth.dependency("portal"))]  # noqa: N806

    @api.post("/provision/v1/identity-queries", tags=["provision"], summary="即時提供")
    async def identity_query(body: QueryBody, caller: Agency) -> dict[str, Any]:
        query = IdentityQuery(body.affair, body.key.model_dump(exclude_none=True), body.history)
        answer = await run_in_threadpool(provide_identity, query, caller, provider)
        return {
            "provision_id": answer.provision_id,
            "matches": [person.to_wire() for person in answer.people],
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
