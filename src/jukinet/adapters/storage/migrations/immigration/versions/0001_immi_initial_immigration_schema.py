"""initial immigration schema: messaging, and the notices sent with their outcomes

Revision ID: 0001_immi
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_immi"
down_revision = None
branch_labels = None
depends_on = None

SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", SERIAL, primary_key=True, autoincrement=True),
        sa.Column("message_id", sa.String(36), nullable=False, unique=True),
        sa.Column("recipient", sa.String(64), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("stream", sa.String(64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("refused_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refusal", sa.Text(), nullable=True),
    )
    op.create_index(
        "ix_outbox_pending",
        "outbox",
        ["recipient", "id"],
        sqlite_where=sa.text("delivered_at IS NULL"),
        postgresql_where=sa.text("delivered_at IS NULL"),
    )
    op.create_table(
        "received_envelopes",
        sa.Column("envelope_id", sa.String(36), primary_key=True),
        sa.Column("sender", sa.String(64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_received_envelopes_received_at", "received_envelopes", ["received_at"])
    op.create_table(
        "refusals",
        sa.Column("id", SERIAL, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sender", sa.String(200), nullable=False),
        sa.Column("envelope_id", sa.String(200), nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    op.create_table(
        "sent_notices",
        sa.Column("notice_id", sa.String(40), primary_key=True),
        sa.Column("message_id", sa.String(36), nullable=False, unique=True),
        sa.Column("municipality_code", sa.String(6), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("card_number", sa.String(12), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("operator", sa.String(64), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.Column("detail", sa.Text(), server_default="", nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_sent_notices_outcome", "sent_notices", ["outcome"])


def downgrade() -> None:
    op.drop_index("ix_sent_notices_outcome", "sent_notices")
    op.drop_table("sent_notices")
    op.drop_table("refusals")
    op.drop_index("ix_received_envelopes_received_at", "received_envelopes")
    op.drop_table("received_envelopes")
    op.drop_index("ix_outbox_pending", "outbox")
    op.drop_table("outbox")
