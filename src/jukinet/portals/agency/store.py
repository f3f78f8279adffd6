"""The agency portal's own store: its operators and the agency's request log.

The operators' tables are those of a node (accounts, sessions, the operators' log), so the
same adapter (``adapters/storage/operators.py``) and the same use cases serve them. The
request log, ``agency_requests``, is the agency's provision history: one line per request
the portal sent, with no search key and no answer in it.

SQLite by default, PostgreSQL by URL (a schema of its own), as a node's store
(``adapters/storage/engines.py``). The tables are built by an Alembic history of the
portal's own (``migrations/``), applied when the portal or its commands open the store.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection, RowMapping

from jukinet.adapters.storage.engines import StoreLocation, make_engine
from jukinet.adapters.storage.migrations import _sqlite_file_lock
from jukinet.adapters.storage.moments import as_utc
from jukinet.adapters.storage.tables import METADATA as NODE_METADATA
from jukinet.adapters.storage.transactions import TransactionScope
from jukinet.domain.provision import Channel
from jukinet.nodes.agency.ports import RequestLine

STORE_ID = "agency-portal"
MIGRATIONS = Path(__file__).parent / "migrations"
OPERATOR_TABLES = ("operator_accounts", "operator_sessions", "operator_events")
SERIAL = BigInteger().with_variant(Integer(), "sqlite")


def portal_metadata() -> MetaData:
    metadata = MetaData()
    for name in OPERATOR_TABLES:  # exactly a node's: one adapter and one history of rules
        NODE_METADATA["national"].tables[name].to_metadata(metadata)
    requests = Table(
        "agency_requests",
        metadata,
        Column("id", SERIAL, primary_key=True, autoincrement=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("operator_id", String(32), nullable=False),
        Column("affair", String(64), nullable=False),
        Column("channel", String(20), nullable=False),
        Column("outcome", String(40), nullable=False),
        Column("matches", Integer),
        Column("reference", String(64), nullable=False),  # the provision or batch id
        Column("file_name", String(200), nullable=False),
        Column("rows_total", Integer),
        Column("detail", Text, nullable=False),
    )
    Index("ix_agency_requests_reference", requests.c.reference)
    Index("ix_agency_requests_channel", requests.c.channel, requests.c.id)
    return metadata


METADATA = portal_metadata()


class SqlRequestLog:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._table = metadata.tables["agency_requests"]

    def add(self, line: RequestLine) -> None:
        self._connection.execute(
            insert(self._table).values(
                at=line.at,
                operator_id=line.operator_id,
                affair=line.affair,
                channel=line.channel.value,
                outcome=line.outcome,
                matches=line.matches,
                reference=line.reference,
                file_name=line.file_name,
                rows_total=line.rows_total,
                detail=line.detail,
            )
        )

    def batch(self, batch_id: str) -> RequestLine | None:
        t = self._table
        query = select(t).where(
            t.c.reference == batch_id, t.c.channel == Channel.NETWORK_BATCH.value
        )
        row = self._connection.execute(query).mappings().first()
        return None if row is None else _line(row)

    def set_outcome(self, reference: str, outcome: str) -> None:
        t = self._table
        self._connection.execute(
            update(t).where(t.c.reference == reference).values(outcome=outcome)
        )

    def recent(self, limit: int, channel: Channel | None = None) -> list[RequestLine]:
        t = self._table
        query = select(t).order_by(t.c.id.desc()).limit(limit)
        if channel is not None:
            query = query.where(t.c.channel == channel.value)
        return [_line(row) for row in self._connection.execute(query).mappings()]


def _line(row: RowMapping) -> RequestLine:
    return RequestLine(
        as_utc(row["at"]),
        row["operator_id"],
        row["affair"],
        Channel(row["channel"]),
        row["outcome"],
        row["matches"],
        row["reference"],
        row["file_name"],
        row["rows_total"],
        row["detail"],
    )


class SqlRequestUnitOfWork(TransactionScope):
    """One transaction over the agency's request log."""

    requests: SqlRequestLog

    def _bind(self, connection: Connection, metadata: MetaData) -> None:
        self.requests = SqlRequestLog(connection, metadata)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def open_store(location: StoreLocation) -> Engine:
    """The portal's store at ``location``, brought to the newest schema (idempotent, safe
    when the portal and a command open it at once)."""
    engine = make_engine(location)
    with _sqlite_file_lock(engine):
        command.upgrade(alembic_config(engine), "head")
    return engine
