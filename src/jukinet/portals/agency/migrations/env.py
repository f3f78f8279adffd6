"""The Alembic environment of the agency portal's store (see ``../store.py``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from jukinet.portals.agency.store import METADATA

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    if connection.dialect.name == "postgresql":
        # A portal and a command starting together migrate one after the other.
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(current_schema()))"))
    context.configure(
        connection=connection,
        target_metadata=METADATA,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()
