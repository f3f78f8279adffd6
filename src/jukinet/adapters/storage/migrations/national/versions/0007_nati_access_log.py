"""The hash-chained access log, its signed checkpoints and append-only triggers
(see steps_access_log).

Revision ID: 0007_nati
Revises: 0006_nati
"""

from __future__ import annotations

from jukinet.adapters.storage.migrations.steps_access_log import (
    create_access_log_tables,
    drop_access_log_tables,
)

revision = "0007_nati"
down_revision = "0006_nati"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_access_log_tables()


def downgrade() -> None:
    drop_access_log_tables()
