"""The hash-chained access log, its signed checkpoints and append-only triggers
(see steps_access_log).

Revision ID: 0010_muni
Revises: 0009_muni
"""

from __future__ import annotations

from jukinet.adapters.storage.migrations.steps_access_log import (
    create_access_log_tables,
    drop_access_log_tables,
)

revision = "0010_muni"
down_revision = "0009_muni"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_access_log_tables()


def downgrade() -> None:
    drop_access_log_tables()
