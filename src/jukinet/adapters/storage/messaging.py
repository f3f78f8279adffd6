"""The outbox, the envelope inbox and the refusal log, shared by every node role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import MetaData, delete, func, select, update
from sqlalchemy.engine import Connection, Engine

from jukinet.adapters.storage.upserts import insert_for
from jukinet.nodes.ports import Refusal
from jukinet.protocol.canonical import canonical_bytes, loads_trusted
from jukinet.protocol.envelope import Message


class SqlOutbox:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._table = metadata.tables["outbox"]
        self._pending: list[dict[str, object]] = []

    def add(self, recipient: str, message: Message) -> None:
        # Rows are buffered and written in one statement when the unit of work commits.
        self._pending.append(_outbox_row(recipient, message))

    def flush(self) -> int:
        """Write the buffered rows; return how many there were."""
        count = len(self._pending)
        if self._pending:
            self._connection.execute(self._table.insert(), self._pending)
            self._pending = []
        return count


def _outbox_row(recipient: str, message: Message) -> dict[str, object]:
    return {
        "message_id": message.id,
        "recipient": recipient,
        "type": message.type,
        "version": message.version,
        "stream": message.stream,
        "sequence": message.sequence,
        "created_at": message.created_at,
        # Bodies come from catalogue types (strings, integers, booleans) or were read by
        # ``loads``, which refuses floats: no need to walk them again.
        "body": canonical_bytes(message.body, check_floats=False).decode(),
    }


class SqlInbox:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._table = metadata.tables["received_envelopes"]

    def remember(self, envelope_id: str, sender: str, at: datetime) -> bool:
        statement = (
            insert_for(self._connection, self._table)
            .values(envelope_id=envelope_id, sender=sender, received_at=at)
            .on_conflict_do_nothing(index_elements=["envelope_id"])
        )
        return self._connection.execute(statement).rowcount == 1

    def forget_before(self, moment: datetime) -> int:
        t = self._table
        result = self._connection.execute(delete(t).where(t.c.received_at < moment))
        return int(result.rowcount or 0)


@dataclass(frozen=True, slots=True)
class PendingMessage:
    row_id: int
    recipient: str
    message: Message


class OutboxReader:
    """What the relay needs: pending messages in order, and marking them delivered."""

    def __init__(self, engine: Engine, metadata: MetaData) -> None:
        self._engine = engine
        self._table = metadata.tables["outbox"]

    def recipients_with_pending(self) -> list[str]:
        table = self._table
        query = (
            select(table.c.recipient)
            .where(table.c.delivered_at.is_(None), table.c.refused_at.is_(None))
            .distinct()
        )
        with self._engine.connect() as connection:
            return [row[0] for row in connection.execute(query)]

    def pending(self, recipient: str, limit: int) -> list[PendingMessage]:
        t = self._table
        query = (
            select(
                t.c.id,
                t.c.message_id,
                t.c.type,
                t.c.version,
                t.c.stream,
                t.c.sequence,
                t.c.created_at,
                t.c.body,
            )
            .where(t.c.recipient == recipient, t.c.delivered_at.is_(None), t.c.refused_at.is_(None))
            .order_by(t.c.id)
            .limit(limit)
        )
        with self._engine.connect() as connection:
            rows = connection.execute(query).all()
        return [
            PendingMessage(
                row.id,
                recipient,
                Message(
                    row.message_id,
                    row.type,
                    row.version,
                    row.stream,
                    row.sequence,
                    row.created_at,
                    loads_trusted(row.body),
                ),
            )
            for row in rows
        ]

    def mark_delivered(self, row_ids: list[int], at: datetime) -> None:
        t = self._table
        with self._engine.begin() as connection:
            connection.execute(update(t).where(t.c.id.in_(row_ids)).values(delivered_at=at))

    def set_aside(self, row_id: int, refusal: str) -> None:
        """The recipient refused this message for its content: keep it, stop sending it."""
        t = self._table
        with self._engine.begin() as connection:
            connection.execute(
                update(t)
                .where(t.c.id == row_id)
                .values(refused_at=func.now(), refusal=refusal[:2000])
            )

    def set_aside_count(self) -> int:
        t = self._table
        with self._engine.connect() as connection:
            count = connection.execute(
                select(func.count()).select_from(t).where(t.c.refused_at.is_not(None))
            ).scalar_one()
        return int(count)

    def note_attempt(self, row_ids: list[int]) -> None:
        t = self._table
        with self._engine.begin() as connection:
            connection.execute(
                update(t).where(t.c.id.in_(row_ids)).values(attempts=t.c.attempts + 1)
            )

    def backlog(self) -> int:
        t = self._table
        with self._engine.connect() as connection:
            count = connection.execute(
                select(func.count())
                .select_from(t)
                .where(t.c.delivered_at.is_(None), t.c.refused_at.is_(None))
            ).scalar_one()
        return int(count)


class RefusalLog:
    """Refused envelopes, written in their own transaction so a refusal is never rolled back."""

    def __init__(self, engine: Engine, metadata: MetaData) -> None:
        self._engine = engine
        self._table = metadata.tables["refusals"]

    def record(self, refusal: Refusal) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                self._table.insert().values(
                    at=refusal.at,
                    sender=refusal.sender[:200],
                    envelope_id=refusal.envelope_id[:200],
                    reason=refusal.reason,
                    detail=refusal.detail,
                )
            )

    def recent(self, limit: int = 50) -> list[Refusal]:
        t = self._table
        with self._engine.connect() as connection:
            rows = connection.execute(select(t).order_by(t.c.id.desc()).limit(limit)).all()
        return [Refusal(r.at, r.sender, r.envelope_id, r.reason, r.detail) for r in rows]
