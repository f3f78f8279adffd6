"""Moves between municipalities: 転出証明書情報 received, and 転入通知 received.

Revision ID: 0007_muni
Revises: 0006_muni
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_muni"
down_revision = "0006_muni"
branch_labels = None
depends_on = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "arriving_certificates",
        sa.Column("issuer", sa.String(6), primary_key=True),
        sa.Column("certificate_id", sa.String(64), primary_key=True),
        sa.Column("holder", sa.String(11), nullable=False),
        sa.Column("resident_code", sa.String(11), nullable=False),
        sa.Column("planned_on", sa.Date, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("received_at", MOMENT, nullable=False),
        sa.Column("used_at", MOMENT),
    )
    op.create_index("ix_arriving_certificates_holder", "arriving_certificates", ["holder"])
    op.create_table(
        "move_in_notices",
        sa.Column("message_id", sa.String(36), primary_key=True),
        sa.Column("received_at", MOMENT, nullable=False),
        sa.Column("sender", sa.String(6), nullable=False),
        sa.Column("resident_code", sa.String(11), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_move_in_notices_resident_code", "move_in_notices", ["resident_code"])
    op.create_index("ix_move_in_notices_outcome", "move_in_notices", ["outcome"])


def downgrade() -> None:
    op.drop_index("ix_move_in_notices_outcome", "move_in_notices")
    op.drop_index("ix_move_in_notices_resident_code", "move_in_notices")
    op.drop_table("move_in_notices")
    op.drop_index("ix_arriving_certificates_holder", "arriving_certificates")
    op.drop_table("arriving_certificates")
