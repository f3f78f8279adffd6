"""The directory: which nodes exist, where they listen, their certificates, and the routes.

Like X-Road's global configuration it is one document, signed by the deployment CA, that every
node loads at start. Receivers enforce its route table: a role may send a message type only to
the roles the table names. Municipality nodes are named ``municipality-<code>``; the prefecture
node lists the prefectures (tenants) it serves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from jukinet.protocol.catalogue import DEFAULT_ROUTES, Role
from jukinet.protocol.errors import RouteRefused, UnknownSender

NATIONAL_ID = "national"
LINKAGE_ID = "linkage"  # the provision network's code component (機関別符号)
IMMIGRATION_ID = "immigration"  # 出入国在留管理庁: notices about foreign residents
CARD_ID = "card"  # 個人番号カード: the card registry and its PIN checks


def municipality_node_id(code: str) -> str:
    return f"municipality-{code}"


@dataclass(frozen=True, slots=True)
class NodeEntry:
    id: str
    role: Role
    endpoint: str
    certificate: str  # PEM
    municipality_code: str | None = None
    prefectures: tuple[str, ...] = ()

    def to_wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "role": self.role.value,
            "endpoint": self.endpoint,
            "certificate": self.certificate,
            "municipality_code": self.municipality_code,
            "prefectures": list(self.prefectures),
        }

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> NodeEntry:
        return cls(
            id=data["id"],
            role=Role(data["role"]),
            endpoint=data["endpoint"],
            certificate=data["certificate"],
            municipality_code=data.get("municipality_code"),
            prefectures=tuple(data.get("prefectures", ())),
        )


@dataclass(frozen=True, slots=True)
class Directory:
    nodes: dict[str, NodeEntry]
    routes: frozenset[tuple[Role, str, Role]] = field(default=frozenset(DEFAULT_ROUTES))

    @classmethod
    def of(
        cls, nodes: Iterable[NodeEntry], routes: Iterable[tuple[Role, str, Role]] = DEFAULT_ROUTES
    ) -> Directory:
        return cls({n.id: n for n in nodes}, frozenset(routes))

    def node(self, node_id: str) -> NodeEntry:
        found = self.nodes.get(node_id)
        if found is None:
            raise UnknownSender(f"{node_id!r} is not in the directory")
        return found

    def require_route(self, sender: NodeEntry, message_type: str, recipient: NodeEntry) -> None:
        if (sender.role, message_type, recipient.role) not in self.routes:
            raise RouteRefused(
                f"a {sender.role} node may not send {message_type} to a {recipient.role} node"
            )

    def prefecture_node_for(self, municipality_code: str) -> NodeEntry:
        """The prefecture node whose tenants include this municipality's prefecture."""
        for node in self.nodes.values():
            if node.role is Role.PREFECTURE and municipality_code[:2] in node.prefectures:
                return node
        raise UnknownSender(f"no prefecture node serves prefecture {municipality_code[:2]}")

    def municipalities(self) -> list[NodeEntry]:
        return sorted(
            (n for n in self.nodes.values() if n.role is Role.MUNICIPALITY), key=lambda n: n.id
        )

    def to_wire(self) -> dict[str, Any]:
        return {
            "nodes": [n.to_wire() for n in sorted(self.nodes.values(), key=lambda n: n.id)],
            "routes": sorted([s.value, t, r.value] for s, t, r in self.routes),
        }

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> Directory:
        return cls.of(
            (NodeEntry.from_wire(n) for n in data["nodes"]),
            ((Role(s), t, Role(r)) for s, t, r in data["routes"]),
        )
