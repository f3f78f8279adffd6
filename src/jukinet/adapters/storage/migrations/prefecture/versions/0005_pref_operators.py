"""Operator accounts with a second factor, sessions and the operators' log replace the
interim operator tokens (see steps_operators).

Revision ID: 0005_pref
Revises: 0004_pref
"""

from __future__ import annotations

from jukinet.adapters.storage.migrations.steps_operators import (
    replace_tokens_with_accounts,
    restore_tokens,
)

revision = "0005_pref"
down_revision = "0004_pref"
branch_labels = None
depends_on = None


def upgrade() -> None:
    replace_tokens_with_accounts()


def downgrade() -> None:
    restore_tokens()
