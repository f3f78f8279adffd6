"""Operator accounts with a second factor, sessions and the operators' log replace the
interim operator tokens (see steps_operators).

Revision ID: 0006_nati
Revises: 0005_nati
"""

from __future__ import annotations

from jukinet.adapters.storage.migrations.steps_operators import (
    replace_tokens_with_accounts,
    restore_tokens,
)

revision = "0006_nati"
down_revision = "0005_nati"
branch_labels = None
depends_on = None


def upgrade() -> None:
    replace_tokens_with_accounts()


def downgrade() -> None:
    restore_tokens()
