"""``jukinet serve resident-portal``: the resident portal, served to residents' browsers.

``--credentials DIR`` is one credentials folder written by ``jukinet agency register … --kind
portal``, or a folder of them (one per node: ``national``, ``card``,
``municipality-131016`` …). The portal's session key is ``<home>/secrets/resident-portal.key``
(created on first use). It listens with HTTPS when given ``--tls-cert`` and ``--tls-key``;
plain HTTP only on this machine (behind a TLS-terminating proxy, say).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import uvicorn

from jukinet.adapters.clock import SystemClock
from jukinet.adapters.network.recipient_client import PROFILE
from jukinet.adapters.network.tls import browser_ssl_options
from jukinet.cli.nodes import console, fail
from jukinet.portals.resident import PortalNodes, create_resident_portal, portal_key
from jukinet.portals.resident.sessions import KEY_FILE
from jukinet.settings import Settings

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def credential_folders(given: Path) -> list[Path]:
    """``given`` itself when it is a credentials folder, else its subfolders that are."""
    if (given / PROFILE).exists():
        return [given]
    return sorted(folder for folder in given.iterdir() if (folder / PROFILE).exists())


def serve(
    credentials: Path | None,
    home: Path | None,
    port: int | None,
    host: str,
    tls_cert: Path | None,
    tls_key: Path | None,
) -> None:
    """Serve the resident portal until Ctrl-C."""
    if credentials is None or port is None:
        raise fail("serve resident-portal needs --credentials DIR and --port N", 2)
    if (tls_cert is None) != (tls_key is None):
        raise fail("give both --tls-cert and --tls-key, or neither", 2)
    if tls_cert is None and host not in LOOPBACK:
        raise fail(f"plain HTTP only on this machine: give --tls-cert and --tls-key for {host}", 2)
    clock = SystemClock()
    try:
        nodes = PortalNodes.over_https(credential_folders(credentials), clock.now)
    except FileNotFoundError as error:
        raise fail(f"{error.filename} is missing; is {credentials} a credentials folder?") from None
    except ValueError as error:
        raise fail(f"{credentials}: {error}") from None
    key = portal_key(Settings.from_env(home=home).secrets_dir / KEY_FILE)
    options: dict[str, Any] = {}
    if tls_cert is not None and tls_key is not None:
        options = dict(browser_ssl_options(tls_cert, tls_key))
    scheme = "http" if tls_cert is None else "https"
    console.print(f"resident portal {nodes.recipient_id} on {scheme}://{host}:{port}/")
    app = create_resident_portal(nodes, key, clock)
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=3, **options
    )
    try:
        uvicorn.Server(config).run()
    finally:
        nodes.close()
