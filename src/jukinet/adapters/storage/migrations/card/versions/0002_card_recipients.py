"""Recipients' credentials at the card node: resident portals sign residents in with the card.

Revision ID: 0002_card
Revises: 0001_card
"""

from __future__ import annotations

from jukinet.adapters.storage.migrations.steps_recipients import (
    create_recipient_tables,
    drop_recipient_tables,
)

revision = "0002_card"
down_revision = "0001_card"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_recipient_tables()


def downgrade() -> None:
    drop_recipient_tables()
