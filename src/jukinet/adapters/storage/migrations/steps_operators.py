"""Steps of the operators migration, shared by the municipality, prefecture and national roles
(frozen: never edit; a later change is a new migration).

The interim bearer tokens (``operator_tokens``) give way to operator accounts with a second
factor, their sessions and the operators' log (issue 5). Tokens issued before stop working:
every operator signs in with an account from now on.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

MOMENT = sa.DateTime(timezone=True)
SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def replace_tokens_with_accounts() -> None:
    op.drop_table("operator_tokens")
    create_operator_tables()


def create_operator_tables() -> None:
    """Accounts, sessions and the operators' log (also the agency portal's first schema)."""
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


def restore_tokens() -> None:
    for table in ("operator_events", "operator_sessions", "operator_accounts"):
        op.drop_table(table)
    op.create_table(
        "operator_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("operator", sa.String(64), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("revoked_at", MOMENT),
    )
