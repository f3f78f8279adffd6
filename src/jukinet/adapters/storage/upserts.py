"""Dialect-aware INSERT … ON CONFLICT, the one SQL feature SQLite and PostgreSQL spell alike
but SQLAlchemy exposes per dialect."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection


def insert_for(connection: Connection, table: Table) -> Any:
    """An ``insert`` construct with ``on_conflict_*`` methods for this connection's dialect.

    Callers learn from ``rowcount`` whether a row went in or hit a conflict. SQLAlchemy only
    keeps an INSERT's rowcount on every driver (psycopg 3 reports -1 otherwise) when asked.
    """
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(table).execution_options(preserve_rowcount=True)
