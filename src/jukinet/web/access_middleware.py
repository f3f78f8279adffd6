"""Every operator request leaves a line in the node's access log, whatever it did.

One ASGI middleware wraps a staffed node's app: for each request under an operator prefix
(``/api/``, ``/rights/``, ``/audit/``, ``/auth/``, and the screens' ``/ui/``) by a signed-in
operator, it writes one
:class:`AccessEntry` before the answer leaves:

- **who, where:** the principal the sign-in dependency left on ``request.state``;
- **what:** the route's name (``api.move-in``, ``rights.disclosure``);
- **under which right:** the permission the route required;
- **about whom:** every 住民票コード the request named or the answer showed — the values of the
  fields ``resident_code``, ``resident_codes``, ``subject``, ``holder``, ``members`` and
  ``previous_resident_code``, wherever they stand in either JSON body, the path's own, and
  those a screen lists in ``request.state.subjects`` (the people an HTML page showed);
- **how it ended:** ``done`` (2xx), ``refused`` (4xx) or ``failed`` (5xx).

The answer is held back until its line is written, so no answer is seen whose line is
missing. The line is written in a transaction of its own just after the action's: a crash
between the two loses the line of an action that happened (docs/audit.md says so). Requests
without a signed-in operator (a refused sign-in, an unknown session) are not here: the
operator events log keeps those.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import structlog
from starlette.concurrency import run_in_threadpool

from jukinet.domain.access_log import Outcome
from jukinet.domain.operators import Permission, Principal
from jukinet.nodes.ports import Clock
from jukinet.web.access_trail import access_entry

log = structlog.get_logger("jukinet.access")

OPERATOR_PREFIXES = ("/api/", "/rights/", "/audit/", "/auth/", "/ui/")
CODE_FIELDS = frozenset(
    {"resident_code", "resident_codes", "subject", "holder", "members", "previous_resident_code"}
)
MOST_BODY_BYTES = 4 * 1024 * 1024  # larger bodies are not read for codes (batch files)
_CODE = re.compile(r"^[0-9]{11}$")

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Any]
Send = Callable[[Message], Any]


class AccessTrail:
    """ASGI middleware: ``unit_of_work`` opens the node's store (with ``access_log``)."""

    def __init__(self, app: Any, unit_of_work: Callable[[], Any], clock: Clock) -> None:
        self.app = app
        self.unit_of_work = unit_of_work
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(OPERATOR_PREFIXES):
            await self.app(scope, receive, send)
            return
        asked = bytearray()
        held: list[Message] = []

        async def reading() -> Message:
            message: Message = await receive()
            if message["type"] == "http.request" and len(asked) < MOST_BODY_BYTES:
                asked.extend(message.get("body", b""))
            return message

        async def holding(message: Message) -> None:
            held.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                status = next(m["status"] for m in held if m["type"] == "http.response.start")
                answered = b"".join(
                    m.get("body", b"") for m in held if m["type"] == "http.response.body"
                )
                await run_in_threadpool(self._write, scope, bytes(asked), status, answered)
                for kept in held:
                    await send(kept)
                held.clear()

        try:
            await self.app(scope, reading, holding)
        except Exception:  # answered 500 further out: the line says the action failed
            if held or not scope.get("state"):
                raise
            await run_in_threadpool(self._write, scope, bytes(asked), 500, b"")
            raise

    def _write(self, scope: Scope, asked: bytes, status: int, answered: bytes) -> None:
        state = scope.get("state") or {}
        principal = state.get("principal")
        if not isinstance(principal, Principal):
            return
        codes = list(scope.get("path_params", {}).get("resident_code", "").split())
        for body in (asked, answered):
            codes += codes_in(body)
        codes += [str(code) for code in state.get("subjects", ())]
        permission = state.get("permission")
        entry = access_entry(
            principal,
            action_of(scope),
            permission if isinstance(permission, Permission) else None,
            (code for code in codes if _CODE.match(code)),
            _outcome(status),
            self.clock.now(),
            detail=f"{scope['method']} {scope['path']} → {status}"[:500],
        )
        try:
            with self.unit_of_work() as uow:
                uow.access_log.append([entry])
                uow.commit()
        except Exception:
            log.exception("access log line not written", action=entry.action)
            raise


def action_of(scope: Scope) -> str:
    """``<prefix>.<route name>``: ``/api/v1/move-ins`` handled by ``move_in`` → ``api.move-in``."""
    prefix = scope["path"].strip("/").split("/")[0]
    route = scope.get("route")
    name = getattr(route, "name", None) or "unrouted"
    return f"{prefix}.{name.replace('_', '-').lower()}"


def _outcome(status: int) -> Outcome:
    if status < 400:
        return Outcome.DONE
    return Outcome.REFUSED if status < 500 else Outcome.FAILED


def codes_in(body: bytes) -> Iterator[str]:
    """The 住民票コード a JSON body names in the fields of ``CODE_FIELDS``; nothing for any
    other body (a PDF, a CSV)."""
    if not body or body[:1] not in (b"{", b"["):
        return
    try:
        data = json.loads(body)
    except ValueError:
        return
    yield from _walk(data, inside=False)


def _walk(value: Any, inside: bool) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, inside=key in CODE_FIELDS)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, inside)
    elif inside and isinstance(value, str):
        yield value
