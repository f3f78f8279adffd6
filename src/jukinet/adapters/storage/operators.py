"""Operator accounts, sessions and the operators' log, and their own unit of work.

TOTP secrets go through a :class:`SecretBox` (the node's ``operators.key``) on the way in and
out, so the database alone does not give anyone an operator's second factor; passwords are
argon2id hashes and session tokens SHA-256 hashes. An account row is locked (``FOR UPDATE``
on PostgreSQL) while a sign-in counts its failures, so that parallel guesses all count.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import MetaData, insert, select, update
from sqlalchemy.engine import Connection, Engine, RowMapping
from sqlalchemy.exc import IntegrityError

from jukinet.adapters.crypto.operator_credentials import SecretBox
from jukinet.adapters.storage.moments import as_utc
from jukinet.adapters.storage.transactions import TransactionScope
from jukinet.domain.errors import Conflict
from jukinet.domain.operators import (
    Account,
    EventKind,
    OperatorEvent,
    OperatorRole,
    Session,
)


class SqlAccounts:
    def __init__(self, connection: Connection, metadata: MetaData, box: SecretBox) -> None:
        self._connection = connection
        self._table = metadata.tables["operator_accounts"]
        self._box = box

    def get(self, operator_id: str) -> Account | None:
        t = self._table
        query = select(t).where(t.c.operator_id == operator_id).with_for_update()
        row = self._connection.execute(query).mappings().first()
        return None if row is None else self._account(row)

    def matching_id_taken(self, matching_id: str) -> bool:
        t = self._table
        query = select(t.c.operator_id).where(t.c.matching_id == matching_id)
        return self._connection.execute(query).first() is not None

    def add(self, account: Account) -> None:
        try:
            self._connection.execute(insert(self._table).values(**self._row(account)))
        except IntegrityError:  # a second administrator creating the same person at once
            raise Conflict(
                "matching_id",
                f"{account.operator_id} or {account.matching_id} already has an account",
            ) from None

    def save(self, account: Account) -> None:
        t = self._table
        values = self._row(account)
        del values["operator_id"]
        self._connection.execute(
            update(t).where(t.c.operator_id == account.operator_id).values(**values)
        )

    def all(self) -> list[Account]:
        query = select(self._table).order_by(self._table.c.operator_id)
        return [self._account(row) for row in self._connection.execute(query).mappings()]

    def _row(self, account: Account) -> dict[str, Any]:
        return {
            "operator_id": account.operator_id,
            "matching_id": account.matching_id,
            "name": account.name,
            "roles": ",".join(sorted(account.roles)),
            "password_hash": account.password_hash,
            "code_secret": self._box.seal(account.code_secret, account.operator_id),
            "last_code_step": account.last_code_step,
            "failed_sign_ins": account.failed_sign_ins,
            "created_at": account.created_at,
            "locked_at": account.locked_at,
            "disabled_at": account.disabled_at,
        }

    def _account(self, row: RowMapping) -> Account:
        roles = frozenset(OperatorRole(name) for name in row["roles"].split(",") if name)
        return Account(
            row["operator_id"],
            row["matching_id"],
            row["name"],
            roles,
            row["password_hash"],
            self._box.open(row["code_secret"], row["operator_id"]),
            as_utc(row["created_at"]),
            row["failed_sign_ins"],
            row["last_code_step"],
            as_utc(row["locked_at"]),
            as_utc(row["disabled_at"]),
        )


class SqlSessions:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._table = metadata.tables["operator_sessions"]

    def add(self, session: Session, token_hash: str) -> None:
        values = _session_row(session) | {"token_hash": token_hash}
        self._connection.execute(insert(self._table).values(**values))

    def by_token(self, token_hash: str) -> Session | None:
        t = self._table
        row = (
            self._connection.execute(select(t).where(t.c.token_hash == token_hash))
            .mappings()
            .first()
        )
        return None if row is None else _session(row)

    def open_of(self, operator_id: str) -> list[Session]:
        t = self._table
        query = select(t).where(t.c.operator_id == operator_id, t.c.ended_at.is_(None))
        return [_session(row) for row in self._connection.execute(query).mappings()]

    def save(self, session: Session) -> None:
        t = self._table
        values = _session_row(session)
        del values["session_id"]
        self._connection.execute(
            update(t).where(t.c.session_id == session.session_id).values(**values)
        )


def _session_row(session: Session) -> dict[str, Any]:
    return {
        "session_id": session.session_id,
        "operator_id": session.operator_id,
        "terminal": session.terminal,
        "started_at": session.started_at,
        "last_seen_at": session.last_seen_at,
        "ended_at": session.ended_at,
        "end_reason": session.end_reason,
    }


def _session(row: RowMapping) -> Session:
    return Session(
        row["session_id"],
        row["operator_id"],
        row["terminal"],
        as_utc(row["started_at"]),
        as_utc(row["last_seen_at"]),
        as_utc(row["ended_at"]),
        row["end_reason"],
    )


class SqlOperatorEvents:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._table = metadata.tables["operator_events"]

    def add(self, event: OperatorEvent) -> None:
        self._connection.execute(
            insert(self._table).values(
                at=event.at,
                kind=event.kind.value,
                operator_id=event.operator_id,
                actor=event.actor,
                terminal=event.terminal,
                detail=event.detail,
            )
        )

    def recent(self, operator_id: str | None, limit: int) -> list[OperatorEvent]:
        t = self._table
        query = select(t).order_by(t.c.id.desc()).limit(limit)
        if operator_id is not None:
            query = query.where(t.c.operator_id == operator_id)
        return [
            OperatorEvent(
                as_utc(row["at"]),
                EventKind(row["kind"]),
                row["operator_id"],
                row["actor"],
                row["terminal"],
                row["detail"],
            )
            for row in self._connection.execute(query).mappings()
        ]


class SqlOperatorUnitOfWork(TransactionScope):
    """One transaction over the operator tables of a municipality, prefecture or national
    node; leaving the ``with`` block without ``commit`` writes nothing."""

    accounts: SqlAccounts
    sessions: SqlSessions
    events: SqlOperatorEvents

    def __init__(self, engine: Engine, metadata: MetaData, box: SecretBox) -> None:
        super().__init__(engine, metadata)
        self._box = box

    def _bind(self, connection: Connection, metadata: MetaData) -> None:
        self.accounts = SqlAccounts(connection, metadata, self._box)
        self.sessions = SqlSessions(connection, metadata)
        self.events = SqlOperatorEvents(connection, metadata)


def operator_units(
    engine: Engine, metadata: MetaData, box: SecretBox
) -> Callable[[], SqlOperatorUnitOfWork]:
    """A factory of operator units of work on one node's store."""
    return lambda: SqlOperatorUnitOfWork(engine, metadata, box)
