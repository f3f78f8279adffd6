"""世帯情報の確認 on the national node's recipients' API, for household affairs only.

``POST /provision/v1/same-address`` answers with everyone registered at the address of the
person a search key names; ``POST /provision/v1/household-checks`` with the household and 続柄
of up to 100 people, as their home municipality answers. Requests are signed and refused as in
``provision_api.py`` (403 with the field ``household`` for an affair that allows no household
checks); a home municipality that cannot be reached is 503, one that refuses is 502.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from jukinet.nodes.ports import Peer
from jukinet.nodes.provision.households import (
    HouseholdCheck,
    SameAddressQuery,
    check_household,
    provide_same_address,
)
from jukinet.nodes.provision.providers import Caller, Provider
from jukinet.protocol.catalogue import HouseholdMember
from jukinet.web.provision_api import SearchKeyBody
from jukinet.web.recipient_auth import RecipientAuthenticator


class SameAddressBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    affair: str = Field(description="a household affair's id", examples=["kokumin-nenkin"])
    key: SearchKeyBody


class HouseholdCheckBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    affair: str = Field(description="a household affair's id", examples=["kokumin-nenkin"])
    resident_codes: list[str] = Field(
        description="1 to 100 住民票コード, the applicant's first: their municipality answers",
        examples=[["68775475505", "85927649751"]],
    )


def _member(member: HouseholdMember) -> dict[str, Any]:
    relationship = member.relationship
    return {
        **member.to_wire(),
        "relationship_label": None if relationship is None else relationship.label,
    }


def router(provider: Provider, auth: RecipientAuthenticator, peer: Peer) -> APIRouter:
    api = APIRouter()
    Agency = Annotated[Caller, Depends(auth.dependency("agency"))]  # noqa: N806

    @api.post(
        "/provision/v1/same-address",
        tags=["households"],
        summary="世帯情報の確認: everyone registered at the address of the person named",
    )
    async def same_address(body: SameAddressBody, caller: Agency) -> dict[str, Any]:
        query = SameAddressQuery(body.affair, body.key.model_dump(exclude_none=True))
        answer = await run_in_threadpool(provide_same_address, query, caller, provider)
        return {
            "provision_id": answer.provision_id,
            "person": answer.person,
            "residents": [resident.to_wire() for resident in answer.residents],
        }

    @api.post(
        "/provision/v1/household-checks",
        tags=["households"],
        summary="世帯情報の確認: household and 続柄 of named people, from their municipality",
    )
    async def household_checks(body: HouseholdCheckBody, caller: Agency) -> dict[str, Any]:
        check = HouseholdCheck(body.affair, body.resident_codes)
        answer = await run_in_threadpool(check_household, check, caller, provider, peer)
        return {
            "provision_id": answer.provision_id,
            "municipality_code": answer.municipality_code,
            "members": [_member(member) for member in answer.members],
        }

    return api
