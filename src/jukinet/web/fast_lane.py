"""The fast lane: a node's hottest route answered without the framework around it.

Immediate provision (``POST /provision/v1/identity-queries``) is the one route agencies call
thousands of times a second. Its handler already reads the request itself (no body model, no
dependency). Through FastAPI it still paid for routing among every route of the node, the
exception and exit-stack middlewares and the request/response adapters: about a fifth of the
CPU of an answer (bench/provision.py, ``--profile``). This middleware sends a request for one
of its routes straight to the handler, with the same problem+json answers for errors
(``problems.answer_of``), and everything else on to the app.

The route stays declared in the app, so it is in the OpenAPI document and in the permission
matrix, and a request with another method still gets the app's 405.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jukinet.web.problems import answer_of

Handler = Callable[[Request], Awaitable[Response]]


class FastLane:
    """ASGI middleware; ``routes`` maps ``(method, path)`` to the route's own handler."""

    def __init__(self, app: Any, routes: Mapping[tuple[str, str], Handler]) -> None:
        self.app = app
        self.routes = dict(routes)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        handler = None
        if scope["type"] == "http":
            handler = self.routes.get((scope["method"], scope["path"]))
        if handler is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            response = await handler(request)
        except Exception as error:  # the same answers as the app's handlers give
            response = answer_of(error)
        await response(scope, receive, send)
