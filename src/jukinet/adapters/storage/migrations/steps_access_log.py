"""Steps of the access-log migration, shared by the municipality, prefecture and national
roles (frozen: never edit; a later change is a new migration).

* ``access_log``: the hash-chained entries (domain/access_log.py);
* ``access_log_checkpoints``: the node's signed checkpoints;
* ``access_log_lock``: one row that every append updates first, so appends queue;
* triggers that refuse UPDATE and DELETE (and, on PostgreSQL, TRUNCATE) on the first two.
  Somebody with the rights to drop the triggers can still change rows; ``jukinet audit
  verify`` is what finds that.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

MOMENT = sa.DateTime(timezone=True)
APPEND_ONLY = ("access_log", "access_log_checkpoints")


def create_access_log_tables() -> None:
    op.create_table(
        "access_log",
        sa.Column("sequence", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("operator_id", sa.String(128), nullable=False),
        sa.Column("terminal", sa.String(128), nullable=False),
        sa.Column("session_id", sa.String(128), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("permission", sa.String(64), nullable=False),
        sa.Column("resident_codes", sa.Text, nullable=False),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("previous_hash", sa.String(64), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_access_log_at", "access_log", ["at"])
    op.create_index("ix_access_log_operator_at", "access_log", ["operator_id", "at"])
    op.create_table(
        "access_log_checkpoints",
        sa.Column("sequence", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("signature", sa.String(128), nullable=False),
    )
    lock = op.create_table(
        "access_log_lock",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("appended", sa.BigInteger, nullable=False),
    )
    op.bulk_insert(lock, [{"id": 1, "appended": 0}])
    for table in APPEND_ONLY:
        _refuse_changes(table)


def _refuse_changes(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{table} is append-only: % refused', TG_OP; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {event} refused'); END"
        )


def drop_access_log_tables() -> None:
    for table in APPEND_ONLY:
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP FUNCTION {table}_append_only() CASCADE")
    op.drop_table("access_log_lock")
    op.drop_table("access_log_checkpoints")
    op.drop_index("ix_access_log_operator_at", "access_log")
    op.drop_index("ix_access_log_at", "access_log")
    op.drop_table("access_log")
