"""Moves between municipalities: 転出証明書情報 received, and 転入通知 received."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

from sqlalchemy import MetaData, select, update
from sqlalchemy.engine import Connection

from jukinet.adapters.storage.moments import as_utc
from jukinet.adapters.storage.upserts import insert_for
from jukinet.domain.certificates import CertificateInfo
from jukinet.nodes.ports import ReceivedMoveInNotice
from jukinet.protocol.canonical import canonical_bytes
from jukinet.protocol.catalogue import MoveInNotice


def _json(value: object) -> str:
    return canonical_bytes(value).decode()


class SqlArrivingCertificates:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._table = metadata.tables["arriving_certificates"]

    def add(self, info: CertificateInfo, at: datetime) -> bool:
        certificate = info.certificate
        statement = (
            insert_for(self._connection, self._table)
            .values(
                issuer=certificate.issuer,
                certificate_id=certificate.certificate_id,
                holder=info.holder,
                resident_code=certificate.resident_code,
                planned_on=certificate.planned_on,
                content=_json(info.to_wire()),
                received_at=at,
            )
            .on_conflict_do_nothing()
        )
        return self._connection.execute(statement).rowcount == 1

    def of_holder(self, holder: str) -> list[tuple[CertificateInfo, datetime | None]]:
        t = self._table
        rows = self._connection.execute(
            select(t.c.content, t.c.used_at)
            .where(t.c.holder == holder)
            .order_by(t.c.planned_on.desc(), t.c.received_at.desc())
        )
        return [
            (CertificateInfo.from_wire(json.loads(row.content)), as_utc(row.used_at))
            for row in rows
        ]

    def use(self, issuer: str, certificate_id: str, at: datetime) -> bool:
        t = self._table
        result = self._connection.execute(
            update(t)
            .where(
                t.c.issuer == issuer, t.c.certificate_id == certificate_id, t.c.used_at.is_(None)
            )
            .values(used_at=at)
        )
        return result.rowcount == 1


class SqlMoveInNotices:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._table = metadata.tables["move_in_notices"]

    def seen(self, message_id: str) -> bool:
        t = self._table
        found = self._connection.execute(
            select(t.c.message_id).where(t.c.message_id == message_id)
        ).first()
        return found is not None

    def add(self, received: ReceivedMoveInNotice) -> None:
        self._connection.execute(
            self._table.insert().values(
                message_id=received.message_id,
                received_at=received.received_at,
                sender=received.sender,
                resident_code=received.notice.resident_code,
                content=_json(received.notice.to_body()),
                outcome=received.outcome,
                detail=received.detail,
            )
        )

    def with_outcome(self, outcome: str, since: date | None = None) -> list[ReceivedMoveInNotice]:
        t = self._table
        query = select(t).where(t.c.outcome == outcome).order_by(t.c.received_at)
        if since is not None:
            query = query.where(t.c.received_at >= datetime.combine(since, time(), UTC))
        return [
            ReceivedMoveInNotice(
                message_id=row.message_id,
                received_at=as_utc(row.received_at),
                sender=row.sender,
                notice=MoveInNotice.from_body(json.loads(row.content)),
                outcome=row.outcome,
                detail=row.detail,
            )
            for row in self._connection.execute(query)
        ]
