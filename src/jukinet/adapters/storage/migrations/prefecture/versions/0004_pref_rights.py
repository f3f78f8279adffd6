"""Residents' rights: disclosure and correction requests, complaints, staff operator tokens
(see steps_rights).

Revision ID: 0004_pref
Revises: 0003_pref
"""

from __future__ import annotations

from jukinet.adapters.storage.migrations.steps_rights import (
    create_rights_tables,
    drop_rights_tables,
)

revision = "0004_pref"
down_revision = "0003_pref"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_rights_tables()


def downgrade() -> None:
    drop_rights_tables()
