"""住民票の写し: the fee in force, copies issued here, wide-area requests answered here.

Revision ID: 0005_muni
Revises: 0004_muni
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_muni"
down_revision = "0004_muni"
branch_labels = None
depends_on = None

SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "copy_fees",
        sa.Column("id", SERIAL, primary_key=True, autoincrement=True),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("set_at", MOMENT, nullable=False),
        sa.Column("operator", sa.String(64), nullable=False),
    )
    op.create_table(
        "copy_issuances",
        sa.Column("issuance_id", sa.String(36), primary_key=True),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("operator", sa.String(64), nullable=False),
        sa.Column("requester_kind", sa.String(20), nullable=False),
        sa.Column("requester_name", sa.String(200), nullable=False),
        sa.Column("requester_code", sa.String(11)),
        sa.Column("document", sa.String(40)),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("issuing_municipality", sa.String(6), nullable=False),
        sa.Column("home_municipality", sa.String(6), nullable=False),
        sa.Column("layout", sa.String(20), nullable=False),
        sa.Column("items", sa.String(200), nullable=False),
        sa.Column("sheets", sa.Integer(), nullable=False),
        sa.Column("fee", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    op.create_table(
        "copy_issuance_people",
        sa.Column("issuance_id", sa.String(36), primary_key=True),
        sa.Column("resident_code", sa.String(11), primary_key=True),
    )
    op.create_index(
        "ix_copy_issuance_people_resident_code", "copy_issuance_people", ["resident_code"]
    )
    op.create_table(
        "wide_area_answers",
        sa.Column("id", SERIAL, primary_key=True, autoincrement=True),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("requester_node", sa.String(64), nullable=False),
        sa.Column("issuing_municipality", sa.String(6), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.Column("requester_code", sa.String(11), nullable=False),
        sa.Column("resident_code", sa.String(11), nullable=False),
        sa.Column("items", sa.String(200), nullable=False),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    op.create_index("ix_wide_area_answers_resident_code", "wide_area_answers", ["resident_code"])


def downgrade() -> None:
    op.drop_index("ix_wide_area_answers_resident_code", "wide_area_answers")
    op.drop_table("wide_area_answers")
    op.drop_index("ix_copy_issuance_people_resident_code", "copy_issuance_people")
    op.drop_table("copy_issuance_people")
    op.drop_table("copy_issuances")
    op.drop_table("copy_fees")
