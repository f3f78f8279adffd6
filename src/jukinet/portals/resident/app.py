"""The resident portal's ASGI app: screens under ``/``, the shared static files under
``/static/``, and one table that turns every failure into a page a resident can read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

import httpx
import structlog
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse

from jukinet.adapters.network.recipient_client import RecipientRequestFailed
from jukinet.portals.resident.gate import CsrfRefused, ResidentGate, SignedOut
from jukinet.portals.resident.nodes import NotConnected, PortalNodes
from jukinet.portals.resident.sessions import COOKIE, SessionSeal
from jukinet.web.screens.rendering import STATIC, MenuItem, Screens, is_fragment, language

log = structlog.get_logger("jukinet.portal")

MENU = (
    MenuItem("portal.menu.me", "/me"),
    MenuItem("portal.menu.provisions", "/provisions"),
    MenuItem("portal.menu.disclosures", "/disclosures"),
    MenuItem("portal.menu.corrections", "/corrections"),
    MenuItem("portal.menu.code_change", "/code-change"),
    MenuItem("portal.menu.move_out", "/move-out"),
)


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...


class PortalScreens(Screens):
    """The shared renderer with the portal's own layout, menu and error page."""

    def render(self, request: Request, template: str, context: Mapping[str, Any]) -> str:
        session = getattr(request.state, "session", None)
        values = {
            "app_name": self.catalogue.text("portal.app_name", language(request)),
            "layout": "fragment.html" if is_fragment(request) else "portal/layout.html",
            "resident": session,
            "portal_menu": MENU if session is not None else (),
            **context,
        }
        return super().render(request, template, values)

    def problem_page(
        self, request: Request, status: int, title: str, extra: Mapping[str, Any]
    ) -> HTMLResponse:
        key = f"problem.{title}"
        known = key in self.catalogue.texts
        context = {
            "status": status,
            "title": self.catalogue.text(key, language(request)) if known else title,
            "field": extra.get("field") or "",
            "detail": extra.get("detail") or "",
        }
        return self.page(request, "portal/error.html", context, status=status)


@dataclass(frozen=True)
class ResidentPortal:
    """Everything a screen of the portal needs."""

    nodes: PortalNodes
    seal: SessionSeal
    screens: PortalScreens
    clock: Clock
    gate: ResidentGate


def create_resident_portal(nodes: PortalNodes, key: bytes, clock: Clock) -> FastAPI:
    """The portal over ``nodes`` (its registrations at the card node, the national node and
    the municipalities), sealing sessions with ``key`` (32 bytes, ``sessions.portal_key``)."""
    from jukinet.portals.resident import account, requests

    seal = SessionSeal(key)
    screens = PortalScreens("jukinet", MENU, lock_minutes=0)  # titled from the catalogue
    portal = ResidentPortal(nodes, seal, screens, clock, ResidentGate(seal, clock.now))
    app = FastAPI(title="jukinet resident portal", docs_url=None, redoc_url=None, openapi_url=None)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _install_handlers(app, screens)
    app.middleware("http")(_renewing(seal))
    app.include_router(account.router(portal))
    app.include_router(requests.router(portal))
    return app


def _renewing(
    seal: SessionSeal,
) -> Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]:
    """Renew the session cookie with every answer of a signed-in screen (the idle limit counts
    from the last request), unless the answer itself set or cleared it."""

    async def renew(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Any:
        response = await call_next(request)
        session = getattr(request.state, "session", None)
        if session is not None and not getattr(request.state, "cookie_set", False):
            set_session_cookie(request, response, seal.seal(session))
        return response

    return renew


def set_session_cookie(request: Request, response: Response, value: str) -> None:
    response.set_cookie(
        COOKIE,
        value,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    request.state.cookie_set = True


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(COOKIE, path="/")
    request.state.cookie_set = True


def redirect(request: Request, location: str) -> Response:
    """A redirect that HTMX follows as a whole-page navigation too."""
    if request.headers.get("hx-request") == "true":
        return Response(status_code=204, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


# A node's refusal the resident cannot act on is the portal's failure, not theirs.
NODE_FAILURES = {401: 502, 403: 502, 411: 502, 413: 502}


def _install_handlers(app: FastAPI, screens: PortalScreens) -> None:
    async def signed_out(request: Request, error: Exception) -> Response:
        assert isinstance(error, SignedOut)
        response = redirect(request, error.location + ("&ended=1" if error.ended else ""))
        if error.ended:
            clear_session_cookie(request, response)
        return response

    async def csrf_refused(request: Request, _: Exception) -> Response:
        return screens.problem_page(request, 403, "csrf-refused", {"field": "csrf"})

    async def node_refused(request: Request, error: Exception) -> Response:
        assert isinstance(error, RecipientRequestFailed)
        status = NODE_FAILURES.get(error.status, error.status)
        if status == 502:
            log.warning("a node refused the portal", status=error.status, problem=error.problem)
            return screens.problem_page(request, 502, "portal-refused", {})
        problem = error.problem
        title = str(problem.get("title", ""))
        if f"problem.{title}" not in screens.catalogue.texts:
            title = "portal-node-refused"
        return screens.problem_page(request, status, title, problem)

    async def unreachable(request: Request, error: Exception) -> Response:
        log.warning("a node could not be reached", error=repr(error))
        return screens.problem_page(request, 503, "peer unavailable", {})

    async def not_connected(request: Request, error: Exception) -> Response:
        return screens.problem_page(request, 404, "not-connected", {})

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        return screens.problem_page(request, error.status_code, str(error.detail), {})

    async def unexpected(request: Request, error: Exception) -> Response:
        log.exception("unexpected error", error=repr(error))
        return screens.problem_page(request, 500, "internal error", {})

    app.add_exception_handler(SignedOut, signed_out)
    app.add_exception_handler(CsrfRefused, csrf_refused)
    app.add_exception_handler(RecipientRequestFailed, node_refused)
    app.add_exception_handler(httpx.HTTPError, unreachable)
    app.add_exception_handler(NotConnected, not_connected)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)
