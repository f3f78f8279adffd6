"""The outbox, inbox and refusal log read per peer (``nodes/message_flows.py``).

Three grouped queries, one per table, each answered by the database: no row is loaded to be
counted in Python.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import MetaData, case, func, select
from sqlalchemy.engine import Engine

from jukinet.adapters.storage.moments import as_utc
from jukinet.nodes.message_flows import PeerFlow, RefusedEnvelope, SetAsideMessage


class SqlMessageFlows:
    def __init__(self, engine: Engine, metadata: MetaData) -> None:
        self._engine = engine
        self._outbox = metadata.tables["outbox"]
        self._received = metadata.tables["received_envelopes"]
        self._refusals = metadata.tables["refusals"]

    def by_peer(self) -> list[PeerFlow]:
        o, r, f = self._outbox, self._received, self._refusals
        waiting = o.c.delivered_at.is_(None) & o.c.refused_at.is_(None)
        outgoing = select(
            o.c.recipient,
            func.sum(case((waiting, 1), else_=0)),
            func.min(case((waiting, o.c.created_at))),
            func.max(o.c.delivered_at),
            func.sum(case((o.c.refused_at.is_not(None), 1), else_=0)),
        ).group_by(o.c.recipient)
        received = select(r.c.sender, func.max(r.c.received_at)).group_by(r.c.sender)
        refused = select(f.c.sender, func.count()).group_by(f.c.sender)
        lines: dict[str, PeerFlow] = {}
        with self._engine.connect() as connection:
            for peer, backlog, oldest, delivered, set_aside in connection.execute(outgoing):
                lines[peer] = PeerFlow(
                    peer, int(backlog or 0), _moment(oldest), as_utc(delivered), int(set_aside or 0)
                )
            for peer, at in connection.execute(received):
                lines[peer] = replace(lines.get(peer, PeerFlow(peer)), last_received=as_utc(at))
            for peer, count in connection.execute(refused):
                lines[peer] = replace(lines.get(peer, PeerFlow(peer)), refused=int(count))
        return list(lines.values())

    def set_aside(self, peer: str, limit: int) -> list[SetAsideMessage]:
        o = self._outbox
        query = (
            select(
                o.c.message_id, o.c.type, o.c.created_at, o.c.refused_at, o.c.attempts, o.c.refusal
            )
            .where(o.c.recipient == peer, o.c.refused_at.is_not(None))
            .order_by(o.c.refused_at.desc(), o.c.id.desc())
            .limit(limit)
        )
        with self._engine.connect() as connection:
            rows = connection.execute(query).all()
        return [
            SetAsideMessage(
                row.message_id,
                row.type,
                _moment(row.created_at),
                as_utc(row.refused_at),
                int(row.attempts),
                row.refusal or "",
            )
            for row in rows
        ]

    def refused_from(self, peer: str, limit: int) -> list[RefusedEnvelope]:
        f = self._refusals
        query = select(f).where(f.c.sender == peer).order_by(f.c.id.desc()).limit(limit)
        with self._engine.connect() as connection:
            rows = connection.execute(query).all()
        return [RefusedEnvelope(as_utc(r.at), r.envelope_id, r.reason, r.detail) for r in rows]


def _moment(value: str | None) -> datetime | None:
    """The outbox keeps a message's own ``created_at`` as its ISO text."""
    if not value:
        return None
    return as_utc(datetime.fromisoformat(value))
