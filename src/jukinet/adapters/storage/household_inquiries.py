"""The municipality's record of household checks it answered (世帯情報の確認).

One row per person asked about, written in the transaction that answers, so no answer leaves
without its record.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import MetaData, select
from sqlalchemy.engine import Connection

from jukinet.adapters.storage.moments import as_utc
from jukinet.nodes.ports import HouseholdInquiry

_COLUMNS = ("at", "requester", "provision_id", "recipient_id", "affair_id", "resident_code")


class SqlHouseholdInquiries:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._table = metadata.tables["household_inquiries"]

    def record(self, inquiries: Sequence[HouseholdInquiry]) -> None:
        if inquiries:
            rows = [{name: getattr(i, name) for name in _COLUMNS} for i in inquiries]
            self._connection.execute(self._table.insert(), rows)

    def of(self, resident_code: str) -> list[HouseholdInquiry]:
        t = self._table
        query = (
            select(*(t.c[name] for name in _COLUMNS))
            .where(t.c.resident_code == resident_code)
            .order_by(t.c.id)
        )
        return [
            HouseholdInquiry(as_utc(row.at), *row[1:]) for row in self._connection.execute(query)
        ]
