"""Staff screens' sessions: sign-in, the screen lock and sign-out, in the browser.

The browser holds the operator's session token (the same session as ``POST /auth/v1/sessions``
gives an API client) in the ``jukinet_session`` cookie: HttpOnly (no script reads it),
SameSite=Strict (no other site's page sends it), Secure when served over TLS. Every form and
HTMX request that changes something also carries the session's CSRF token (the hidden
``csrf`` field, or the ``X-CSRF-Token`` header that ``jukinet.js`` adds), derived from the
session token, so a request made without the page cannot pass.

:class:`StaffGate` is the dependency of every staff screen, as ``signed_in`` is of the API: no
session → the sign-in screen; a locked session → the lock screen; a role without the
permission → a 403 page naming it. It leaves the principal and the permission on
``request.state`` for the access log, which logs every ``/ui/`` request like an API one.

The screen lock: ``jukinet.js`` locks the session (``POST /ui/lock-now``) after the policy's
inactivity limit without a key or pointer event, and hides the page at once; the server locks
an idle session by itself anyway. Password and a fresh one-time code re-open the same session.
"""

import hashlib
import hmac
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from jukinet.domain.operators import (
    NotSignedIn,
    Permission,
    Principal,
    SessionLocked,
    SignInRefused,
)
from jukinet.nodes.operators import sessions
from jukinet.nodes.operators.offices import OperatorOffice
from jukinet.web.screens.forms import posted
from jukinet.web.screens.rendering import Screens, menu_for

SESSION_COOKIE = "jukinet_session"
TERMINAL_COOKIE = "jukinet_terminal"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ScreenRedirect(Exception):
    """Leave this screen for another (the sign-in or the lock screen)."""

    def __init__(self, location: str) -> None:
        self.location = location


def csrf_token(session_token: str) -> str:
    return hashlib.sha256(b"jukinet-csrf\0" + session_token.encode()).hexdigest()[:32]


