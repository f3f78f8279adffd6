"""The client side of the recipients' API: what ``jukinet agency …`` and agency systems use.

A credentials folder (written by ``jukinet agency register``) holds everything a recipient
needs: ``client.key.pem`` and ``client.cert.pem`` (mutual TLS and request signatures),
``ca.cert.pem`` (to trust the node), and ``recipient.json`` (who we are, which node, where).
Every request is signed (``request_signatures.py``) and names the operator.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from jukinet.adapters.crypto.ca import PrivateKey, load_certificate, load_private_key
from jukinet.adapters.crypto.request_signatures import certificate_fingerprint, sign_request
from jukinet.adapters.network.tls import client_ssl_context

PROFILE = "recipient.json"
TIMEOUT = httpx.Timeout(60.0, connect=5.0)


class RecipientRequestFailed(Exception):
    """The node refused or failed a request; ``problem`` is its problem+json body."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        title = problem.get("title", "")
        where = f" ({problem['field']})" if problem.get("field") else ""
        super().__init__(f"{status} {title}{where}: {problem.get('detail', '')}".strip())
        self.status = status
        self.problem = problem


@dataclass(frozen=True, slots=True)
class RecipientCredentials:
    folder: Path
    recipient_id: str
    kind: str
    node_id: str
    endpoint: str
    key: PrivateKey
    fingerprint: str

    @classmethod
    def load(cls, folder: Path) -> RecipientCredentials:
        profile = json.loads((folder / PROFILE).read_text("utf-8"))
        certificate = load_certificate(folder / "client.cert.pem")
        return cls(
            folder,
            profile["recipient"],
            profile["kind"],
            profile["node"],
            profile["endpoint"],
            load_private_key(folder / "client.key.pem"),
            certificate_fingerprint(certificate),
        )

    def https_client(self) -> httpx.Client:
        context = client_ssl_context(
            self.folder / "ca.cert.pem",
            self.folder / "client.cert.pem",
            self.folder / "client.key.pem",
        )
        return httpx.Client(base_url=self.endpoint, verify=context, timeout=TIMEOUT)


def write_profile(folder: Path, recipient_id: str, kind: str, node_id: str, endpoint: str) -> None:
    profile = {"recipient": recipient_id, "kind": kind, "node": node_id, "endpoint": endpoint}
    (folder / PROFILE).write_text(json.dumps(profile, indent=2) + "\n", "utf-8")


class RecipientClient:
    """Signed JSON requests to a providing node."""

    def __init__(
        self,
        credentials: RecipientCredentials,
        operator: str,
        client: httpx.Client,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.credentials = credentials
        self.operator = operator
        self._client = client
        self._now = now

    def post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps(payload, ensure_ascii=False).encode()
        return self._send("POST", path, body, {"content-type": "application/json"})

    def upload(self, path: str, body: bytes, content_type: str) -> dict[str, Any]:
        return self._send("POST", path, body, {"content-type": content_type})

    def get(self, path: str) -> dict[str, Any]:
        return self._send("GET", path, b"", {})

    def download(self, path: str) -> bytes:
        response = self._request("GET", path, b"", {})
        return response.content

    def _send(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
        data: dict[str, Any] = self._request(method, path, body, headers).json()
        return data

    def _request(
        self, method: str, path: str, body: bytes, headers: dict[str, str]
    ) -> httpx.Response:
        c = self.credentials
        signed = sign_request(
            c.key, c.fingerprint, c.recipient_id, self.operator, method, path, body, self._now()
        )
        response = self._client.request(method, path, content=body, headers={**headers, **signed})
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                problem = {"title": response.text[:200]}
            raise RecipientRequestFailed(response.status_code, problem)
        return response

    def close(self) -> None:
        self._client.close()
