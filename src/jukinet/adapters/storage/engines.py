"""Engines for node stores: SQLite (embedded default, WAL) or PostgreSQL (production).

A deployment names one database URL. For SQLite it is a folder (``sqlite:///var/db``) in which
each node gets ``<node id>.db``, or a file name (``sqlite:///var/jk.db``) that each node
extends with its id (``var/jk.<node id>.db``), so two nodes never share a store. For PostgreSQL every
node gets its own schema in the named database, so one server can hold a whole test country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

_SCHEMA = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


@dataclass(frozen=True, slots=True)
class StoreLocation:
    """Where a node's tables live: a URL and, on PostgreSQL, a schema."""

    url: str
    schema: str | None = None
    # FULL: a commit survives power loss too, so a receipt is never given for a version that
    # could still vanish (NORMAL, in WAL mode, only survives a crash of the process).
    sqlite_synchronous: str = "FULL"

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")


def location_for(
    base_url: str, node_id: str, schema_prefix: str = "", sqlite_synchronous: str = "FULL"
) -> StoreLocation:
    """The store of ``node_id`` under a deployment's base URL (see the module docstring)."""
    url = make_url(base_url)
    if url.get_backend_name() == "sqlite":
        return _sqlite_location(url.database or "", node_id, sqlite_synchronous.upper())
    schema = f"{schema_prefix}{node_id}".replace("-", "_").lower()
    if not _SCHEMA.match(schema):
        raise ValueError(f"{schema!r} is not a usable PostgreSQL schema name")
    return StoreLocation(base_url, schema)


def _sqlite_location(database: str, node_id: str, synchronous: str) -> StoreLocation:
    if not database or database == ":memory:":
        return StoreLocation("sqlite://", sqlite_synchronous=synchronous)
    if database.endswith(".db"):  # a file names the node's own store: m.db → m.<node>.db
        path = Path(database)
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path.resolve().with_suffix('')}.{node_id}.db"
    else:
        folder = Path(database)
        folder.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{folder.resolve() / node_id}.db"
    return StoreLocation(url, sqlite_synchronous=synchronous)


def _sqlite_pragmas(synchronous: str) -> Any:
    if synchronous not in ("FULL", "EXTRA", "NORMAL"):
        raise ValueError(f"SQLite synchronous must be FULL, EXTRA or NORMAL, not {synchronous!r}")

    def apply(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return apply


# Every worker thread of a served node (web/threads.py: REQUEST_THREADS + HOT_THREADS) and its
# relay and batch worker each hold one connection at most.
POOL_SIZE = 24


def make_engine(location: StoreLocation) -> Engine:
    if location.is_sqlite:
        engine = create_engine(location.url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas(location.sqlite_synchronous))
        return engine
    engine = create_engine(
        location.url,
        # Enough for every thread of a served node (above): a connection opened above the
        # pool would be closed on return and reopened, a new backend process per request.
        pool_size=POOL_SIZE,
        max_overflow=8,
        # No pre-ping: it costs a round trip per transaction. Connections older than the
        # recycle time are replaced; a connection that died is discarded on its error.
        pool_recycle=1800,
        connect_args={"options": f"-c search_path={location.schema}"},
    )
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{location.schema}"'))
    return engine


def drop_schema(engine: Engine, schema: str) -> None:
    """Remove a node's schema and everything in it (tests and ``jukinet demo --fresh``)."""
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
