"""Who is asking: the signed-in operator behind ``Authorization: Bearer <session token>``.

``signed_in(operators, permission)`` is the FastAPI dependency every staff endpoint uses. It
answers 401 ``not-signed-in`` (with ``WWW-Authenticate: Bearer``) for a missing, unknown or
ended session, 401 ``session-locked`` for a session idle past the screen-lock limit, and 403
``not-permitted`` naming the permission when the operator's roles lack it. The
:class:`Principal` is left on ``request.state.principal`` (refusals included, once known), for
the access log. ``permission=None`` admits any signed-in operator (their own session).
"""

from typing import Annotated

from fastapi import Header, HTTPException, Request

from jukinet.domain.operators import NotSignedIn, Permission, Principal, SessionLocked
from jukinet.nodes.operators.offices import OperatorOffice
from jukinet.nodes.operators.sessions import authenticate

CHALLENGE = {"WWW-Authenticate": "Bearer"}
LOCKED_CHALLENGE = {"WWW-Authenticate": 'Bearer error="session_locked"'}


def bearer_token(authorization: str | None) -> str:
    """The token of a ``Bearer`` authorization header, or ``""``."""
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


class OperatorGuard:
    """A dependency bound to one permission; ``permission`` is public so that tests can check
    that every staff endpoint names one."""

    def __init__(self, operators: OperatorOffice, permission: Permission | None) -> None:
        self.operators = operators
        self.permission = permission

    def __call__(
        self, request: Request, authorization: Annotated[str | None, Header()] = None
    ) -> Principal:
        # A sync dependency: FastAPI runs it in a worker thread, as the store wants.
        try:
            principal = authenticate(bearer_token(authorization), self.operators)
        except SessionLocked:
            raise HTTPException(401, "session-locked", LOCKED_CHALLENGE) from None
        except NotSignedIn:
            raise HTTPException(401, "not-signed-in", CHALLENGE) from None
        request.state.principal = principal
        request.state.permission = self.permission
        if self.permission is not None:
            principal.require(self.permission)
        return principal


def signed_in(operators: OperatorOffice, permission: Permission | None) -> OperatorGuard:
    """The dependency that admits operators whose roles grant ``permission``."""
    return OperatorGuard(operators, permission)
