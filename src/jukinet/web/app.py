"""The ASGI application of a node: node-to-node API for every role, clerk API for municipalities."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from jukinet.web import node_api, problems, provision_api, register_api

if TYPE_CHECKING:
    from jukinet.bootstrap import Node


def create_app(node: Node) -> FastAPI:
    app = FastAPI(
        title=f"jukinet {node.entry.role.value} node {node.entry.id}",
        version="1",
        description="A node of jukinet, the open Resident Basic Register Network.",
    )
    problems.install(app)
    app.include_router(node_api.router(node.receiver))
    if node.supply is not None and node.tokens is not None:
        app.include_router(register_api.router(node.supply, node.tokens))
    if node.provider is not None and node.authenticator is not None:
        app.include_router(
            provision_api.router(node.provider, node.authenticator, node.batch_wake.set)
        )

    @app.get("/health", tags=["operations"])
    async def health() -> dict[str, Any]:
        backlog = await run_in_threadpool(node.outbox.backlog)
        set_aside = await run_in_threadpool(node.outbox.set_aside_count)
        return {
            "node": node.entry.id,
            "role": node.entry.role.value,
            "outbox_backlog": backlog,
            "outbox_refused": set_aside,
        }

    return app
