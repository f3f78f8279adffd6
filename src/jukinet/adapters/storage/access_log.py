"""The access log in SQL: appends in the caller's transaction, signed checkpoints, the head
file kept outside the database, and reading back for verification and search.

* :class:`SqlAccessLog` (the ``AccessLog`` port, ``uow.access_log``) updates the single row
  of ``access_log_lock`` before it reads the chain's head. On PostgreSQL that row lock makes a
  second transaction wait until the first commits; on SQLite the UPDATE takes the database's
  one write lock, with the same effect. Every ``AccessLogSeal.every`` entries it also stores
  a signed checkpoint, in the same transaction; the head file follows after the commit.
* :class:`AccessLogSeal` signs checkpoints with the node's Ed25519 key and keeps the newest
  one in ``<home>/audit/<node>.head`` (written whole, then renamed, never moved backwards).
* :class:`SqlAccessLogArchive` (the ``AccessLogArchive`` port) streams entries in sequence
  order with a server-side cursor, and takes checkpoints on demand.
* :class:`CertificateCheckpointSignatures` checks a checkpoint against the node's directory
  certificate, which the deployment CA must have issued.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, Select, func, select, update
from sqlalchemy.engine import Connection, Engine

from jukinet.adapters.crypto.signers import CertificateVerifier
from jukinet.adapters.storage.moments import as_utc
from jukinet.domain.access_log import (
    EMPTY_CHAIN,
    AccessEntry,
    AccessQuery,
    ChainHead,
    Checkpoint,
    Outcome,
    StoredEntry,
    link,
    moment_text,
)
from jukinet.protocol.directory import NodeEntry

CHECKPOINT_EVERY = 1000
STREAM_BATCH = 5000


@dataclass(frozen=True, slots=True)
class AccessLogSeal:
    """A node's means to sign checkpoints: its id, its key, the head file, the interval."""

    node_id: str
    sign: Callable[[bytes], bytes]
    head_file: Path
    every: int = CHECKPOINT_EVERY

    def __post_init__(self) -> None:
        if self.every < 1:
            raise ValueError(f"checkpoints every {self.every} entries: must be at least 1")

    def seal(self, head: ChainHead, at: datetime) -> Checkpoint:
        unsigned = Checkpoint(head.sequence, head.entry_hash, at, b"")
        return Checkpoint(
            head.sequence, head.entry_hash, at, self.sign(unsigned.statement(self.node_id))
        )

    def keep_apart(self, checkpoint: Checkpoint) -> None:
        """Write ``checkpoint`` to the head file unless the file already holds a newer one."""
        self.head_file.parent.mkdir(parents=True, exist_ok=True)
        with open(f"{self.head_file}.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            kept = read_head_file(self.head_file)
            if kept is not None and kept.sequence >= checkpoint.sequence:
                return
            temporary = self.head_file.with_suffix(".head.tmp")
            temporary.write_text(json.dumps(_checkpoint_json(self.node_id, checkpoint)))
            os.replace(temporary, self.head_file)


def head_file_for(home: Path, node_id: str) -> Path:
    return home / "audit" / f"{node_id}.head"


def _checkpoint_json(node_id: str, checkpoint: Checkpoint) -> dict[str, Any]:
    return {
        "node": node_id,
        "sequence": checkpoint.sequence,
        "entry_hash": checkpoint.entry_hash,
        "at": moment_text(checkpoint.at),
        "signature": checkpoint.signature.hex(),
    }


def read_head_file(path: Path) -> Checkpoint | None:
    """The checkpoint in ``path``; None if there is no file. A file that is not a checkpoint
    raises ``ValueError`` naming it (it was damaged, which verify must not pass over)."""
    if not path.exists():
        return None
    try:
        kept = json.loads(path.read_text())
        return Checkpoint(
            int(kept["sequence"]),
            str(kept["entry_hash"]),
            datetime.fromisoformat(kept["at"]),
            bytes.fromhex(kept["signature"]),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{path} is not an access log checkpoint: {error}") from None


class SqlAccessLog:
    """The ``AccessLog`` port on the caller's connection and transaction."""

    def __init__(
        self, connection: Connection, metadata: MetaData, seal: AccessLogSeal | None = None
    ) -> None:
        self._connection = connection
        self._log = metadata.tables["access_log"]
        self._checkpoints = metadata.tables["access_log_checkpoints"]
        self._lock = metadata.tables["access_log_lock"]
        self._seal = seal
        self._sealed: Checkpoint | None = None

    def append(self, entries: Sequence[AccessEntry]) -> None:
        if not entries:
            return
        self._take_lock(len(entries))
        stored = link(entries, chain_head(self._connection, self._log))
        self._connection.execute(self._log.insert(), [row_of(row) for row in stored])
        if self._seal is not None:
            first, last = stored[0].sequence, stored[-1].sequence
            if (last // self._seal.every) > ((first - 1) // self._seal.every):
                head = ChainHead(last, stored[-1].entry_hash)
                self._sealed = store_checkpoint(
                    self._connection, self._checkpoints, self._seal, head, entries[-1].at
                )

    def committed(self) -> None:
        """After the caller's commit: keep the checkpoint this transaction made apart."""
        if self._sealed is not None and self._seal is not None:
            self._seal.keep_apart(self._sealed)
            self._sealed = None

    def _take_lock(self, count: int) -> None:
        lock = self._lock
        taken = self._connection.execute(
            update(lock).where(lock.c.id == 1).values(appended=lock.c.appended + count)
        )
        if taken.rowcount == 0:  # a store created without the migration's row
            self._connection.execute(lock.insert().values(id=1, appended=count))


def chain_head(connection: Connection, log: Any) -> ChainHead:
    last = connection.execute(
        select(log.c.sequence, log.c.entry_hash).order_by(log.c.sequence.desc()).limit(1)
    ).first()
    return EMPTY_CHAIN if last is None else ChainHead(int(last[0]), str(last[1]))


def store_checkpoint(
    connection: Connection, table: Any, seal: AccessLogSeal, head: ChainHead, at: datetime
) -> Checkpoint:
    checkpoint = seal.seal(head, at)
    connection.execute(
        table.insert().values(
            sequence=checkpoint.sequence,
            entry_hash=checkpoint.entry_hash,
            at=checkpoint.at,
            signature=checkpoint.signature.hex(),
        )
    )
    return checkpoint


def row_of(stored: StoredEntry) -> dict[str, Any]:
    entry = stored.entry
    return {
        "sequence": stored.sequence,
        "at": entry.at,
        "operator_id": entry.operator_id,
        "terminal": entry.terminal,
        "session_id": entry.session_id,
        "action": entry.action,
        "permission": entry.permission,
        "resident_codes": " ".join(entry.resident_codes),
        "outcome": str(entry.outcome),
        "detail": entry.detail,
        "previous_hash": stored.previous_hash,
        "entry_hash": stored.entry_hash,
    }


def _stored(row: Any) -> StoredEntry:
    entry = AccessEntry.__new__(AccessEntry)
    # Rows are read back as they are, even when they break the rules of a new entry: an
    # entry tampered into an invalid shape must still reach verify, which reports it.
    values = {
        "at": as_utc(row.at),
        "operator_id": row.operator_id,
        "terminal": row.terminal,
        "session_id": row.session_id,
        "action": row.action,
        "permission": row.permission,
        "resident_codes": tuple(row.resident_codes.split()),
        "outcome": _outcome(row.outcome),
        "detail": row.detail,
    }
    for name, value in values.items():
        object.__setattr__(entry, name, value)
    return StoredEntry(int(row.sequence), entry, row.previous_hash, row.entry_hash)


def _outcome(text: str) -> Outcome | str:
    try:
        return Outcome(text)
    except ValueError:
        return text


def _checkpoint(row: Any) -> Checkpoint:
    return Checkpoint(
        int(row.sequence), row.entry_hash, as_utc(row.at), bytes.fromhex(row.signature)
    )


class SqlAccessLogArchive:
    """The ``AccessLogArchive`` port on a node's engine, and checkpoints on demand."""

    def __init__(self, engine: Engine, metadata: MetaData, seal: AccessLogSeal) -> None:
        self._engine = engine
        self._log = metadata.tables["access_log"]
        self._checkpoints = metadata.tables["access_log_checkpoints"]
        self._lock = metadata.tables["access_log_lock"]
        self._seal = seal

    def stored(self) -> Generator[StoredEntry, None, None]:
        yield from self._stream(select(self._log).order_by(self._log.c.sequence))

    def between(self, start: datetime, end: datetime) -> Iterator[StoredEntry]:
        log = self._log
        query = select(log).where(log.c.at >= start, log.c.at < end).order_by(log.c.sequence)
        yield from self._stream(query)

    def _stream(self, query: Select[Any]) -> Iterator[StoredEntry]:
        with self._engine.connect() as connection:
            rows = connection.execution_options(yield_per=STREAM_BATCH).execute(query)
            for row in rows:
                yield _stored(row)

    def checkpoints(self) -> list[Checkpoint]:
        table = self._checkpoints
        with self._engine.connect() as connection:
            rows = connection.execute(select(table).order_by(table.c.sequence)).all()
        return [_checkpoint(row) for row in rows]

    def newest_kept_apart(self) -> Checkpoint | None:
        return read_head_file(self._seal.head_file)

    def search(self, query: AccessQuery) -> list[StoredEntry]:
        log = self._log
        selected = select(log).order_by(log.c.sequence.desc()).limit(query.limit)
        if query.resident_code is not None:
            selected = selected.where(log.c.resident_codes.contains(query.resident_code))
        if query.operator_id is not None:
            selected = selected.where(log.c.operator_id == query.operator_id)
        if query.start is not None:
            selected = selected.where(log.c.at >= query.start)
        if query.end is not None:
            selected = selected.where(log.c.at < query.end)
        with self._engine.connect() as connection:
            return [_stored(row) for row in connection.execute(selected)]

    def count(self) -> int:
        with self._engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(self._log)).scalar_one())

    def checkpoint(self, at: datetime) -> Checkpoint | None:
        """Sign the chain's head now (None for an empty log or one checkpointed at its head)."""
        with self._engine.begin() as connection:
            SqlAccessLog(connection, self._log.metadata)._take_lock(0)
            head = chain_head(connection, self._log)
            table = self._checkpoints
            done = connection.execute(
                select(table).where(table.c.sequence == head.sequence)
            ).first()
            if head.sequence == 0:
                return None
            if done is not None:  # already signed: make sure the head file has it too
                self._seal.keep_apart(_checkpoint(done))
                return None
            checkpoint = store_checkpoint(connection, table, self._seal, head, at)
        self._seal.keep_apart(checkpoint)
        return checkpoint


class CertificateCheckpointSignatures:
    """The ``CheckpointSignatures`` port: Ed25519 signatures checked with the node's
    certificate from the signed directory (CA-issued, within its validity, CN = node id)."""

    def __init__(self, verifier: CertificateVerifier, node: NodeEntry) -> None:
        self._verifier = verifier
        self._node = node

    def valid(self, checkpoint: Checkpoint) -> bool:
        statement = checkpoint.statement(self._node.id)
        return self._verifier.verify(self._node, statement, checkpoint.signature)
