"""The record of household checks answered: who asked about whom (世帯情報の確認).

Revision ID: 0004_muni
Revises: 0003_muni
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_muni"
down_revision = "0003_muni"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "household_inquiries",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requester", sa.String(64), nullable=False),
        sa.Column("provision_id", sa.String(36), nullable=False),
        sa.Column("recipient_id", sa.String(64), nullable=False),
        sa.Column("affair_id", sa.String(64), nullable=False),
        sa.Column("resident_code", sa.String(11), nullable=False),
    )
    op.create_index(
        "ix_household_inquiries_resident_code", "household_inquiries", ["resident_code"]
    )


def downgrade() -> None:
    op.drop_index("ix_household_inquiries_resident_code", "household_inquiries")
    op.drop_table("household_inquiries")
