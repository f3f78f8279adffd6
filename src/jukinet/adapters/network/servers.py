"""Serving a node's ASGI app over HTTPS with mutual TLS (uvicorn), in a thread or in the
foreground."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

from jukinet.adapters.network.tls import server_ssl_options


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


@dataclass
class BackgroundServer:
    server: uvicorn.Server
    thread: threading.Thread

    @classmethod
    def start(cls, app: Any, port: int, tls: TlsFiles, timeout: float = 10.0) -> BackgroundServer:
        instance = server(app, port, tls)
        # uvicorn only installs signal handlers in the main thread; in a thread it runs plainly.
        thread = threading.Thread(target=instance.run, daemon=True, name=f"https-{port}")
        thread.start()
        deadline = time.monotonic() + timeout
        while not instance.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the HTTPS server on port {port} did not start")
            time.sleep(0.02)
        return cls(instance, thread)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
