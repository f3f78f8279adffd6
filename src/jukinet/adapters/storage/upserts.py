"""Dialect-aware INSERT … ON CONFLICT, the one SQL feature SQLite and PostgreSQL spell alike
but SQLAlchemy exposes per dialect."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection


def insert_for(connection: Connection, table: Table) -> Any:
    """An ``insert`` construct with ``on_conflict_*`` methods for this connection's dialect."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
