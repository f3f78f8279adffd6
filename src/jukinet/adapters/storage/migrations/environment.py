"""The Alembic environment every role shares; each role's env.py only calls :func:`run`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from jukinet.adapters.storage.tables import METADATA


def run() -> None:
    config = context.config
    engine = config.attributes["engine"]
    role = config.attributes["role"]
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Processes starting together migrate one after the other, per schema.
            connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(current_schema()))"))
        context.configure(
            connection=connection,
            target_metadata=METADATA[role],
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        context.run_migrations()
