"""The identity store: every version of 本人確認情報 a node holds, and the latest of each record.

Writes are set-based: a batch of versions is inserted with one multi-row statement that skips
versions already held (the key is the record's stream and the version's sequence), and the
latest-version table is upserted only where the incoming sequence is newer — so versions that
arrive twice, or out of order, leave the store exactly as if they had arrived once, in order.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import MetaData, Table, select, tuple_
from sqlalchemy.engine import Connection

from jukinet.adapters.storage.upserts import insert_for
from jukinet.domain.identity import IdentityInfo, content_digest
from jukinet.domain.matching import address_key, kana_key, name_key
from jukinet.protocol.canonical import canonical_bytes
from jukinet.protocol.catalogue import DigestEntry

Version = tuple[str, int, IdentityInfo, str]  # stream, sequence, identity, message id

_CURRENT_FROM_VERSION = (
    "stream",
    "sequence",
    "municipality_code",
    "resident_code",
    "my_number",
    "status",
    "content",
    "digest",
    "name_key",
    "kana_key",
    "birth_date",
    "sex",
    "address_key",
)
_UPSERTS: dict[tuple[str, Table], Any] = {}


def _newer_wins(connection: Connection, current: Table) -> Any:
    """``INSERT … ON CONFLICT (stream) DO UPDATE … WHERE`` the incoming sequence is newer.

    Built once per dialect and table: building it (its ``excluded`` alias above all) costs
    more than running it for one row.
    """
    key = (connection.dialect.name, current)
    if key not in _UPSERTS:
        statement = insert_for(connection, current)
        excluded = statement.excluded
        _UPSERTS[key] = statement.on_conflict_do_update(
            index_elements=["stream"],
            set_={name: excluded[name] for name in (*_CURRENT_FROM_VERSION[1:], "updated_at")},
            where=excluded.sequence > current.c.sequence,
        )
    return _UPSERTS[key]


class SqlIdentityHistory:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._versions = metadata.tables["identity_versions"]
        self._current = metadata.tables["identity_current"]

    def add(
        self, stream: str, sequence: int, identity: IdentityInfo, message_id: str, at: datetime
    ) -> None:
        """Store a version this node produced itself (no duplicate check needed)."""
        self._store([_version_row((stream, sequence, identity, message_id), at)], at)

    def apply_many(self, versions: Sequence[Version], at: datetime) -> set[str]:
        if not versions:
            return set()
        rows = [_version_row(v, at) for v in versions]
        seen = self._held([(r["stream"], r["sequence"]) for r in rows])
        fresh, duplicates = [], set()
        for row in rows:
            key = (row["stream"], row["sequence"])
            if key in seen:  # held already, or repeated within this batch
                duplicates.add(str(row["message_id"]))
                continue
            seen.add(key)
            fresh.append(row)
        if fresh:
            self._store(fresh, at)
        return duplicates

    def _store(self, rows: list[dict[str, object]], at: datetime) -> None:
        columns = self._versions.c.keys()
        self._connection.execute(
            self._versions.insert(), [{k: r[k] for k in columns} for r in rows]
        )
        self._upsert_current(rows, at)

    def _held(self, keys: list[tuple[object, object]]) -> set[tuple[object, object]]:
        v = self._versions
        held: set[tuple[object, object]] = set()
        for start in range(0, len(keys), 500):
            query = select(v.c.stream, v.c.sequence).where(
                tuple_(v.c.stream, v.c.sequence).in_(keys[start : start + 500])
            )
            held.update((row[0], row[1]) for row in self._connection.execute(query))
        return held

    def _upsert_current(self, rows: list[dict[str, object]], at: datetime) -> None:
        newest: dict[object, dict[str, object]] = {}
        for row in rows:
            kept = newest.get(row["stream"])
            if kept is None or int(row["sequence"]) > int(kept["sequence"]):  # type: ignore[call-overload]
                newest[row["stream"]] = row
        values = [
            {**{name: r[name] for name in _CURRENT_FROM_VERSION}, "updated_at": at}
            for r in newest.values()
        ]
        self._connection.execute(_newer_wins(self._connection, self._current), values)

    def owners(self, streams: set[str]) -> dict[str, str]:
        c = self._current
        keys = sorted(streams)
        found: dict[str, str] = {}
        for start in range(0, len(keys), 500):
            query = select(c.c.stream, c.c.municipality_code).where(
                c.c.stream.in_(keys[start : start + 500])
            )
            found.update((stream, code) for stream, code in self._connection.execute(query))
        return found

    def latest(self, municipality_code: str) -> list[DigestEntry]:
        """The latest version of each record, fingerprinted from its stored content (not from
        the stored digest), so content changed behind the system's back shows up."""
        c = self._current
        query = (
            select(c.c.stream, c.c.sequence, c.c.resident_code, c.c.content)
            .where(c.c.municipality_code == municipality_code)
            .order_by(c.c.stream)
        )
        return [
            DigestEntry(stream, sequence, code, content_digest(content))
            for stream, sequence, code, content in self._connection.execute(query)
        ]

    def versions_of(self, resident_code: str) -> list[tuple[str, int, IdentityInfo]]:
        v = self._versions
        query = (
            select(v.c.stream, v.c.sequence, v.c.content)
            .where(v.c.resident_code == resident_code)
            .order_by(v.c.stored_at, v.c.stream, v.c.sequence)
        )
        return [
            (row.stream, row.sequence, IdentityInfo.from_wire(json.loads(row.content)))
            for row in self._connection.execute(query)
        ]


def _version_row(version: Version, at: datetime) -> dict[str, object]:
    stream, sequence, identity, message_id = version
    content = canonical_bytes(identity.to_wire(), check_floats=False).decode()
    return {
        "stream": stream,
        "sequence": sequence,
        "message_id": message_id,
        "municipality_code": identity.municipality_code,
        "resident_code": identity.resident_code,
        "my_number": identity.my_number,
        "status": identity.status.value,
        "reason": identity.reason.value,
        "change_date": identity.change_date,
        "content": content,
        "digest": content_digest(content),
        "stored_at": at,
        "name_key": name_key(identity.family_name + identity.given_name),
        "kana_key": kana_key(identity.family_name_kana + identity.given_name_kana),
        "birth_date": identity.birth_date,
        "sex": identity.sex.value,
        "address_key": address_key(identity.address),
    }
