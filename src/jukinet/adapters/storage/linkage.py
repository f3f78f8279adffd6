"""The provision network's store: codes waiting for their agency, and nothing more."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import MetaData, delete, select
from sqlalchemy.engine import Connection

from jukinet.adapters.storage.upserts import insert_for


class SqlAgencyCodes:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._table = metadata.tables["agency_codes"]

    def file(self, agency_id: str, acquisition_number: str, code: str, at: datetime) -> None:
        statement = insert_for(self._connection, self._table).values(
            agency_id=agency_id, acquisition_number=acquisition_number, code=code, filed_at=at
        )
        self._connection.execute(
            statement.on_conflict_do_update(
                index_elements=["agency_id", "acquisition_number"],
                set_={"code": statement.excluded.code, "filed_at": statement.excluded.filed_at},
            )
        )

    def take(self, agency_id: str, acquisition_numbers: Sequence[str]) -> dict[str, str]:
        t = self._table
        mine = (t.c.agency_id == agency_id) & t.c.acquisition_number.in_(list(acquisition_numbers))
        query = select(t.c.acquisition_number, t.c.code).where(mine)
        found = {str(number): str(code) for number, code in self._connection.execute(query)}
        self._connection.execute(delete(t).where(mine))
        return found
