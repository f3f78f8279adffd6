"""Serving a node's ASGI app (uvicorn), in a thread or in the foreground: to other nodes and
recipients over HTTPS with mutual TLS, and to people's browsers on a listener of its own that
serves the screens only."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

from jukinet.adapters.network.tls import browser_ssl_options, server_ssl_options


@dataclass(frozen=True, slots=True)
class TlsFiles:
    ca_cert: Path
    cert: Path
    key: Path


def free_ports(count: int) -> list[int]:
    """Ports the OS says are free right now on 127.0.0.1 (for demos and tests)."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def server(app: Any, port: int, tls: TlsFiles, host: str = "127.0.0.1") -> uvicorn.Server:
    options = server_ssl_options(tls.ca_cert, tls.cert, tls.key)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        lifespan="off",
        # Peers keep connections alive; do not let them hold a shutdown up.
        timeout_graceful_shutdown=3,
        **options,
    )
    return uvicorn.Server(config)


SCREEN_PREFIXES = ("/ui/",)


class ScreensOnly:
    """The part of a node's app a browser may reach: the screens under ``/ui/``. Everything
    else (envelopes, the JSON APIs) stays on the mutual-TLS listener; here it is 404."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and not (
            scope["path"].startswith(SCREEN_PREFIXES) or scope["path"] == "/ui"
        ):
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        await self.app(scope, receive, send)


def screens_server(
    app: Any, port: int, tls: TlsFiles | None, host: str = "127.0.0.1"
) -> uvicorn.Server:
    """The browsers' listener of a node: HTTPS with the node's certificate when ``tls`` is
    given (no client certificate), plain HTTP otherwise (only for a browser on the same
    machine, as in the demo)."""
    options: dict[str, Any] = {} if tls is None else dict(browser_ssl_options(tls.cert, tls.key))
    config = uvicorn.Config(
        ScreensOnly(app),
        host=host,
        port=port,
        log_level="warning",
        lifespan="off",
        timeout_graceful_shutdown=3,
        **options,
    )
    return uvicorn.Server(config)


@dataclass
class BackgroundServer:
    server: uvicorn.Server
    thread: threading.Thread

    @classmethod
    def start(cls, app: Any, port: int, tls: TlsFiles, timeout: float = 10.0) -> BackgroundServer:
        return cls.run(server(app, port, tls), port, timeout)

    @classmethod
    def run(cls, instance: uvicorn.Server, port: int, timeout: float = 10.0) -> BackgroundServer:
        # uvicorn only installs signal handlers in the main thread; in a thread it runs plainly.
        thread = threading.Thread(target=instance.run, daemon=True, name=f"https-{port}")
        thread.start()
        deadline = time.monotonic() + timeout
        while not instance.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the server on port {port} did not start")
            time.sleep(0.02)
        return cls(instance, thread)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
