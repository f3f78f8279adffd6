"""The ASGI application of a node: node-to-node API for every role, clerk API for municipalities."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import anyio.to_thread
from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from jukinet.nodes.municipal.protection import ProtectionDesk
from jukinet.protocol.catalogue import Role
from jukinet.protocol.directory import LINKAGE_ID
from jukinet.web import (
    auth_api,
    card_api,
    copies_api,
    household_api,
    linkage_api,
    node_api,
    online_requests_api,
    problems,
    protection_api,
    provision_api,
    register_api,
    rights_api,
    screens,
)
from jukinet.web.access_middleware import AccessTrail
from jukinet.web.fast_lane import FastLane
from jukinet.web.threads import REQUEST_THREADS

if TYPE_CHECKING:
    from jukinet.bootstrap import Node


def _linkage(node: Node) -> provision_api.Linkage | None:
    """How the national node reaches the provision network, if the directory names one."""
    if node.entry.role is not Role.NATIONAL or LINKAGE_ID not in node.directory.nodes:
        return None
    return provision_api.Linkage(node.peer, node.directory.node(LINKAGE_ID).endpoint)


@asynccontextmanager
async def _serving(_: FastAPI) -> AsyncIterator[None]:
    anyio.to_thread.current_default_thread_limiter().total_tokens = REQUEST_THREADS
    yield


# Routes served by the fast lane (web/fast_lane.py): their handlers read the request
# themselves and need nothing from FastAPI.
HOT_PATHS = (("POST", provision_api.IMMEDIATE_PATH),)


def _hot_routes(app: FastAPI) -> dict[tuple[str, str], Any]:
    """The handlers of ``HOT_PATHS`` this app serves (included routers walked)."""
    routes: list[Any] = []
    for route in app.routes:
        routes.extend(getattr(route, "effective_route_contexts", lambda r=route: [r])())
    return {
        (method, path): route.endpoint
        for route in routes
        for method, path in HOT_PATHS
        if getattr(route, "path", None) == path and method in getattr(route, "methods", ())
    }


def create_app(node: Node) -> FastAPI:
    app = FastAPI(
        title=f"jukinet {node.entry.role.value} node {node.entry.id}",
        version="1",
        description="A node of jukinet, the open Resident Basic Register Network.",
        lifespan=_serving,
    )
    shown = screens.screens_of(node)
    problems.install(app, shown.problem_page)
    if node.operators is not None:  # a staffed node: every operator request is logged
        app.add_middleware(AccessTrail, unit_of_work=node.unit_of_work, clock=node.clock)
    app.include_router(node_api.router(node.receiver))
    if node.operators is not None:
        app.include_router(auth_api.router(node.operators))
        screens.install(app, node, shown)
    if node.supply is not None and node.operators is not None:
        app.include_router(register_api.router(node.supply, node.operators))
        app.include_router(copies_api.router(node.supply, node.operators))
        desk = ProtectionDesk.of(node.supply)
        app.include_router(protection_api.router(desk, node.operators))
        app.include_router(
            online_requests_api.router(node.supply, node.operators, node.authenticator)
        )
    if node.provider is not None and node.authenticator is not None:
        app.include_router(
            provision_api.router(
                node.provider, node.authenticator, node.batch_wake.set, _linkage(node)
            )
        )
    if node.entry.role is Role.NATIONAL and node.provider and node.authenticator:
        app.include_router(household_api.router(node.provider, node.authenticator, node.peer))
    if node.cards is not None and node.authenticator is not None:
        app.include_router(card_api.router(node.cards, node.authenticator))
    if node.entry.role is Role.LINKAGE and node.authenticator is not None:
        app.include_router(linkage_api.router(node.unit_of_work, node.authenticator))
    if node.provider is not None and node.rights is not None and node.operators is not None:
        app.include_router(rights_api.router(node.rights, node.operators, node.authenticator))

    hot = _hot_routes(app)
    if hot:
        app.add_middleware(FastLane, routes=hot)

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
