"""住民票の写し in the municipal store: the fee in force, the copies issued here (with everyone
each one concerned) and the wide-area requests answered here.

Every row is written in the unit of work of the issuance or answer it records, so no copy
leaves without its record. Lists (items, codes) are stored space-separated: they hold
codes and item names, which never contain spaces.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import MetaData, select
from sqlalchemy.engine import Connection

from jukinet.adapters.storage.moments import as_utc
from jukinet.adapters.storage.municipal import SqlHouseholds, resident_from_row
from jukinet.domain.copies import DEFAULT_FEE, HouseholdRecords
from jukinet.nodes.ports import CopyIssuance, WideAreaAnswerLine

_ISSUANCE = (
    "issuance_id",
    "at",
    "operator",
    "requester_kind",
    "requester_name",
    "requester_code",
    "document",
    "purpose",
    "issuing_municipality",
    "home_municipality",
    "layout",
    "sheets",
    "fee",
    "outcome",
    "detail",
)
_ANSWER = (
    "at",
    "requester_node",
    "issuing_municipality",
    "request_id",
    "requester_code",
    "resident_code",
    "outcome",
    "detail",
)


class SqlCopyRegister:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._metadata = metadata
        self._fees = metadata.tables["copy_fees"]
        self._issuances = metadata.tables["copy_issuances"]
        self._people = metadata.tables["copy_issuance_people"]
        self._answers = metadata.tables["wide_area_answers"]

    def fee(self) -> int:
        t = self._fees
        amount = self._connection.execute(
            select(t.c.amount).order_by(t.c.id.desc()).limit(1)
        ).scalar()
        return DEFAULT_FEE if amount is None else int(amount)

    def set_fee(self, amount: int, operator: str, at: datetime) -> None:
        row = {"amount": amount, "operator": operator, "set_at": at}
        self._connection.execute(self._fees.insert(), row)

    def household_records(self, household_id: str) -> HouseholdRecords | None:
        household = SqlHouseholds(self._connection, self._metadata).get(household_id)
        if household is None:
            return None
        t = self._metadata.tables["residents"]
        rows = self._connection.execute(select(t).where(t.c.household_id == household_id))
        people = [resident_from_row(row) for row in rows]
        return HouseholdRecords(
            household,
            tuple(p for p in people if p.is_active),
            tuple(p for p in people if not p.is_active),
        )

    def record_issuance(self, issuance: CopyIssuance) -> None:
        row = {name: getattr(issuance, name) for name in _ISSUANCE}
        self._connection.execute(
            self._issuances.insert(), {**row, "items": _joined(issuance.items)}
        )
        people = [
            {"issuance_id": issuance.issuance_id, "resident_code": code}
            for code in dict.fromkeys(issuance.resident_codes)
        ]
        if people:
            self._connection.execute(self._people.insert(), people)

    def issuances_of(self, resident_code: str) -> list[CopyIssuance]:
        i, p = self._issuances, self._people
        ids = select(p.c.issuance_id).where(p.c.resident_code == resident_code)
        rows = self._connection.execute(
            select(i).where(i.c.issuance_id.in_(ids)).order_by(i.c.at, i.c.issuance_id)
        ).all()
        codes: dict[str, list[str]] = {}
        found = select(p).where(p.c.issuance_id.in_([row.issuance_id for row in rows]))
        for person in self._connection.execute(found):
            codes.setdefault(person.issuance_id, []).append(person.resident_code)
        return [
            CopyIssuance(
                **{name: getattr(row, name) for name in _ISSUANCE if name != "at"},
                at=as_utc(row.at),
                items=tuple(row.items.split()),
                resident_codes=tuple(sorted(codes.get(row.issuance_id, ()))),
            )
            for row in rows
        ]

    def record_answers(self, lines: Sequence[WideAreaAnswerLine]) -> None:
        rows = [
            {**{name: getattr(line, name) for name in _ANSWER}, "items": _joined(line.items)}
            for line in lines
        ]
        if rows:
            self._connection.execute(self._answers.insert(), rows)

    def answers_about(self, resident_code: str) -> list[WideAreaAnswerLine]:
        t = self._answers
        query = select(t).where(t.c.resident_code == resident_code).order_by(t.c.id)
        return [
            WideAreaAnswerLine(
                **{name: getattr(row, name) for name in _ANSWER if name != "at"},
                at=as_utc(row.at),
                items=tuple(row.items.split()),
            )
            for row in self._connection.execute(query)
        ]


def _joined(values: Sequence[str]) -> str:
    return " ".join(values)
