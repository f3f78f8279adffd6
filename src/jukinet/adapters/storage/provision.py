"""Repositories of provision: search by restricted key, and the provision log.

A search is two indexed queries: the distinct people (住民票コード) whose latest record
matches the key, capped at ``limit``; then every current record of those people, from which
the record they live in now is chosen. The log writes one row per provision and one row per
resident provided, in the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ARRAY, MetaData, String, Table, and_, bindparam, func, select
from sqlalchemy.engine import Connection

from jukinet.adapters.clock import JST
from jukinet.adapters.storage.bulk import insert_rows
from jukinet.adapters.storage.moments import as_utc
from jukinet.domain.identity import IdentityInfo, RecordStatus
from jukinet.domain.searches import KeyKind, SearchKey
from jukinet.nodes.ports import MonthlyCount, ProvisionEntry, ProvisionRecord


class SqlIdentitySearch:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._current = metadata.tables["identity_current"]
        self._versions = metadata.tables["identity_versions"]

    def find(self, key: SearchKey, prefecture: str | None, limit: int) -> list[IdentityInfo]:
        statement = _search_statement(self._current, key, prefecture is not None)
        values = _search_values(key, prefecture, limit)
        chosen: dict[str, tuple[Any, ...]] = {}
        for content, status, sequence in self._connection.execute(statement, values):
            identity = IdentityInfo.from_wire(json.loads(content))
            rank = (status == RecordStatus.ACTIVE.value, identity.change_date, sequence)
            kept = chosen.get(identity.resident_code)
            if kept is None or rank > kept[0]:
                chosen[identity.resident_code] = (rank, identity)
        return [chosen[code][1] for code in sorted(chosen)]

    def codes_of(self, my_number: str) -> list[str]:
        c, v = self._current, self._versions
        current = {
            row[0]
            for row in self._connection.execute(
                select(c.c.resident_code).where(c.c.my_number == my_number)
            )
        }
        earlier: set[str] = set()
        for code in current:
            for (content,) in self._connection.execute(
                select(v.c.content).where(v.c.resident_code == code)
            ):
                previous = json.loads(content).get("previous_resident_code")
                if previous:
                    earlier.add(previous)
        return sorted(current | earlier)

    def histories(self, resident_codes: Sequence[str]) -> dict[str, list[IdentityInfo]]:
        v = self._versions
        found: dict[str, list[IdentityInfo]] = {code: [] for code in resident_codes}
        codes = sorted(set(resident_codes))
        for start in range(0, len(codes), 500):
            query = (
                select(v.c.resident_code, v.c.content)
                .where(v.c.resident_code.in_(codes[start : start + 500]))
                .order_by(v.c.stored_at, v.c.stream, v.c.sequence)
            )
            for code, content in self._connection.execute(query):
                found[code].append(IdentityInfo.from_wire(json.loads(content)))
        # Records of different municipalities arrive in any order: order by the change date.
        return {
            code: sorted(versions, key=lambda i: i.change_date) for code, versions in found.items()
        }

    def living_at(self, municipality_code: str, address_key: str, limit: int) -> list[IdentityInfo]:
        c = self._current
        query = (
            select(c.c.content)
            .where(
                c.c.municipality_code == municipality_code,
                c.c.address_key == address_key,
                c.c.status == RecordStatus.ACTIVE.value,
            )
            .order_by(c.c.resident_code)
            .limit(limit)
        )
        return [
            IdentityInfo.from_wire(json.loads(content))
            for content in self._connection.execute(query).scalars()
        ]


_STATEMENTS: dict[tuple[Table, KeyKind, bool, bool], Any] = {}


def _search_statement(c: Table, key: SearchKey, scoped: bool) -> Any:
    """One statement per shape of key, built once: the records of the first ``:limit``
    people whose latest record matches (building a statement costs more than running it)."""
    shape = (c, key.kind, key.address is not None, scoped)
    if shape not in _STATEMENTS:
        condition = and_(*_conditions(c, key))
        if scoped:
            condition = and_(condition, c.c.municipality_code.like(bindparam("prefecture")))
        people = (
            select(c.c.resident_code)
            .where(condition)
            .distinct()
            .limit(bindparam("limit"))
            .scalar_subquery()
        )
        _STATEMENTS[shape] = select(c.c.content, c.c.status, c.c.sequence).where(
            c.c.resident_code.in_(people)
        )
    return _STATEMENTS[shape]


def _search_values(key: SearchKey, prefecture: str | None, limit: int) -> dict[str, object]:
    values: dict[str, object] = {
        "limit": limit,
        "resident_code": key.resident_code,
        "my_number": key.my_number,
        "name_key": key.name,
        "kana_key": key.kana,
        "birth_date": key.birth_date,
        "sex": None if key.sex is None else key.sex.value,
        "address_key": key.address,
    }
    if prefecture is not None:
        values["prefecture"] = f"{prefecture}%"
    return values


def _conditions(c: Any, key: SearchKey) -> list[Any]:
    if key.kind is KeyKind.RESIDENT_CODE:
        return [c.c.resident_code == bindparam("resident_code")]
    if key.kind is KeyKind.MY_NUMBER:
        return [c.c.my_number == bindparam("my_number")]
    common = [c.c.birth_date == bindparam("birth_date"), c.c.sex == bindparam("sex")]
    if key.kind is KeyKind.KANA:
        return [c.c.kana_key == bindparam("kana_key"), *common]
    by_name = [c.c.name_key == bindparam("name_key"), *common]
    if key.address is None:
        return by_name
    return [*by_name, c.c.address_key == bindparam("address_key")]


def month_of(moment: datetime) -> str:
    """The month, in Japan time, that a provision at ``moment`` counts towards."""
    local = moment.astimezone(JST)
    return f"{local.year:04d}-{local.month:02d}"  # strftime costs three times as much


# Up to this many residents, PostgreSQL writes a provision and its residents in one statement;
# more (batch chunks) go by COPY.
ONE_STATEMENT_MOST = 1000
_LOG_STATEMENTS: dict[Table, Any] = {}


def _one_statement(provisions: Table, provided: Table) -> Any:
    """``INSERT`` the provision and, from the row it returns, one row per code of ``:codes``:
    a single round trip for the immediate path, atomic as any one statement is."""
    if provisions not in _LOG_STATEMENTS:
        entry = (
            provisions.insert()
            .values({column.name: bindparam(column.name) for column in provisions.c})
            .returning(provisions.c.provision_id)
            .cte("entry")
        )
        codes = func.unnest(bindparam("codes", type_=ARRAY(String)))
        _LOG_STATEMENTS[provisions] = provided.insert().from_select(
            ["provision_id", "resident_code"], select(entry.c.provision_id, codes)
        )
    return _LOG_STATEMENTS[provisions]


class SqlProvisionLog:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._provisions = metadata.tables["provisions"]
        self._provided = metadata.tables["provided_residents"]

    def record(self, entry: ProvisionEntry, resident_codes: Sequence[str]) -> None:
        unique = sorted(set(resident_codes))
        values = {
            "provision_id": entry.provision_id,
            "at": entry.at,
            "month": month_of(entry.at),
            "recipient_id": entry.recipient_id,
            "affair_id": entry.affair_id,
            "channel": entry.channel,
            "operator": entry.operator,
            "key_kind": entry.key_kind,
            "outcome": entry.outcome,
            "provided": len(unique),
            "batch_id": entry.batch_id,
            "detail": entry.detail,
        }
        postgresql = self._connection.dialect.name == "postgresql"
        if postgresql and 0 < len(unique) <= ONE_STATEMENT_MOST:
            statement = _one_statement(self._provisions, self._provided)
            self._connection.execute(statement, {**values, "codes": unique})
            return
        self._connection.execute(self._provisions.insert(), values)
        rows = [{"provision_id": entry.provision_id, "resident_code": c} for c in unique]
        insert_rows(self._connection, self._provided, rows)

    def records_of(self, resident_codes: Sequence[str]) -> list[ProvisionRecord]:
        p, r = self._provisions, self._provided
        query = (
            select(p.c.at, p.c.recipient_id, p.c.affair_id, p.c.channel)
            .join(r, r.c.provision_id == p.c.provision_id)
            .where(r.c.resident_code.in_(list(resident_codes)), p.c.outcome == "provided")
            .distinct()
            .order_by(p.c.at)
        )
        return [
            ProvisionRecord(as_utc(at), recipient, affair, channel)
            for at, recipient, affair, channel in self._connection.execute(query)
        ]

    def monthly_counts(self, first_month: str, last_month: str) -> list[MonthlyCount]:
        p = self._provisions
        total = func.sum(p.c.provided)
        query = (
            select(p.c.recipient_id, p.c.affair_id, p.c.month, p.c.channel, total)
            .where(p.c.month.between(first_month, last_month), p.c.outcome == "provided")
            .group_by(p.c.recipient_id, p.c.affair_id, p.c.month, p.c.channel)
            .having(total > 0)
            .order_by(p.c.recipient_id, p.c.affair_id, p.c.month, p.c.channel)
        )
        return [MonthlyCount(*row[:4], int(row[4])) for row in self._connection.execute(query)]
