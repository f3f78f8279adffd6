"""Search keys on identity_current (see steps_0003).

Revision ID: 0003_muni
Revises: 0002_muni
"""

from __future__ import annotations

from jukinet.adapters.storage.migrations.steps_0003 import add_search_keys, drop_search_keys

revision = "0003_muni"
down_revision = "0002_muni"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_search_keys()


def downgrade() -> None:
    drop_search_keys()
