"""抑止 and 支援措置: suppressions, support measures, the suppression feed, inspection lists.

Revision ID: 0008_muni
Revises: 0007_muni
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_muni"
down_revision = "0007_muni"
branch_labels = None
depends_on = None

MOMENT = sa.DateTime(timezone=True)
SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "suppressions",
        sa.Column("suppression_id", sa.String(36), primary_key=True),
        sa.Column("target", sa.String(10), nullable=False),
        sa.Column("target_id", sa.String(36), nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("processes", sa.String(200), nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date),
        sa.Column("set_by", sa.String(64), nullable=False),
        sa.Column("set_at", MOMENT, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("measure_id", sa.String(36)),
        sa.Column("released_at", MOMENT),
        sa.Column("released_by", sa.String(64), nullable=False),
        sa.Column("temporary_until", MOMENT),
        sa.Column("temporary_by", sa.String(64), nullable=False),
    )
    op.create_index("ix_suppressions_target_id", "suppressions", ["target_id"])
    op.create_index("ix_suppressions_measure_id", "suppressions", ["measure_id"])
    op.create_table(
        "support_measures",
        sa.Column("measure_id", sa.String(36), primary_key=True),
        sa.Column("resident_code", sa.String(11), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("requested_by", sa.String(6), nullable=False),
        sa.Column("remote_measure_id", sa.String(64), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
    )
    op.create_index("ix_support_measures_resident_code", "support_measures", ["resident_code"])
    op.create_index("ix_support_measures_state", "support_measures", ["state"])
    op.create_table(
        "support_measure_people",
        sa.Column("measure_id", sa.String(36), primary_key=True),
        sa.Column("resident_code", sa.String(11), primary_key=True),
    )
    op.create_index(
        "ix_support_measure_people_resident_code", "support_measure_people", ["resident_code"]
    )
    op.create_table(
        "suppression_feed",
        sa.Column("id", SERIAL, primary_key=True, autoincrement=True),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("event", sa.String(10), nullable=False),
        sa.Column("suppression_id", sa.String(36), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
    )
    op.create_table(
        "inspections",
        sa.Column("inspection_id", sa.String(36), primary_key=True),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("operator", sa.String(64), nullable=False),
        sa.Column("requester", sa.String(200), nullable=False),
        sa.Column("purpose_kind", sa.String(40), nullable=False),
        sa.Column("purpose", sa.Text, nullable=False),
        sa.Column("area", sa.String(200), nullable=False),
        sa.Column("listed", sa.Integer, nullable=False),
        sa.Column("left_out", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("inspections")
    op.drop_table("suppression_feed")
    op.drop_index("ix_support_measure_people_resident_code", "support_measure_people")
    op.drop_table("support_measure_people")
    op.drop_index("ix_support_measures_state", "support_measures")
    op.drop_index("ix_support_measures_resident_code", "support_measures")
    op.drop_table("support_measures")
    op.drop_index("ix_suppressions_measure_id", "suppressions")
    op.drop_index("ix_suppressions_target_id", "suppressions")
    op.drop_table("suppressions")
