"""The agency portal's first schema: its operators (the same tables as a node's) and the
agency's request log, its provision history.

Revision ID: 0001_agpo
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_agpo"
down_revision = None
branch_labels = None
depends_on = None

MOMENT = sa.DateTime(timezone=True)
SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "operator_accounts",
        sa.Column("operator_id", sa.String(32), primary_key=True),
        sa.Column("matching_id", sa.String(16), nullable=False, unique=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("roles", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("code_secret", sa.String(200), nullable=False),
        sa.Column("last_code_step", sa.BigInteger(), nullable=False),
        sa.Column("failed_sign_ins", sa.Integer(), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("locked_at", MOMENT),
        sa.Column("disabled_at", MOMENT),
    )
    op.create_table(
        "operator_sessions",
        sa.Column("session_id", sa.String(36), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("operator_id", sa.String(32), nullable=False, index=True),
        sa.Column("terminal", sa.String(64), nullable=False),
        sa.Column("started_at", MOMENT, nullable=False),
        sa.Column("last_seen_at", MOMENT, nullable=False),
        sa.Column("ended_at", MOMENT),
        sa.Column("end_reason", sa.String(20)),
    )
    op.create_table(
        "operator_events",
        sa.Column("id", SERIAL, primary_key=True, autoincrement=True),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("operator_id", sa.String(64), nullable=False, index=True),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("terminal", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
    )
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
