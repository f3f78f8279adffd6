"""Counting the national node's issued codes and numbers (``nodes/national/code_pools.py``).

A granted code is in use once an identity update naming it has arrived: one grouped query
with an index probe per code (``identity_versions.resident_code`` is indexed).
"""

from __future__ import annotations

from sqlalchemy import MetaData, case, exists, func, select
from sqlalchemy.engine import Engine

from jukinet.adapters.storage.moments import as_utc
from jukinet.nodes.national.code_pools import NumberTotals, PoolLine


class SqlCodeLedger:
    def __init__(self, engine: Engine, metadata: MetaData) -> None:
        self._engine = engine
        self._codes = metadata.tables["issued_resident_codes"]
        self._numbers = metadata.tables["issued_my_numbers"]
        self._versions = metadata.tables["identity_versions"]

    def pools(self) -> list[PoolLine]:
        c, v = self._codes, self._versions
        used = exists().where(v.c.resident_code == c.c.code)
        query = select(
            c.c.municipality_code,
            func.count(),
            func.sum(case((used, 1), else_=0)),
            func.max(c.c.granted_at),
        ).group_by(c.c.municipality_code)
        with self._engine.connect() as connection:
            rows = connection.execute(query).all()
        return [
            PoolLine(code, int(granted), int(in_use or 0), as_utc(last))
            for code, granted, in_use, last in rows
        ]

    def numbers(self) -> NumberTotals:
        n = self._numbers
        query = select(
            func.sum(case((n.c.retired.is_(False), 1), else_=0)),
            func.sum(case((n.c.retired.is_(True), 1), else_=0)),
        )
        with self._engine.connect() as connection:
            issued, retired = connection.execute(query).one()
        return NumberTotals(int(issued or 0), int(retired or 0))
