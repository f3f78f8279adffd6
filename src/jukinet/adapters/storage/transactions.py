"""One connection, one transaction, and the repositories bound to it.

Subclasses bind their repositories in ``_bind``. Nothing reaches the database for good until
``commit``; leaving the ``with`` block without it rolls everything back, so a use case that
raises half-way writes nothing.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import MetaData
from sqlalchemy.engine import Connection, Engine, Transaction


class TransactionScope:
    def __init__(self, engine: Engine, metadata: MetaData) -> None:
        self._engine = engine
        self._metadata = metadata
        self._connection: Connection | None = None
        self._transaction: Transaction | None = None

    def _bind(self, connection: Connection, metadata: MetaData) -> None:
        """Bind the repositories of this kind of unit to ``connection``."""

    def __enter__(self) -> Self:
        self._connection = self._engine.connect()
        self._transaction = self._connection.begin()
        self._bind(self._connection, self._metadata)
        return self

    def commit(self) -> None:
        assert self._transaction is not None, "commit outside of 'with'"
        self._transaction.commit()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._connection is not None
        assert self._transaction is not None
        if self._transaction.is_active:
            self._transaction.rollback()
        self._connection.close()
        self._connection = self._transaction = None
