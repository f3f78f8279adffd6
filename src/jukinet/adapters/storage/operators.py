"""Operator API tokens of a municipality node (stored as SHA-256 hashes, never in the clear).

This is the interim credential of the clerk API until operator accounts with a second factor
arrive (issue 5); each token names one operator, and that name goes into every change record.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

from sqlalchemy import MetaData, select, update
from sqlalchemy.engine import Engine

_OPERATOR = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SqlOperatorTokens:
    def __init__(self, engine: Engine, metadata: MetaData) -> None:
        self._engine = engine
        self._table = metadata.tables["operator_tokens"]

    def issue(self, operator: str, at: datetime) -> str:
        if not _OPERATOR.match(operator):
            raise ValueError(f"operator id {operator!r}: use 1-64 letters, digits, '.', '_' or '-'")
        token = secrets.token_urlsafe(32)
        with self._engine.begin() as connection:
            connection.execute(
                self._table.insert().values(
                    token_hash=_hash(token), operator=operator, created_at=at
                )
            )
        return token

    def operator_for(self, token: str) -> str | None:
        t = self._table
        with self._engine.connect() as connection:
            value = connection.execute(
                select(t.c.operator).where(t.c.token_hash == _hash(token), t.c.revoked_at.is_(None))
            ).scalar()
        return None if value is None else str(value)

    def revoke(self, operator: str, at: datetime) -> int:
        t = self._table
        with self._engine.begin() as connection:
            result = connection.execute(
                update(t)
                .where(t.c.operator == operator, t.c.revoked_at.is_(None))
                .values(revoked_at=at)
            )
        return result.rowcount
