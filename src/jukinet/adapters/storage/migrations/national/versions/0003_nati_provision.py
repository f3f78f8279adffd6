"""Search keys on identity_current; provision tables (see steps_0003).

Revision ID: 0003_nati
Revises: 0002_nati
"""

from __future__ import annotations

from jukinet.adapters.storage.migrations.steps_0003 import (
    add_search_keys,
    create_provision_tables,
    drop_provision_tables,
    drop_search_keys,
)

revision = "0003_nati"
down_revision = "0002_nati"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_search_keys()
    create_provision_tables()


def downgrade() -> None:
    drop_provision_tables()
    drop_search_keys()
