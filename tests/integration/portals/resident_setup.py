"""A country for the resident portal's tests: a resident of Chiyoda with a My Number card, an
agency (日本年金機構) that can look them up, and the portal registered at the card node, the
national node and Chiyoda, reaching each through the in-process bridge."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from tests.conftest import TOKYO_CHIYODA, YOKOHAMA_TSURUMI

from jukinet.adapters.clock import FixedClock
from jukinet.adapters.network.recipient_client import RecipientClient, RecipientCredentials
from jukinet.bootstrap import register_recipient
from jukinet.deployments import Deployment
from jukinet.domain.residents import Resident
from jukinet.nodes.card.counter import CardCounter, CardIssue
from jukinet.nodes.municipal import arrivals
from jukinet.portals.resident import PortalNodes, create_resident_portal
from jukinet.portals.resident.nodes import Connection
from jukinet.protocol.directory import CARD_ID, NATIONAL_ID, municipality_node_id

CARD = "400123456784"
PIN = "4321"
PORTAL = "myna-portal"
CHIYODA_NODE = municipality_node_id(TOKYO_CHIYODA)
HOME = "東京都千代田区霞が関一丁目1番1号"
NEW_HOME = "神奈川県横浜市鶴見区鶴見中央三丁目20番1号"
SESSION_KEY = bytes(range(32))


@dataclass
class ResidentWorld:
    country: Deployment
    clock: FixedClock
    resident: Resident
    nodes: PortalNodes

    def app(self) -> Any:
        return create_resident_portal(self.nodes, SESSION_KEY, self.clock)

    def agency(self, recipient: str = "nenkin") -> RecipientClient:
        """An agency's signed client at the national node (registered on first use)."""
        return recipient_client(self.country, recipient, "agency", NATIONAL_ID, self.clock)

    def cards(self) -> CardCounter:
        counter = self.country.nodes[CARD_ID].cards
        assert counter is not None
        return counter


def credentials(country: Deployment, recipient: str, kind: str, node_id: str) -> Path:
    folder = country.settings.home / "credentials" / f"{node_id}-{recipient}"
    if not (folder / "recipient.json").exists():
        node = country.nodes[node_id]
        pki = country.settings.pki_dir
        register_recipient(node, recipient, kind, f"{node_id}-admin", folder, pki)
    return folder


def bridged(country: Deployment, folder: Path) -> Connection:
    loaded = RecipientCredentials.load(folder)
    assert country.bridge is not None
    return Connection(loaded, httpx.Client(transport=country.bridge, base_url=loaded.endpoint))


def recipient_client(
    country: Deployment, recipient: str, kind: str, node_id: str, clock: FixedClock
) -> RecipientClient:
    connection = bridged(country, credentials(country, recipient, kind, node_id))
    return RecipientClient(connection.credentials, "op-0001", connection.http, now=clock.now)


def portal_nodes(country: Deployment, clock: FixedClock, *node_ids: str) -> PortalNodes:
    """The portal's connections to ``node_ids`` (registered there on first use)."""
    connections = {
        node_id: bridged(country, credentials(country, PORTAL, "portal", node_id))
        for node_id in node_ids
    }
    return PortalNodes(connections, clock.now)


def resident_world(country: Deployment, clock: FixedClock) -> ResidentWorld:
    """髙橋 一郎 of Chiyoda, known at the national node, holding card ``CARD`` (PIN ``PIN``)."""
    chiyoda = country.municipality(TOKYO_CHIYODA)
    assert chiyoda.supply is not None
    resident = arrivals.record_arrival(
        {
            "reason": "ex-officio-record",
            "family_name": "髙橋",
            "given_name": "一郎",
            "family_name_kana": "タカハシ",
            "given_name_kana": "イチロウ",
            "birth_date": "1980-04-01",
            "sex": "male",
            "address": HOME,
            "arrived_on": "2020-04-01",
        },
        "clerk-setup",
        chiyoda.supply,
    )
    country.pump()
    counter = country.nodes[CARD_ID].cards
    assert counter is not None
    counter.issue(
        CardIssue(
            CARD,
            resident.resident_code,
            "髙橋 一郎",
            "1980-04-01",
            TOKYO_CHIYODA,
            "2031-04-01",
            PIN,
        ),
        "clerk-setup",
    )
    nodes = portal_nodes(country, clock, CARD_ID, NATIONAL_ID, CHIYODA_NODE)
    return ResidentWorld(country, clock, resident, nodes)


COUNTRY = (TOKYO_CHIYODA, YOKOHAMA_TSURUMI)
