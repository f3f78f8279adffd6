"""Residents' online requests through a resident portal: the portals' credentials, and the
requests a clerk completes at the window (住民票コードの変更請求).

Revision ID: 0011_muni
Revises: 0010_muni
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from jukinet.adapters.storage.migrations.steps_recipients import (
    create_recipient_tables,
    drop_recipient_tables,
)

revision = "0011_muni"
down_revision = "0010_muni"
branch_labels = None
depends_on = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    create_recipient_tables()
    op.create_table(
        "online_requests",
        sa.Column("request_id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("resident_code", sa.String(11), nullable=False),
        sa.Column("portal", sa.String(64), nullable=False),
        sa.Column("filed_by", sa.String(64), nullable=False),
        sa.Column("filed_at", MOMENT, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("completed_at", MOMENT),
        sa.Column("completed_by", sa.String(64)),
    )
    op.create_index("ix_online_requests_resident_code", "online_requests", ["resident_code"])
    op.create_index("ix_online_requests_state", "online_requests", ["state"])


def downgrade() -> None:
    op.drop_index("ix_online_requests_state", "online_requests")
    op.drop_index("ix_online_requests_resident_code", "online_requests")
    op.drop_table("online_requests")
    drop_recipient_tables()
