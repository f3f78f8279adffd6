"""The provision network's API for agencies: collect the 機関別符号 derived for them.

An agency (credential registered at this node with ``jukinet agency register … --node
linkage``) names the 取得番号 it used when asking J-LIS; it receives the codes filed under
its own id, once. Another agency's numbers, and numbers already collected, are absent.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from jukinet.nodes.linkage.codes import MAX_COLLECT, collect_codes
from jukinet.nodes.provision.providers import Caller
from jukinet.web.recipient_auth import RecipientAuthenticator


class CollectBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    acquisition_numbers: list[str] = Field(
        description=f"the 取得番号 used with J-LIS (1 to {MAX_COLLECT})", examples=[["A-0001"]]
    )


def router(unit_of_work: Any, auth: RecipientAuthenticator) -> APIRouter:
    api = APIRouter(tags=["agency codes"])
    Agency = Annotated[Caller, Depends(auth.dependency("agency"))]  # noqa: N806

    @api.post("/linkage/v1/codes/collect", summary="機関別符号: collect the codes made for you")
    async def collect(body: CollectBody, caller: Agency) -> dict[str, Any]:
        codes = await run_in_threadpool(
            collect_codes, caller.recipient_id, list(body.acquisition_numbers), unit_of_work
        )
        return {"codes": codes}

    return api
