"""The dependency of every screen behind the card sign-in: the live session from the cookie,
the CSRF check on a form that changes something, and what the page needs to renew the
session (see ``sessions.py``)."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import datetime
from urllib.parse import quote

from starlette.requests import Request

from jukinet.portals.resident.sessions import COOKIE, ResidentSession, SessionSeal

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class SignedOut(Exception):
    """No live session: go to the sign-in screen (``ended``: a session was there and ended)."""

    def __init__(self, location: str, ended: bool) -> None:
        self.location = location
        self.ended = ended


class CsrfRefused(Exception):
    """A form that changes something came without this session's CSRF token."""


class ResidentGate:
    def __init__(self, seal: SessionSeal, now: Callable[[], datetime]) -> None:
        self.seal = seal
        self.now = now

    async def __call__(self, request: Request) -> ResidentSession:
        cookie = request.cookies.get(COOKIE, "")
        session = self.seal.open(cookie, self.now())
        if session is None:
            here = request.url.path if request.method == "GET" else "/me"
            raise SignedOut(f"/sign-in?next={quote(here, safe='')}", ended=bool(cookie))
        session = session.seen(self.now())
        request.state.session = session  # the cookie is renewed with the answer
        request.state.csrf = self.seal.csrf(session)
        if request.method in UNSAFE:
            sent = request.headers.get("x-csrf-token") or str(
                (await request.form()).get("csrf") or ""
            )
            if not hmac.compare_digest(sent, request.state.csrf):
                raise CsrfRefused()
        return session


def safe_next(value: object) -> str:
    """Only a path of the portal itself: never a redirect to elsewhere."""
    text = str(value or "")
    if text.startswith("/") and not text.startswith("//") and "\\" not in text:
        return text
    return "/me"
