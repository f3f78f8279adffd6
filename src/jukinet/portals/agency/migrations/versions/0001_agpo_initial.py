"""The agency portal's first schema: its operators (the same tables as a node's) and the
agency's request log, its provision history.

Revision ID: 0001_agpo
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from jukinet.adapters.storage.migrations.steps_operators import create_operator_tables

revision = "0001_agpo"
down_revision = None
branch_labels = None
depends_on = None

MOMENT = sa.DateTime(timezone=True)
SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    create_operator_tables()
    op.create_table(
        "agency_requests",
        sa.Column("id", SERIAL, primary_key=True, autoincrement=True),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("operator_id", sa.String(32), nullable=False),
        sa.Column("affair", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("matches", sa.Integer()),
        sa.Column("reference", sa.String(64), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("rows_total", sa.Integer()),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    op.create_index("ix_agency_requests_reference", "agency_requests", ["reference"])
    op.create_index("ix_agency_requests_channel", "agency_requests", ["channel", "id"])


def downgrade() -> None:
    for table in ("agency_requests", "operator_events", "operator_sessions", "operator_accounts"):
        op.drop_table(table)
