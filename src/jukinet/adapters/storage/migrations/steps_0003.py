"""Steps of the third migration, shared by the roles that take them (frozen: never edit;
a later change is a new migration).

* Every role: search keys on ``identity_current`` (name, furigana, date of birth, sex,
  address), filled in for the rows already there.
* National and prefecture: the provision tables — recipients' credentials, the registry's
  change log, the provision log, and batch requests with their rows and results.
"""

from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa
from alembic import op

from jukinet.domain.matching import address_key, kana_key, name_key

ID = sa.String(36)
SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def add_search_keys() -> None:
    with op.batch_alter_table("identity_current") as batch_op:
        batch_op.add_column(
            sa.Column("name_key", sa.String(200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("kana_key", sa.String(200), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("birth_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("sex", sa.String(6), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("address_key", sa.String(400), nullable=False, server_default="")
        )
        batch_op.create_index("ix_identity_current_name", ["name_key", "birth_date"])
        batch_op.create_index("ix_identity_current_kana", ["kana_key", "birth_date"])
    _fill_search_keys()


def _fill_search_keys() -> None:
    connection = op.get_bind()
    current = sa.table(
        "identity_current",
        sa.column("stream"),
        sa.column("content"),
        sa.column("name_key"),
        sa.column("kana_key"),
        sa.column("birth_date"),
        sa.column("sex"),
        sa.column("address_key"),
    )
    rows = connection.execute(sa.select(current.c.stream, current.c.content)).all()
    update = (
        sa.update(current)
        .where(current.c.stream == sa.bindparam("s"))
        .values(
            name_key=sa.bindparam("n"),
            kana_key=sa.bindparam("k"),
            birth_date=sa.bindparam("b"),
            sex=sa.bindparam("x"),
            address_key=sa.bindparam("a"),
        )
    )
    for start in range(0, len(rows), 1000):
        values = [_keys(stream, content) for stream, content in rows[start : start + 1000]]
        connection.execute(update, values)


def _keys(stream: str, content: str) -> dict[str, object]:
    data = json.loads(content)
    return {
        "s": stream,
        "n": name_key(data["family_name"] + data["given_name"]),
        "k": kana_key(data["family_name_kana"] + data["given_name_kana"]),
        "b": date.fromisoformat(data["birth_date"]),
        "x": data["sex"],
        "a": address_key(data["address"]),
    }


def create_provision_tables() -> None:
    op.create_table(
        "recipient_credentials",
        sa.Column("fingerprint", sa.String(64), primary_key=True),
        sa.Column("recipient_id", sa.String(64), nullable=False, index=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=False),
        sa.Column("not_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("registered_by", sa.String(64), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(64), nullable=True),
    )
    op.create_table(
        "registry_changes",
        sa.Column("id", SERIAL, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("operator", sa.String(64), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    op.create_table(
        "provisions",
        sa.Column("provision_id", ID, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("recipient_id", sa.String(64), nullable=False),
        sa.Column("affair_id", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("operator", sa.String(64), nullable=False),
        sa.Column("key_kind", sa.String(20), nullable=False),
        sa.Column("outcome", sa.String(30), nullable=False),
        sa.Column("provided", sa.Integer(), nullable=False),
        sa.Column("batch_id", ID, nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    op.create_index("ix_provisions_month", "provisions", ["month", "recipient_id"])
    op.create_table(
        "provided_residents",
        sa.Column("provision_id", ID, primary_key=True),
        sa.Column("resident_code", sa.String(11), primary_key=True, index=True),
    )
    _create_batch_tables()


def _create_batch_tables() -> None:
    op.create_table(
        "batches",
        sa.Column("batch_id", ID, primary_key=True),
        sa.Column("recipient_id", sa.String(64), nullable=False, index=True),
        sa.Column("affair_id", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("operator", sa.String(64), nullable=False),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("encoding", sa.String(20), nullable=True),
        sa.Column("history", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False, index=True),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("rows_done", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("problem", sa.Text(), nullable=True),
    )
    op.create_table(
        "batch_rows",
        sa.Column("batch_id", ID, primary_key=True),
        sa.Column("number", sa.Integer(), primary_key=True),
        sa.Column("reference", sa.String(64), nullable=False),
        sa.Column("key_kind", sa.String(20), nullable=True),
        sa.Column("resident_code", sa.String(11), nullable=True),
        sa.Column("my_number", sa.String(12), nullable=True),
        sa.Column("name_key", sa.String(200), nullable=True),
        sa.Column("kana_key", sa.String(200), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("sex", sa.String(6), nullable=True),
        sa.Column("address_key", sa.String(400), nullable=True),
        sa.Column("problem", sa.Text(), nullable=True),
    )
    op.create_table(
        "batch_results",
        sa.Column("batch_id", ID, primary_key=True),
        sa.Column("number", sa.Integer(), primary_key=True),
        sa.Column("reference", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(12), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
    )


def drop_provision_tables() -> None:
    for table in (
        "batch_results",
        "batch_rows",
        "batches",
        "provided_residents",
        "provisions",
        "registry_changes",
        "recipient_credentials",
    ):
        op.drop_table(table)


def drop_search_keys() -> None:
    with op.batch_alter_table("identity_current") as batch_op:
        batch_op.drop_index("ix_identity_current_kana")
        batch_op.drop_index("ix_identity_current_name")
        for column in ("address_key", "sex", "birth_date", "kana_key", "name_key"):
            batch_op.drop_column(column)
