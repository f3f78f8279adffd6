"""How an envelope reaches another node: real HTTPS with mutual TLS, or in-process.

Both are an ``httpx.Client`` posting the same bytes to the same path and reading the same
response; only the transport underneath differs. In-process mode hands the request to the
receiving node's ASGI application on a private event loop (one thread for the whole
deployment), so the demo and most tests exercise the exact HTTP code path without sockets.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any

import anyio.from_thread
import httpx

from jukinet.nodes.ports import PeerRejected, PeerUnavailable
from jukinet.protocol.directory import NodeEntry

ENVELOPES_PATH = "/v1/envelopes"
IN_PROCESS_SCHEME = "http://"
TIMEOUT = httpx.Timeout(30.0, connect=5.0)


class AsgiBridge(httpx.BaseTransport):
    """A synchronous httpx transport that calls ASGI applications, keyed by host name."""

    def __init__(self) -> None:
        self._apps: dict[str, httpx.ASGITransport] = {}
        self._portal_cm: AbstractContextManager[Any] = anyio.from_thread.start_blocking_portal()
        self._portal = self._portal_cm.__enter__()

    def mount(self, host: str, app: Any) -> None:
        # A crash in the receiving node becomes a 500 answer, as it would over the network.
        self._apps[host] = httpx.ASGITransport(app=app, raise_app_exceptions=False)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        transport = self._apps.get(request.url.host)
        if transport is None:
            raise httpx.ConnectError(f"no in-process node at {request.url.host}", request=request)

        async def call() -> tuple[int, list[tuple[bytes, bytes]], bytes]:
            response = await transport.handle_async_request(request)
            body = await response.aread()
            return response.status_code, response.headers.raw, body

        status, headers, body = self._portal.call(call)
        return httpx.Response(status, headers=headers, content=body, request=request)

    def close(self) -> None:
        self._portal_cm.__exit__(None, None, None)


class EnvelopePoster:
    """Posts envelope bytes to a node and returns the response bytes, mapping failures to
    :class:`PeerUnavailable` (try again later) or :class:`PeerRejected` (the node refused)."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    @classmethod
    def https(cls, context: ssl.SSLContext) -> EnvelopePoster:
        return cls(httpx.Client(verify=context, timeout=TIMEOUT, http2=False))

    @classmethod
    def in_process(cls, bridge: AsgiBridge) -> EnvelopePoster:
        return cls(httpx.Client(transport=bridge, timeout=TIMEOUT))

    def post(self, node: NodeEntry, content: bytes) -> bytes:
        url = node.endpoint.rstrip("/") + ENVELOPES_PATH
        try:
            response = self._client.post(
                url, content=content, headers={"content-type": "application/json"}
            )
        except httpx.HTTPError as error:
            raise PeerUnavailable(f"{node.id} at {node.endpoint}: {error}") from error
        if response.status_code == 200:
            return response.content
        if response.status_code >= 500 or response.status_code in (408, 429):
            raise PeerUnavailable(f"{node.id} answered {response.status_code}")
        raise PeerRejected(*_problem(response))

    def close(self) -> None:
        self._client.close()


def _problem(response: httpx.Response) -> tuple[str, str]:
    """The peer's problem+json as (reason, detail): a protocol refusal's ``reason``, or a
    domain error's kind (``title``) with the field it named."""
    try:
        data: Mapping[str, Any] = response.json()
    except ValueError:
        return str(response.status_code), response.text[:200]
    reason = str(data.get("reason") or data.get("title") or response.status_code)
    detail = str(data.get("detail", ""))
    if data.get("field"):
        detail = f"{data['field']}: {detail}"
    return reason, detail


def in_process_endpoint(node_id: str) -> str:
    return f"{IN_PROCESS_SCHEME}{node_id}.jukinet.invalid"
