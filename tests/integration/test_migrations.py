"""Each role's Alembic history builds exactly the tables the code uses, on either database."""

from __future__ import annotations

import secrets

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from tests.conftest import database_url

from jukinet.adapters.storage.engines import drop_schema, location_for, make_engine
from jukinet.adapters.storage.migrations import alembic_config, upgrade
from jukinet.adapters.storage.tables import METADATA


@pytest.mark.parametrize("role", sorted(METADATA))
def test_the_migrations_build_the_schema_the_code_uses(role: str, tmp_path: object) -> None:
    url = database_url() or f"sqlite:///{tmp_path}/db"
    location = location_for(url, f"{role}-m", schema_prefix=f"t{secrets.token_hex(3)}_")
    engine = make_engine(location)
    try:
        upgrade(engine, role)
        upgrade(engine, role)  # a second run changes nothing
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), METADATA[role])
            version = connection.execute(text("select version_num from alembic_version")).scalar()
        assert differences == []
        assert (
            version == ScriptDirectory.from_config(alembic_config(role, engine)).get_current_head()
        )
    finally:
        if location.schema:
            drop_schema(engine, location.schema)
        engine.dispose()
