"""Batch requests: staged rows, set-based matching, results.

Matching a chunk of rows is two statements whatever its size: the rows themselves, and one
``UNION ALL`` of four joins between the staged rows and the current identity records — one
join per kind of key, each on an index of ``identity_current``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import MetaData, Table, and_, func, literal, or_, select, union_all, update
from sqlalchemy.engine import Connection, RowMapping

from jukinet.adapters.storage.bulk import insert_rows
from jukinet.adapters.storage.moments import as_utc
from jukinet.domain.searches import KeyKind, SearchKey
from jukinet.nodes.ports import BatchTicket, RowMatches, RowResult, StagedRow

_TICKET_FIELDS = (
    "batch_id",
    "recipient_id",
    "affair_id",
    "channel",
    "operator",
    "format",
    "encoding",
    "history",
    "state",
    "rows_total",
    "rows_done",
    "received_at",
    "finished_at",
    "problem",
)
_UPDATABLE = {"state", "rows_total", "rows_done", "finished_at", "problem"}


class SqlBatches:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._batches = metadata.tables["batches"]
        self._rows = metadata.tables["batch_rows"]
        self._results = metadata.tables["batch_results"]
        self._current = metadata.tables["identity_current"]

    def create(self, ticket: BatchTicket) -> None:
        self._connection.execute(
            self._batches.insert(), {f: getattr(ticket, f) for f in _TICKET_FIELDS}
        )

    def add_rows(self, batch_id: str, rows: Sequence[StagedRow]) -> None:
        insert_rows(self._connection, self._rows, [_row(batch_id, r) for r in rows])

    def get(self, batch_id: str) -> BatchTicket | None:
        b = self._batches
        row = self._connection.execute(select(b).where(b.c.batch_id == batch_id)).mappings().first()
        if row is None:
            return None
        return _ticket(row)

    def pending(self) -> list[str]:
        b = self._batches
        query = (
            select(b.c.batch_id)
            .where(b.c.state.in_(("queued", "matching")))
            .order_by(b.c.received_at, b.c.batch_id)
        )
        return list(self._connection.execute(query).scalars())

    def match(
        self, batch_id: str, first: int, last: int, prefecture: str | None
    ) -> list[RowMatches]:
        r = self._rows
        in_range = and_(r.c.batch_id == batch_id, r.c.number.between(first, last))
        staged = self._connection.execute(
            select(r.c.number, r.c.reference, r.c.problem).where(in_range).order_by(r.c.number)
        ).all()
        found: dict[int, list[dict[str, Any]]] = {number: [] for number, _, _ in staged}
        joins = _joins(r, self._current, in_range, prefecture)
        for number, content in self._connection.execute(joins):
            found[number].append(orjson.loads(content))  # written by this store: trusted
        return [RowMatches(n, ref, problem, found[n]) for n, ref, problem in staged]

    def add_results(self, batch_id: str, results: Sequence[RowResult]) -> None:
        rows = [
            {
                "batch_id": batch_id,
                "number": x.number,
                "reference": x.reference,
                "outcome": x.outcome,
                "content": x.content,
            }
            for x in results
        ]
        insert_rows(self._connection, self._results, rows)

    def results(self, batch_id: str, after: int, limit: int) -> list[RowResult]:
        x = self._results
        # Rows are numbered 1, 2, 3 … without gaps, so a page is a closed range of numbers: the
        # database reads just that range (with "> after … LIMIT" it sorted every row left).
        query = (
            select(x.c.number, x.c.reference, x.c.outcome, x.c.content)
            .where(x.c.batch_id == batch_id, x.c.number.between(after + 1, after + limit))
            .order_by(x.c.number)
        )
        return [RowResult(*row) for row in self._connection.execute(query)]

    def recent(self, limit: int) -> list[BatchTicket]:
        b = self._batches
        query = select(b).order_by(b.c.received_at.desc(), b.c.batch_id.desc()).limit(limit)
        return [_ticket(row) for row in self._connection.execute(query).mappings()]

    def outcome_counts(self, batch_id: str) -> dict[str, int]:
        x = self._results
        query = (
            select(x.c.outcome, func.count()).where(x.c.batch_id == batch_id).group_by(x.c.outcome)
        )
        return {outcome: int(count) for outcome, count in self._connection.execute(query)}

    def update(self, batch_id: str, **changes: object) -> None:
        unknown = set(changes) - _UPDATABLE
        if unknown:
            raise ValueError(f"cannot change {sorted(unknown)} of a batch")
        b = self._batches
        self._connection.execute(update(b).where(b.c.batch_id == batch_id).values(**changes))


def _ticket(row: RowMapping) -> BatchTicket:
    values = dict(row)
    values["received_at"] = as_utc(values["received_at"])
    values["finished_at"] = as_utc(values["finished_at"])
    return BatchTicket(**values)


def _joins(r: Table, c: Table, in_range: Any, prefecture: str | None) -> Any:
    """One ``UNION ALL`` of the four key joins over the rows ``in_range``."""
    scope = c.c.municipality_code.startswith(prefecture) if prefecture else literal(True)
    by_person = [
        (KeyKind.RESIDENT_CODE, c.c.resident_code == r.c.resident_code),
        (KeyKind.MY_NUMBER, c.c.my_number == r.c.my_number),
        (
            KeyKind.NAME,
            and_(
                c.c.name_key == r.c.name_key,
                c.c.birth_date == r.c.birth_date,
                c.c.sex == r.c.sex,
                or_(r.c.address_key.is_(None), c.c.address_key == r.c.address_key),
            ),
        ),
        (
            KeyKind.KANA,
            and_(
                c.c.kana_key == r.c.kana_key, c.c.birth_date == r.c.birth_date, c.c.sex == r.c.sex
            ),
        ),
    ]
    return union_all(
        *(
            select(r.c.number, c.c.content)
            .select_from(r.join(c, condition))
            .where(in_range, r.c.key_kind == kind.value, scope)
            for kind, condition in by_person
        )
    )


def _row(batch_id: str, staged: StagedRow) -> dict[str, object]:
    key: SearchKey | None = staged.key
    return {
        "batch_id": batch_id,
        "number": staged.number,
        "reference": staged.reference,
        "key_kind": None if key is None else key.kind.value,
        "resident_code": None if key is None else key.resident_code,
        "my_number": None if key is None else key.my_number,
        "name_key": None if key is None else key.name,
        "kana_key": None if key is None else key.kana,
        "birth_date": None if key is None else key.birth_date,
        "sex": None if key is None or key.sex is None else key.sex.value,
        "address_key": None if key is None else key.address,
        "problem": staged.problem,
    }
