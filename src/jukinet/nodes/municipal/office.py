"""Who this municipality is on the network, and the clerk who acts."""

from __future__ import annotations

from dataclasses import dataclass, field

from jukinet.domain.errors import InvalidValue
from jukinet.domain.municipalities import municipality
from jukinet.protocol.directory import municipality_node_id


@dataclass(frozen=True, slots=True)
class Office:
    """A municipality node: its code and the nodes its CS talks to.

    ``network`` holds the codes of the municipalities whose CS this one can reach (the
    directory's municipality nodes); messages to any other would wait in the outbox forever.
    """

    municipality_code: str
    node_id: str
    prefecture_node: str
    national_node: str
    network: frozenset[str] = field(default=frozenset())

    def reaches(self, code: object, field_name: str) -> bool:
        """Whether another municipality (a real one, not this) has a CS on this network."""
        lg = municipality(code, field_name).code.value
        if lg == self.municipality_code:
            raise InvalidValue(field_name, "is this municipality; a move within it is a 転居")
        return lg in self.network

    def peer_municipality(self, code: object, field_name: str) -> str:
        """The node id of another municipality this one can send to, or a clear refusal."""
        if not self.reaches(code, field_name):
            raise InvalidValue(field_name, f"{code} has no Communication Server on this network")
        return municipality_node_id(municipality(code, field_name).code.value)
