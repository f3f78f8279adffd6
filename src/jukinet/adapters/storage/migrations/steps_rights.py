"""Steps of the residents' rights migration, shared by the national and prefecture roles
(frozen: never edit; a later change is a new migration).

* Disclosure requests, correction requests and complaints.
* Operator tokens for the node's staff (the municipality has had its own since 0001).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

ID = sa.String(36)
OPERATOR = sa.String(64)


def create_rights_tables() -> None:
    _create_disclosure_requests()
    op.create_table(
        "correction_requests",
        sa.Column("correction_id", ID, primary_key=True),
        sa.Column("disclosure_id", ID, nullable=False, index=True),
        sa.Column("resident_code", sa.String(11), nullable=False),
        sa.Column("items", sa.String(200), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("received_by", OPERATOR, nullable=False),
        sa.Column("findings", sa.Text(), nullable=True),
        sa.Column("result", sa.String(20), nullable=True),
        sa.Column("municipality_code", sa.String(6), nullable=True),
        sa.Column("investigated_on", sa.Date(), nullable=True),
        sa.Column("investigated_by", OPERATOR, nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answered_by", OPERATOR, nullable=True),
    )
    op.create_table(
        "complaints",
        sa.Column("complaint_id", ID, primary_key=True),
        sa.Column("complainant", sa.String(200), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False, index=True),
        sa.Column("received_by", OPERATOR, nullable=False),
        sa.Column("disclosure_id", ID, nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answered_by", OPERATOR, nullable=True),
    )
    op.create_table(
        "operator_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("operator", OPERATOR, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )


def _create_disclosure_requests() -> None:
    op.create_table(
        "disclosure_requests",
        sa.Column("request_id", ID, primary_key=True),
        sa.Column("resident_code", sa.String(11), nullable=False, index=True),
        sa.Column("relation", sa.String(30), nullable=False),
        sa.Column("requester_name", sa.String(200), nullable=False),
        sa.Column("method", sa.String(10), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False, index=True),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("received_by", OPERATOR, nullable=False),
        sa.Column("portal", sa.String(64), nullable=True),
        sa.Column("documents", sa.String(400), nullable=True),
        sa.Column("checked_on", sa.Date(), nullable=True),
        sa.Column("checked_by", OPERATOR, nullable=True),
        sa.Column("decision", sa.String(10), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by", OPERATOR, nullable=True),
        sa.Column("refusal_reason", sa.Text(), nullable=True),
        sa.Column("delivery", sa.String(10), nullable=True),
        sa.Column("delivered_on", sa.Date(), nullable=True),
        sa.Column("delivered_by", OPERATOR, nullable=True),
    )
    op.create_index("ix_disclosure_requests_open", "disclosure_requests", ["decision", "deadline"])


def drop_rights_tables() -> None:
    for table in ("operator_tokens", "complaints", "correction_requests", "disclosure_requests"):
        op.drop_table(table)
