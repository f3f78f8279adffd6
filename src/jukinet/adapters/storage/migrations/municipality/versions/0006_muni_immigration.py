"""Notices of the immigration authority applied here, and an index of active foreign residents.

Revision ID: 0006_muni
Revises: 0005_muni
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_muni"
down_revision = "0005_muni"
branch_labels = None
depends_on = None

FOREIGN_AND_ACTIVE = "foreign_block IS NOT NULL AND status = 'active'"


def upgrade() -> None:
    op.create_table(
        "immigration_notices",
        sa.Column("notice_id", sa.String(40), primary_key=True),
        sa.Column("message_id", sa.String(36), nullable=False),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_immigration_notices_record_id", "immigration_notices", ["record_id"])
    op.create_index(
        "ix_residents_foreign_active",
        "residents",
        ["record_id"],
        sqlite_where=sa.text(FOREIGN_AND_ACTIVE),
        postgresql_where=sa.text(FOREIGN_AND_ACTIVE),
    )


def downgrade() -> None:
    op.drop_index("ix_residents_foreign_active", "residents")
    op.drop_index("ix_immigration_notices_record_id", "immigration_notices")
    op.drop_table("immigration_notices")
