"""Repositories of the national node's code issuance: every code and number ever issued."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import MetaData, select, update
from sqlalchemy.engine import Connection

from jukinet.adapters.storage.upserts import insert_for


class SqlIssuedCodes:
    """住民票コード ever granted to a municipality; the table is never pruned."""

    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._table = metadata.tables["issued_resident_codes"]

    def add_new(self, codes: Sequence[str], municipality_code: str, at: datetime) -> list[str]:
        if not codes:
            return []
        statement = (
            insert_for(self._connection, self._table)
            .on_conflict_do_nothing(index_elements=["code"])
            .returning(self._table.c.code)
        )
        rows = [
            {"code": c, "municipality_code": municipality_code, "granted_at": at} for c in codes
        ]
        result = self._connection.execute(statement, rows)
        return [row[0] for row in result]

    def was_issued(self, code: str) -> bool:
        t = self._table
        return (
            self._connection.execute(select(t.c.code).where(t.c.code == code)).first() is not None
        )


class SqlIssuedMyNumbers:
    """個人番号 ever generated; a retired (leaked) number stays here so it is never reissued."""

    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._table = metadata.tables["issued_my_numbers"]

    def number_for(self, resident_code: str) -> str | None:
        t = self._table
        value = self._connection.execute(
            select(t.c.my_number)
            .where(t.c.resident_code == resident_code, t.c.retired.is_(False))
            .order_by(t.c.issued_at.desc())
            .limit(1)
        ).scalar()
        return None if value is None else str(value)

    def add_if_new(self, my_number: str, resident_code: str, reason: str, at: datetime) -> bool:
        statement = (
            insert_for(self._connection, self._table)
            .values(
                my_number=my_number,
                resident_code=resident_code,
                reason=reason,
                issued_at=at,
                retired=False,
            )
            .on_conflict_do_nothing(index_elements=["my_number"])
        )
        return self._connection.execute(statement).rowcount == 1

    def was_retired(self, my_number: str, resident_code: str) -> bool:
        t = self._table
        query = select(t.c.my_number).where(
            t.c.my_number == my_number, t.c.resident_code == resident_code, t.c.retired.is_(True)
        )
        return self._connection.execute(query).first() is not None

    def designate(self, my_number: str, resident_code: str) -> None:
        t = self._table
        self._connection.execute(
            update(t).where(t.c.my_number == my_number).values(resident_code=resident_code)
        )

    def retire(self, my_number: str) -> None:
        t = self._table
        self._connection.execute(update(t).where(t.c.my_number == my_number).values(retired=True))
