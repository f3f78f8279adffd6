"""Who this municipality is on the network, and the clerk who acts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Office:
    """A municipality node: its code and the nodes its CS talks to."""

    municipality_code: str
    node_id: str
    prefecture_node: str
    national_node: str
