"""Residents' rights: disclosure and correction requests, complaints, staff operator tokens
(see steps_rights).

Revision ID: 0005_nati
Revises: 0004_nati
"""

from __future__ import annotations

from jukinet.adapters.storage.migrations.steps_rights import (
    create_rights_tables,
    drop_rights_tables,
)

revision = "0005_nati"
down_revision = "0004_nati"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_rights_tables()


def downgrade() -> None:
    drop_rights_tables()
