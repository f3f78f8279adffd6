"""Outbox rows the recipient refused for their content are set aside, with the reason.

Revision ID: 0002_pref
Revises: 0001_pref
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_pref"
down_revision = "0001_pref"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("refused_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("refusal", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("refusal")
        batch_op.drop_column("refused_at")
