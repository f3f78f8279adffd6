"""Authenticating recipients (agencies, resident portals) on every request.

Looks the credential up by the fingerprint in the request (cached for a few seconds, so a
revocation takes effect within ``CACHE_FOR``), then checks the signature, the time and
the kind of credential an endpoint needs. A failure is answered 401 with the reason and
logged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import structlog
from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool

from jukinet.adapters.crypto.request_signatures import (
    SCHEME,
    AuthenticationFailed,
    Authorization,
    Credential,
    SignedRequest,
    parse_authorization,
    verify_request,
)
from jukinet.nodes.provision.providers import Caller

log = structlog.get_logger("jukinet.auth")

CACHE_FOR = timedelta(seconds=5)
_OPERATOR_LIMIT = 64
DEFAULT_MAX_BODY = 512 * 1024 * 1024  # a batch of about 5 million rows


class RecipientAuthenticator:
    def __init__(
        self,
        lookup: Callable[[str], Credential | None],
        now: Callable[[], datetime],
        max_skew: timedelta,
        max_body: int = DEFAULT_MAX_BODY,
    ) -> None:
        self.max_body = max_body
        self._lookup = lookup
        self._now = now
        self._max_skew = max_skew
        self._cache: dict[str, tuple[datetime, Credential | None]] = {}

    def credential(self, fingerprint: str) -> Credential | None:
        now = self._now()
        cached = self._cache.get(fingerprint)
        if cached is not None and timedelta(0) <= now - cached[0] < CACHE_FOR:
            return cached[1]
        found = self._lookup(fingerprint)
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[fingerprint] = (now, found)
        return found

    def authenticate(
        self, request: SignedRequest, authorization: Authorization, kind: str
    ) -> Caller:
        credential = self.credential(authorization.fingerprint)
        verify_request(request, authorization, credential, self._now(), self._max_skew)
        assert credential is not None
        if credential.kind != kind:
            raise AuthenticationFailed(f"this endpoint needs a {kind} credential")
        operator = (request.operator or "").strip()
        if not operator or len(operator) > _OPERATOR_LIMIT or not operator.isprintable():
            raise AuthenticationFailed(
                "X-Jukinet-Operator must name the operator (1-64 characters)"
            )
        return Caller(credential.recipient_id, operator)

    def _check_length(self, request: Request) -> None:
        """Refuse a body larger than ``max_body`` before reading it into memory."""
        length = request.headers.get("content-length")
        if request.method in ("GET", "HEAD") and not length:
            return
        if length is None or not length.isdigit():
            raise HTTPException(411, "send a Content-Length header")
        if int(length) > self.max_body:
            raise HTTPException(
                413,
                f"the body is {int(length):,} bytes; the limit is {self.max_body:,} "
                "(split the batch, or send it on media)",
            )

    def _fresh(self, fingerprint: str) -> bool:
        """Whether the credential of ``fingerprint`` is in the cache (no database read)."""
        cached = self._cache.get(fingerprint)
        return cached is not None and timedelta(0) <= self._now() - cached[0] < CACHE_FOR

    async def caller_of(self, request: Request, kind: str) -> Caller:
        """The authenticated ``Caller`` of ``request``, or 401 with the reason (logged).

        With the credential cached, the check is pure CPU (one Ed25519 verification) and runs
        on the event loop; otherwise it goes to a worker thread, which reads the store."""
        self._check_length(request)
        signed = SignedRequest(
            request.headers.get("authorization"),
            request.headers.get("x-jukinet-recipient"),
            request.headers.get("x-jukinet-operator"),
            request.method,
            request.url.path + (f"?{request.url.query}" if request.url.query else ""),
            await request.body(),
        )
        try:
            authorization = parse_authorization(signed.authorization)
            if self._fresh(authorization.fingerprint):
                return self.authenticate(signed, authorization, kind)
            return await run_in_threadpool(self.authenticate, signed, authorization, kind)
        except AuthenticationFailed as failure:
            log.warning(
                "recipient authentication failed",
                recipient=signed.recipient,
                reason=failure.reason,
                path=request.url.path,
            )
            raise HTTPException(401, failure.reason, {"WWW-Authenticate": SCHEME}) from None

    def dependency(self, kind: str) -> Callable[[Request], object]:
        """A FastAPI dependency that returns the ``Caller`` or answers 401."""

        async def caller(request: Request) -> Caller:
            return await self.caller_of(request, kind)

        return caller
