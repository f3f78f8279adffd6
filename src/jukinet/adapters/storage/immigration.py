"""Stores of the immigration authority's notices (住基法30条の50), at both ends.

At ISA's node: the notices it sent and the outcome each municipality answered. At a
municipality: the notices it applied (so a repeat is a no-op), and finding a foreign
resident's record by card number.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import MetaData, select, update
from sqlalchemy.engine import Connection

from jukinet.adapters.storage.municipal import resident_from_row
from jukinet.domain.residents import Resident
from jukinet.nodes.ports import SentNotice
from jukinet.protocol.canonical import canonical_bytes

PENDING = "pending"  # the outcome filter for notices not answered yet


class SqlSentNotices:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._table = metadata.tables["sent_notices"]

    def add(
        self, notice_id: str, message_id: str, body: dict[str, Any], operator: str, at: datetime
    ) -> None:
        self._connection.execute(
            self._table.insert().values(
                notice_id=notice_id,
                message_id=message_id,
                municipality_code=body["municipality_code"],
                kind=body["kind"],
                card_number=body["card_number"],
                body=canonical_bytes(body, check_floats=False).decode(),
                operator=operator,
                queued_at=at,
            )
        )

    def known(self, notice_ids: Sequence[str]) -> set[str]:
        t = self._table
        found: set[str] = set()
        ids = sorted(set(notice_ids))
        for start in range(0, len(ids), 500):
            query = select(t.c.notice_id).where(t.c.notice_id.in_(ids[start : start + 500]))
            found |= {str(row[0]) for row in self._connection.execute(query)}
        return found

    def record_outcomes(
        self, answers: Sequence[tuple[str, str, str]], recipient_code: str, at: datetime
    ) -> set[str]:
        t = self._table
        ids = [message_id for message_id, _, _ in answers]
        ours = select(t.c.message_id, t.c.outcome).where(
            t.c.message_id.in_(ids), t.c.municipality_code == recipient_code
        )
        held = {str(row.message_id): row.outcome for row in self._connection.execute(ours)}
        for message_id, outcome, detail in answers:
            if message_id in held and held[message_id] is None:
                self._connection.execute(
                    update(t)
                    .where(t.c.message_id == message_id, t.c.outcome.is_(None))
                    .values(outcome=outcome, detail=detail, answered_at=at)
                )
        return set(held)

    def listed(self, outcome: str | None, limit: int) -> list[SentNotice]:
        t = self._table
        query = select(t).order_by(t.c.queued_at.desc(), t.c.notice_id).limit(limit)
        if outcome == PENDING:
            query = query.where(t.c.outcome.is_(None))
        elif outcome is not None:
            query = query.where(t.c.outcome == outcome)
        return [
            SentNotice(
                row.notice_id,
                row.message_id,
                row.municipality_code,
                row.kind,
                row.card_number,
                row.operator,
                row.queued_at,
                row.outcome,
                row.detail,
                row.answered_at,
            )
            for row in self._connection.execute(query)
        ]


class SqlAppliedNotices:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._table = metadata.tables["immigration_notices"]

    def seen(self, notice_id: str) -> bool:
        t = self._table
        query = select(t.c.notice_id).where(t.c.notice_id == notice_id)
        return self._connection.execute(query).first() is not None

    def remember(
        self, notice_id: str, message_id: str, record_id: str, kind: str, at: datetime
    ) -> None:
        self._connection.execute(
            self._table.insert().values(
                notice_id=notice_id,
                message_id=message_id,
                record_id=record_id,
                kind=kind,
                applied_at=at,
            )
        )


class SqlForeignResidents:
    """Foreign residents found through the partial index of active foreign records
    (``ix_residents_foreign_active``): the card number lives inside the record's foreign
    block, so a pattern narrows the rows and the decoded block decides."""

    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._table = metadata.tables["residents"]

    def _active_foreign(self, *conditions: Any) -> list[Resident]:
        t = self._table
        query = select(t).where(t.c.foreign_block.is_not(None), t.c.status == "active", *conditions)
        return [resident_from_row(row) for row in self._connection.execute(query)]

    def by_card(self, card_number: str) -> Resident | None:
        # Card numbers are upper-case letters and digits only: nothing to escape in the pattern.
        pattern = f'%"card_number":{json.dumps(card_number)}%'
        found = self._active_foreign(self._table.c.foreign_block.like(pattern))
        return next(
            (r for r in found if r.foreign is not None and r.foreign.card_number == card_number),
            None,
        )

    def without_card(self, birth_date: date) -> list[Resident]:
        found = self._active_foreign(self._table.c.birth_date == birth_date)
        return [r for r in found if r.foreign is not None and not r.foreign.card_number]
