"""The nodes a resident portal calls, each with the credentials registered there.

A portal is registered (kind ``portal``) at the card node, at the national node, and at each
municipality that takes online requests through it; each registration wrote a credentials
folder (``jukinet agency register myna-portal --kind portal --node … --out DIR``) whose
``recipient.json`` names the node. :class:`PortalNodes` holds one HTTP client per node and
signs every request (``RecipientClient``) in the name of the resident's session
(``X-Jukinet-Operator: resident:<session>``), so each node's log ties the requests of one
sign-in together without naming the resident.

A node's refusal is raised as ``RecipientRequestFailed`` (its problem+json); a node that
cannot be reached, as ``httpx.HTTPError``; a municipality this portal is not registered at,
as :class:`NotConnected`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from jukinet.adapters.network.recipient_client import RecipientClient, RecipientCredentials

CARD = "card"
NATIONAL = "national"
MUNICIPALITY = "municipality-"


class NotConnected(Exception):
    """The portal holds no credentials for the node a step needs (e.g. the resident's
    municipality takes no online requests through this portal)."""

    def __init__(self, node_id: str) -> None:
        super().__init__(f"this portal is not registered at {node_id}")
        self.node_id = node_id


@dataclass(frozen=True, slots=True)
class Connection:
    credentials: RecipientCredentials
    http: httpx.Client


class PortalNodes:
    """One connection per node (``card``, ``national``, ``municipality-<code>``)."""

    def __init__(self, connections: Mapping[str, Connection], now: Callable[[], datetime]) -> None:
        missing = [node for node in (CARD, NATIONAL) if node not in connections]
        if missing:
            raise ValueError(f"a resident portal needs credentials at {', '.join(missing)}")
        for node_id, connection in connections.items():
            if connection.credentials.kind != "portal":
                raise ValueError(f"the credentials for {node_id} are not a portal's")
        self._connections = dict(connections)
        self._now = now

    @classmethod
    def over_https(cls, folders: Iterable[Path], now: Callable[[], datetime]) -> PortalNodes:
        """The nodes named by the credentials folders, over HTTPS with mutual TLS."""
        connections = {}
        for folder in folders:
            credentials = RecipientCredentials.load(folder)
            connections[credentials.node_id] = Connection(credentials, credentials.https_client())
        return cls(connections, now)

    @property
    def recipient_id(self) -> str:
        return self._connections[NATIONAL].credentials.recipient_id

    def takes_requests(self, municipality_code: str) -> bool:
        return f"{MUNICIPALITY}{municipality_code}" in self._connections

    def for_session(self, operator: str) -> SessionCalls:
        return SessionCalls(self, operator)

    def client(self, node_id: str, operator: str) -> RecipientClient:
        connection = self._connections.get(node_id)
        if connection is None:
            raise NotConnected(node_id)
        return RecipientClient(connection.credentials, operator, connection.http, self._now)

    def close(self) -> None:
        for connection in self._connections.values():
            connection.http.close()


class SessionCalls:
    """The calls of one resident's session, each a signed request to the node that answers."""

    def __init__(self, nodes: PortalNodes, operator: str) -> None:
        self._nodes = nodes
        self._operator = operator

    def _at(self, node_id: str) -> RecipientClient:
        return self._nodes.client(node_id, self._operator)

    # The card node
    def sign_in(self, card_number: str, pin: str) -> dict[str, Any]:
        body = {"card_number": card_number, "pin": pin}
        return self._at(CARD).post("/card/v1/sign-ins", body)

    # The national node
    def identity(self, resident_code: str) -> dict[str, Any]:
        found = self._at(NATIONAL).post("/resident/v1/identity", _person(resident_code))
        identity: dict[str, Any] = found["identity"]
        return identity

    def provisions(self, resident_code: str) -> list[dict[str, Any]]:
        found = self._at(NATIONAL).post("/resident/v1/provision-records", _person(resident_code))
        records: list[dict[str, Any]] = found["records"]
        return records

    def cases(self, resident_code: str) -> dict[str, Any]:
        return self._at(NATIONAL).post("/resident/v1/case-records", _person(resident_code))

    def file_disclosure(self, resident_code: str) -> dict[str, Any]:
        return self._at(NATIONAL).post("/resident/v1/disclosure-requests", _person(resident_code))

    def disclosure_notice(self, request_id: str) -> bytes:
        path = f"/resident/v1/disclosure-requests/{request_id}/notice.pdf"
        return self._at(NATIONAL).download(path)

    def file_correction(self, resident_code: str, form: Mapping[str, Any]) -> dict[str, Any]:
        body = {
            "person": _person(resident_code),
            "disclosure_id": str(form.get("disclosure_id", "")),
            "items": list(form.get("items", [])),
            "statement": str(form.get("statement", "")),
        }
        return self._at(NATIONAL).post("/resident/v1/correction-requests", body)

    # The resident's municipality
    def move_out(self, municipality_code: str, form: Mapping[str, Any]) -> dict[str, Any]:
        at = self._at(f"{MUNICIPALITY}{municipality_code}")
        return at.post("/resident/v1/special-move-outs", dict(form))

    def request_code_change(self, municipality_code: str, resident_code: str) -> dict[str, Any]:
        at = self._at(f"{MUNICIPALITY}{municipality_code}")
        body = {"resident_code": resident_code}
        return at.post("/resident/v1/resident-code-change-requests", body)

    def online_requests(self, municipality_code: str, resident_code: str) -> list[dict[str, Any]]:
        at = self._at(f"{MUNICIPALITY}{municipality_code}")
        found = at.post("/resident/v1/online-request-records", {"resident_code": resident_code})
        requests: list[dict[str, Any]] = found["requests"]
        return requests


def _person(resident_code: str) -> dict[str, str]:
    return {"resident_code": resident_code}
