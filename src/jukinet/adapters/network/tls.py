"""Mutual TLS between nodes: each side proves itself with a certificate from the deployment CA.
(People's browsers reach the screens on a listener of their own: server certificate only.)

Only the deployment CA is trusted, not the system store: a certificate from any public CA, or
from another deployment, fails the handshake. Which node a verified peer is comes from the
signed envelope, not from TLS; TLS keeps everyone else out and the wire confidential.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import TypedDict


class ServerSslOptions(TypedDict):
    """uvicorn's TLS keyword arguments, typed so ``uvicorn.Config(app, **options)`` checks."""

    ssl_certfile: str
    ssl_keyfile: str
    ssl_ca_certs: str
    ssl_cert_reqs: int


def server_ssl_options(ca_cert: Path, cert: Path, key: Path) -> ServerSslOptions:
    """Keyword arguments for ``uvicorn.run``/``uvicorn.Config`` that require a client certificate.

    Raises ``FileNotFoundError`` naming the first missing file.
    """
    _require_files(ca_cert=ca_cert, cert=cert, key=key)
    return {
        "ssl_certfile": str(cert),
        "ssl_keyfile": str(key),
        "ssl_ca_certs": str(ca_cert),
        "ssl_cert_reqs": ssl.CERT_REQUIRED,
    }


class BrowserSslOptions(TypedDict):
    ssl_certfile: str
    ssl_keyfile: str
    ssl_cert_reqs: int


def browser_ssl_options(cert: Path, key: Path) -> BrowserSslOptions:
    """uvicorn's TLS arguments for the screens' listener: the node's certificate, no client
    certificate asked (browsers sign in with operator ID, password and code instead)."""
    _require_files(cert=cert, key=key)
    return {"ssl_certfile": str(cert), "ssl_keyfile": str(key), "ssl_cert_reqs": ssl.CERT_NONE}


def client_ssl_context(ca_cert: Path, cert: Path, key: Path) -> ssl.SSLContext:
    """An ``ssl.SSLContext`` for ``httpx.Client(verify=...)`` presenting this node's certificate.

    TLS 1.2 or later, the server's certificate checked against the deployment CA and its host
    name against the certificate's SAN. Raises ``FileNotFoundError`` naming a missing file and
    ``ssl.SSLError`` when a file is not a usable certificate or key.
    """
    _require_files(ca_cert=ca_cert, cert=cert, key=key)
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(ca_cert))
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_cert_chain(certfile=str(cert), keyfile=str(key))
    return context


def _require_files(**paths: Path) -> None:
    for role, path in paths.items():
        if not path.is_file():
            raise FileNotFoundError(f"TLS {role} file {path} does not exist.")
