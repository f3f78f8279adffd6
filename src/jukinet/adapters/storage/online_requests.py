"""Residents' online requests at a municipality, each one row written whole on every step;
``get`` locks the row on PostgreSQL so that two clerks cannot complete one request twice."""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData, select
from sqlalchemy.engine import Connection, RowMapping

from jukinet.adapters.storage.moments import as_utc
from jukinet.domain.online_requests import OnlineRequest, OnlineRequestKind, OnlineRequestState

MOST_PENDING = 500  # a window's list, not an export


class SqlOnlineRequests:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._table = metadata.tables["online_requests"]

    def add(self, request: OnlineRequest) -> None:
        self._connection.execute(self._table.insert(), _row(request))

    def get(self, request_id: str) -> OnlineRequest | None:
        t = self._table
        query = select(t).where(t.c.request_id == request_id).with_for_update()
        row = self._connection.execute(query).mappings().first()
        return None if row is None else _request(row)

    def update(self, request: OnlineRequest) -> None:
        t = self._table
        where = t.c.request_id == request.request_id
        self._connection.execute(t.update().where(where), _row(request))

    def pending(self) -> list[OnlineRequest]:
        t = self._table
        query = (
            select(t)
            .where(t.c.state == OnlineRequestState.PENDING.value)
            .order_by(t.c.filed_at, t.c.request_id)
            .limit(MOST_PENDING)
        )
        return [_request(row) for row in self._connection.execute(query).mappings()]

    def of_resident(self, resident_code: str, portal: str) -> list[OnlineRequest]:
        t = self._table
        query = (
            select(t)
            .where(t.c.resident_code == resident_code, t.c.portal == portal)
            .order_by(t.c.filed_at.desc(), t.c.request_id)
        )
        return [_request(row) for row in self._connection.execute(query).mappings()]


def _row(request: OnlineRequest) -> dict[str, Any]:
    return {
        "request_id": request.request_id,
        "kind": request.kind.value,
        "resident_code": request.resident_code,
        "portal": request.portal,
        "filed_by": request.filed_by,
        "filed_at": request.filed_at,
        "state": request.state.value,
        "completed_at": request.completed_at,
        "completed_by": request.completed_by,
    }


def _request(row: RowMapping) -> OnlineRequest:
    return OnlineRequest(
        row["request_id"],
        OnlineRequestKind(row["kind"]),
        row["resident_code"],
        row["portal"],
        row["filed_by"],
        as_utc(row["filed_at"]),
        as_utc(row["completed_at"]),
        row["completed_by"],
    )
