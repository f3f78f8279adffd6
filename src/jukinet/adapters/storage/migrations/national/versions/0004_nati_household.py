"""An index to find everyone registered at one address (世帯情報の確認).

Revision ID: 0004_nati
Revises: 0003_nati
"""

from __future__ import annotations

from alembic import op

revision = "0004_nati"
down_revision = "0003_nati"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_identity_current_address", "identity_current", ["municipality_code", "address_key"]
    )


def downgrade() -> None:
    op.drop_index("ix_identity_current_address", "identity_current")
