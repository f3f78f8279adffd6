"""Recipients' credentials on a node that did not have them: the card node and the
municipalities, which resident portals now call with signed requests (frozen: never edit;
a later change is a new migration)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
MOMENT = sa.DateTime(timezone=True)


def create_recipient_tables() -> None:
    op.create_table(
        "recipient_credentials",
        sa.Column("fingerprint", sa.String(64), primary_key=True),
        sa.Column("recipient_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=False),
        sa.Column("not_after", MOMENT, nullable=False),
        sa.Column("registered_at", MOMENT, nullable=False),
        sa.Column("registered_by", sa.String(64), nullable=False),
        sa.Column("revoked_at", MOMENT, nullable=True),
        sa.Column("revoked_by", sa.String(64), nullable=True),
    )
    op.create_index(
        "ix_recipient_credentials_recipient_id", "recipient_credentials", ["recipient_id"]
    )
    op.create_table(
        "registry_changes",
        sa.Column("id", SERIAL, primary_key=True, autoincrement=True),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("operator", sa.String(64), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
    )


def drop_recipient_tables() -> None:
    op.drop_table("registry_changes")
    op.drop_index("ix_recipient_credentials_recipient_id", "recipient_credentials")
    op.drop_table("recipient_credentials")