def redirect(request: Request, location: str) -> Response:
    """A redirect that HTMX follows as a whole-page navigation too."""
    if request.headers.get("hx-request") == "true":
        return Response(status_code=204, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


def _here(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return quote(target if request.method == "GET" else "/ui/", safe="")


def _safe_next(value: str | None) -> str:
    """Only a path of this site: never a redirect to elsewhere."""
    if value and value.startswith("/ui/") and not value.startswith("//"):
        return value
    return "/ui/"


class StaffGate:
    """The dependency of a staff screen needing ``permission`` (``None``: any operator)."""

    def __init__(self, office: OperatorOffice, permission: Permission | None) -> None:
        self.office = office
        self.permission = permission

    async def __call__(self, request: Request) -> Principal:
        token = request.cookies.get(SESSION_COOKIE, "")
        try:
            principal = await run_in_threadpool(sessions.authenticate, token, self.office)
        except SessionLocked:
            raise ScreenRedirect(f"/ui/lock?next={_here(request)}") from None
        except NotSignedIn:
            raise ScreenRedirect(f"/ui/sign-in?next={_here(request)}") from None
        request.state.principal = principal
        request.state.permission = self.permission
        request.state.csrf = csrf_token(token)
        if request.method in UNSAFE:
            sent = request.headers.get("x-csrf-token") or str(
                (await request.form()).get("csrf") or ""
            )
            if not hmac.compare_digest(sent, request.state.csrf):
                raise CsrfRefused()
        if self.permission is not None:
            principal.require(self.permission)  # NotPermitted → the 403 page
        return principal


class CsrfRefused(Exception):
    """A state-changing request without this session's CSRF token."""


def router(office: OperatorOffice, screens: Screens) -> APIRouter:
    """Sign-in, lock, unlock, sign-out and the home screen listing what this operator may do."""
    ui = APIRouter(prefix="/ui", include_in_schema=False)
    Anyone = Annotated[Principal, Depends(StaffGate(office, None))]  # noqa: N806

    def sign_in_page(request: Request, status: int = 200, refused: bool = False) -> Response:
        context = {
            "next": _safe_next(request.query_params.get("next")),
            "terminal": request.cookies.get(TERMINAL_COOKIE, ""),
            "refused": refused,
        }
        return screens.page(request, "staff/sign_in.html", context, status=status)

    @ui.get("/sign-in")
    async def sign_in_form(request: Request) -> Response:
        return sign_in_page(request)

    @ui.post("/sign-in")
    async def sign_in(request: Request) -> Response:
        form = await posted(request)
        cmd = sessions.SignIn(
            str(form.get("operator_id", ""))[:200],
            str(form.get("password", ""))[:1000],
            str(form.get("code", ""))[:20],
            str(form.get("terminal", ""))[:200],
        )
        try:
            done = await run_in_threadpool(sessions.sign_in, cmd, office)
        except SignInRefused:
            return sign_in_page(request, status=401, refused=True)
        response = redirect(request, _safe_next(str(form.get("next", ""))))
        secure = request.url.scheme == "https"
        response.set_cookie(
            SESSION_COOKIE, done.token, httponly=True, samesite="strict", secure=secure, path="/"
        )
        response.set_cookie(
            TERMINAL_COOKIE, cmd.terminal, samesite="strict", secure=secure, max_age=10**8
        )
        return response

    @ui.get("/lock")
    async def lock_form(request: Request) -> Response:
        token = request.cookies.get(SESSION_COOKIE, "")
        try:
            session, account = await run_in_threadpool(sessions.current_session, token, office)
        except NotSignedIn:
            return redirect(request, "/ui/sign-in")
        context = {
            "operator_id": account.operator_id,
            "terminal": session.terminal,
            "next": _safe_next(request.query_params.get("next")),
            "refused": False,
        }
        return screens.page(request, "staff/lock.html", context)

    @ui.post("/lock")
    async def unlock(request: Request) -> Response:
        token = request.cookies.get(SESSION_COOKIE, "")
        form = await posted(request)
        password, code = str(form.get("password", ""))[:1000], str(form.get("code", ""))[:20]
        try:
            await run_in_threadpool(sessions.unlock_session, token, password, code, office)
        except SignInRefused:
            try:
                session, account = await run_in_threadpool(sessions.current_session, token, office)
            except NotSignedIn:  # the failure locked the account out: the session is over
                return redirect(request, "/ui/sign-in")
            context = {
                "operator_id": account.operator_id,
                "terminal": session.terminal,
                "next": _safe_next(str(form.get("next", ""))),
                "refused": True,
            }
            return screens.page(request, "staff/lock.html", context, status=401)
        except NotSignedIn:
            return redirect(request, "/ui/sign-in")
        return redirect(request, _safe_next(str(form.get("next", ""))))

    @ui.post("/lock-now")
    async def lock_now(request: Request) -> Response:
        token = request.cookies.get(SESSION_COOKIE, "")
        if not hmac.compare_digest(request.headers.get("x-csrf-token", ""), csrf_token(token)):
            raise CsrfRefused()
        try:
            await run_in_threadpool(sessions.lock_session, token, office)
        except NotSignedIn:
            return redirect(request, "/ui/sign-in")
        return redirect(
            request, f"/ui/lock?next={quote(_safe_next(request.query_params.get('next')), safe='')}"
        )

    @ui.post("/sign-out")
    async def sign_out(request: Request, who: Anyone) -> Response:
        token = request.cookies.get(SESSION_COOKIE, "")
        await run_in_threadpool(sessions.sign_out, token, office)
        response = redirect(request, "/ui/sign-in")
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @ui.get("/")
    async def home(request: Request, who: Anyone) -> Response:
        items = [i for i in menu_for(who, screens.menu) if i.path != "/ui/"]
        return screens.page(request, "staff/home.html", {"items": items})

    return ui


def install_handlers(app: FastAPI, screens: Screens) -> None:
    """Turn the gate's outcomes into answers: redirects, and the CSRF refusal as a 403 page."""

    async def leave(request: Request, error: Exception) -> Response:
        assert isinstance(error, ScreenRedirect)
        return redirect(request, error.location)

    async def refuse(request: Request, _: Exception) -> Response:
        return screens.problem_page(request, 403, "csrf-refused", {"field": "csrf"})

    app.add_exception_handler(ScreenRedirect, leave)
    app.add_exception_handler(CsrfRefused, refuse)
