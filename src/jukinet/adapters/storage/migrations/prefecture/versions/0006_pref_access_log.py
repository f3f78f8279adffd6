"""The hash-chained access log, its signed checkpoints and append-only triggers
(see steps_access_log).

Revision ID: 0006_pref
Revises: 0005_pref
"""

from __future__ import annotations

from jukinet.adapters.storage.migrations.steps_access_log import (
    create_access_log_tables,
    drop_access_log_tables,
)

revision = "0006_pref"
down_revision = "0005_pref"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_access_log_tables()


def downgrade() -> None:
    drop_access_log_tables()
