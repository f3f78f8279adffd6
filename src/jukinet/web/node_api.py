"""The node-to-node endpoint: one POST that takes a signed envelope and answers a signed one."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from jukinet.nodes.inbound import Receiver


def router(receiver: Receiver) -> APIRouter:
    api = APIRouter(tags=["node-to-node"])

    @api.post("/v1/envelopes", summary="Deliver a signed envelope")
    async def receive(request: Request) -> Response:
        raw = await request.body()
        response = await run_in_threadpool(receiver.handle, raw)
        return Response(response.to_bytes(), media_type="application/json")

    return api
