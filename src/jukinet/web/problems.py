"""The one table that turns every error into an HTTP status and an RFC 9457 problem body.

Domain errors name the field and the problem; protocol refusals give a stable ``reason``;
port errors say which peer failed. Anything else is a bug: it is logged and answered 500
without internals.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from jukinet.domain.errors import (
    CodesExhausted,
    Conflict,
    DomainError,
    InvalidValue,
    NotFound,
    UnknownMunicipality,
)
from jukinet.domain.operators import NotPermitted
from jukinet.domain.provision import NarrowYourSearch, ProvisionNotPermitted
from jukinet.nodes.ports import PeerRejected, PeerUnavailable
from jukinet.protocol.errors import (
    BadSignature,
    MalformedEnvelope,
    ProtocolError,
    ReplayedEnvelope,
    RouteRefused,
    StaleEnvelope,
    UnknownMessageType,
    UnknownSender,
    WrongRecipient,
)

log = structlog.get_logger("jukinet.web")

PROBLEM = "application/problem+json"

DOMAIN_STATUS: dict[type[DomainError], int] = {
    ProvisionNotPermitted: 403,
    NotPermitted: 403,
    NarrowYourSearch: 422,
    InvalidValue: 422,
    UnknownMunicipality: 422,
    NotFound: 404,
    Conflict: 409,
    CodesExhausted: 503,
}

PROTOCOL_STATUS: dict[type[ProtocolError], int] = {
    MalformedEnvelope: 400,
    UnknownMessageType: 400,
    StaleEnvelope: 400,
    WrongRecipient: 421,
    BadSignature: 401,
    UnknownSender: 403,
    RouteRefused: 403,
    ReplayedEnvelope: 409,
}


def _status(error: Exception, table: dict[Any, int], default: int) -> int:
    for kind in type(error).__mro__:
        if kind in table:
            return table[kind]
    return default


def status_of(error: DomainError) -> int:
    """The status the API answers a refusal with (422 when the table names none)."""
    return _status(error, DOMAIN_STATUS, 422)


def problem(status: int, title: str, **extra: object) -> JSONResponse:
    return JSONResponse({"status": status, "title": title, **extra}, status, media_type=PROBLEM)


def problem_of(error: Exception) -> tuple[int, str, dict[str, Any]]:
    """The status, title and further members of the problem that answers ``error``."""
    if isinstance(error, DomainError):
        status = _status(error, DOMAIN_STATUS, 422)
        return status, error.kind, {"field": error.field, "detail": error.problem}
    if isinstance(error, ProtocolError):
        status = _status(error, PROTOCOL_STATUS, 400)
        return status, "envelope refused", {"reason": error.reason, "detail": error.detail}
    if isinstance(error, PeerUnavailable):
        return 503, "peer unavailable", {"detail": str(error)}
    if isinstance(error, PeerRejected):
        return 502, "peer refused", {"reason": error.reason, "detail": error.detail}
    if isinstance(error, RequestValidationError):
        first = error.errors()[0] if error.errors() else {}
        # For JSON that does not parse, the location ends with a character offset, not a name.
        names = [str(p) for p in first.get("loc", ())[1:] if not isinstance(p, int)]
        detail = first.get("msg", "invalid request")
        return 422, "invalid-value", {"field": ".".join(names) or "body", "detail": detail}
    if isinstance(error, StarletteHTTPException):
        return error.status_code, str(error.detail), {}
    log.exception("unexpected error", error=repr(error))
    return 500, "internal error", {"detail": "the error was logged; nothing was written"}


def answer_of(error: Exception) -> Response:
    """``error`` as problem+json (for code answering outside FastAPI's handlers)."""
    status, title, extra = problem_of(error)
    response = problem(status, title, **extra)
    if isinstance(error, StarletteHTTPException):
        response.headers.update(error.headers or {})
    return response


# The screens answer the same problems as pages: (request, status, title, extra) → a page.
ProblemPage = Callable[[Request, int, str, dict[str, Any]], Response]

HANDLED = (
    DomainError,
    ProtocolError,
    PeerUnavailable,
    PeerRejected,
    RequestValidationError,
    StarletteHTTPException,
    Exception,
)


def install(app: FastAPI, page: ProblemPage | None = None, page_prefix: str = "/ui") -> None:
    """Answer every error as problem+json; under ``page_prefix``, when ``page`` is given, as
    the screens' error page with the same status, title, field and detail."""

    async def answer(request: Request, error: Exception) -> Response:
        if page is not None and request.url.path.startswith(page_prefix):
            status, title, extra = problem_of(error)
            response = page(request, status, title, extra)
            if isinstance(error, StarletteHTTPException):
                response.headers.update(error.headers or {})
            return response
        return answer_of(error)

    for kind in HANDLED:
        app.add_exception_handler(kind, answer)
