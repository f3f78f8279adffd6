"""How a node's messages flow, per peer: what waits to go out, what went, what was refused.

The outbox keeps every message a node sends until it is delivered, or set aside when the
recipient refused it for its content (``adapters/network/relay.py``); the inbox remembers the
envelopes received lately, and the refusal log every envelope this node refused. Read
together, per peer node, they say whether the flow to and from each municipality is healthy:

* **backlog** — messages waiting to be delivered, and the oldest of them;
* **last delivery** — when a message to the peer last went through;
* **set aside** — messages the peer refused, kept with the reason, never resent;
* **last received / refused** — when the peer's last envelope arrived, and how many of its
  envelopes this node refused.

Nothing here writes; a console shows it (``web/screens/console/flows.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from jukinet.domain.errors import InvalidValue, NotFound


@dataclass(frozen=True, slots=True)
class PeerFlow:
    """The traffic between this node and one peer (a node id)."""

    peer: str
    backlog: int = 0
    oldest_waiting: datetime | None = None
    last_delivered: datetime | None = None
    set_aside: int = 0
    last_received: datetime | None = None
    refused: int = 0  # envelopes from the peer this node refused

    @property
    def healthy(self) -> bool:
        return self.set_aside == 0 and self.refused == 0


@dataclass(frozen=True, slots=True)
class SetAsideMessage:
    """A message the peer refused for its content: kept, never sent again."""

    message_id: str
    type: str
    created_at: datetime | None
    refused_at: datetime | None
    attempts: int
    reason: str


@dataclass(frozen=True, slots=True)
class RefusedEnvelope:
    """An envelope from the peer that this node refused, and why."""

    at: datetime
    envelope_id: str
    reason: str
    detail: str


class MessageFlows(Protocol):
    """The node's outbox, inbox and refusal log, read per peer."""

    def by_peer(self) -> list[PeerFlow]:
        """One line per peer that appears in the outbox, the inbox or the refusal log."""
        ...

    def set_aside(self, peer: str, limit: int) -> list[SetAsideMessage]:
        """Messages to ``peer`` it refused, the latest refusal first."""
        ...

    def refused_from(self, peer: str, limit: int) -> list[RefusedEnvelope]:
        """Envelopes from ``peer`` this node refused, the latest first."""
        ...


ORDERS = ("backlog", "oldest", "peer", "set-aside")


def flow_health(flows: MessageFlows, order: str = "backlog") -> list[PeerFlow]:
    """Every peer's flow: by ``backlog`` (largest first), ``oldest`` waiting message first,
    ``peer`` id, or ``set-aside`` count; another order is ``InvalidValue`` on ``sort``."""
    if order not in ORDERS:
        raise InvalidValue("sort", f"{order!r} is not one of: {', '.join(ORDERS)}")
    lines = flows.by_peer()
    if order == "oldest":
        return sorted(lines, key=lambda f: (f.oldest_waiting is None, f.oldest_waiting, f.peer))
    if order == "peer":
        return sorted(lines, key=lambda f: f.peer)
    if order == "set-aside":
        return sorted(lines, key=lambda f: (-f.set_aside, -f.refused, f.peer))
    return sorted(lines, key=lambda f: (-f.backlog, f.peer))


@dataclass(frozen=True, slots=True)
class PeerDetail:
    flow: PeerFlow
    set_aside: list[SetAsideMessage]
    refused: list[RefusedEnvelope]


def peer_detail(flows: MessageFlows, peer: str, limit: int = 50) -> PeerDetail:
    """One peer's flow with the messages it refused and the envelopes refused from it;
    ``NotFound`` on ``peer`` for a node this one has never exchanged anything with."""
    found = next((f for f in flows.by_peer() if f.peer == peer), None)
    if found is None:
        raise NotFound("peer", f"{peer!r} has exchanged no messages with this node")
    return PeerDetail(found, flows.set_aside(peer, limit), flows.refused_from(peer, limit))
