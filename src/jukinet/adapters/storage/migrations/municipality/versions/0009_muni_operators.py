"""Operator accounts with a second factor, sessions and the operators' log replace the
interim operator tokens (see steps_operators).

Revision ID: 0009_muni
Revises: 0008_muni
"""

from __future__ import annotations

from jukinet.adapters.storage.migrations.steps_operators import (
    replace_tokens_with_accounts,
    restore_tokens,
)

revision = "0009_muni"
down_revision = "0008_muni"
branch_labels = None
depends_on = None


def upgrade() -> None:
    replace_tokens_with_accounts()


def downgrade() -> None:
    restore_tokens()
