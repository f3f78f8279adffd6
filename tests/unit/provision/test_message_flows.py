"""Message flow health read per peer: the orders a console sorts by, a peer's detail."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jukinet.domain.errors import InvalidValue, NotFound
from jukinet.nodes.message_flows import (
    PeerFlow,
    RefusedEnvelope,
    SetAsideMessage,
    flow_health,
    peer_detail,
)

EARLY = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
LATE = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)


class Flows:
    def by_peer(self) -> list[PeerFlow]:
        return [
            PeerFlow("national", backlog=2, oldest_waiting=LATE),
            PeerFlow("municipality-131016", backlog=0, set_aside=1),
            PeerFlow("municipality-271276", backlog=9, oldest_waiting=EARLY, refused=2),
        ]

    def set_aside(self, peer: str, limit: int) -> list[SetAsideMessage]:
        return [SetAsideMessage("m-1", "identity.update", EARLY, LATE, 3, "invalid-body")]

    def refused_from(self, peer: str, limit: int) -> list[RefusedEnvelope]:
        return []


@pytest.mark.parametrize(
    ("order", "peers"),
    [
        ("backlog", ["municipality-271276", "national", "municipality-131016"]),
        ("oldest", ["municipality-271276", "national", "municipality-131016"]),
        ("peer", ["municipality-131016", "municipality-271276", "national"]),
        ("set-aside", ["municipality-131016", "municipality-271276", "national"]),
    ],
)
def test_peers_sort_as_the_console_asks(order: str, peers: list[str]) -> None:
    assert [flow.peer for flow in flow_health(Flows(), order)] == peers


def test_an_unknown_order_names_the_sort_field() -> None:
    with pytest.raises(InvalidValue) as refused:
        flow_health(Flows(), "random")

    assert refused.value.field == "sort"


def test_a_peers_detail_has_what_it_refused_and_an_unknown_peer_is_not_found() -> None:
    detail = peer_detail(Flows(), "municipality-131016")

    assert not detail.flow.healthy
    assert [m.reason for m in detail.set_aside] == ["invalid-body"]
    with pytest.raises(NotFound):
        peer_detail(Flows(), "municipality-999999")
