"""抑止 and 支援措置 in the municipal store, the suppression feed, and exact-key look-ups.

Suppressions are rows with a column per field (they are evaluated on every copy and look-up);
a support measure is one JSON document with its searchable fields beside it, and the people
it covers in ``support_measure_people`` so that a co-resident is found by an index. Lists of
processes and codes are stored space-separated: they never contain spaces.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import MetaData, Row, and_, or_, select, update
from sqlalchemy.engine import Connection

from jukinet.adapters.storage.moments import as_utc
from jukinet.adapters.storage.municipal import resident_from_row, update_by_key
from jukinet.domain.identity import RecordStatus
from jukinet.domain.matching import address_key, kana_key, name_key
from jukinet.domain.residents import Resident
from jukinet.domain.searches import KeyKind, SearchKey
from jukinet.domain.suppressions import (
    Level,
    MeasureOrigin,
    MeasureState,
    Process,
    Relation,
    SupportMeasure,
    Suppression,
    SuppressionReason,
    Target,
)
from jukinet.nodes.ports import FeedEvent, InspectionRecord
from jukinet.protocol.canonical import canonical_bytes

_OPEN_STATES = [s.value for s in MeasureState if s.open]


def _json(value: object) -> str:
    return canonical_bytes(value).decode()


def suppression_row(s: Suppression) -> dict[str, Any]:
    return {
        "suppression_id": s.suppression_id,
        "target": s.target.value,
        "target_id": s.target_id,
        "reason": s.reason.value,
        "processes": " ".join(sorted(p.value for p in s.processes)),
        "level": s.level.value,
        "starts_on": s.starts_on,
        "ends_on": s.ends_on,
        "set_by": s.set_by,
        "set_at": s.set_at,
        "note": s.note,
        "measure_id": s.measure_id,
        "released_at": s.released_at,
        "released_by": s.released_by,
        "temporary_until": s.temporary_until,
        "temporary_by": s.temporary_by,
    }


def _suppression(row: Row[Any]) -> Suppression:
    return Suppression(
        suppression_id=row.suppression_id,
        target=Target(row.target),
        target_id=row.target_id,
        reason=SuppressionReason(row.reason),
        processes=frozenset(Process(p) for p in row.processes.split()),
        level=Level(row.level),
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        set_by=row.set_by,
        set_at=as_utc(row.set_at),
        note=row.note,
        measure_id=row.measure_id,
        released_at=None if row.released_at is None else as_utc(row.released_at),
        released_by=row.released_by,
        temporary_until=None if row.temporary_until is None else as_utc(row.temporary_until),
        temporary_by=row.temporary_by,
    )


def _day(value: object) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def _measure_content(m: SupportMeasure) -> str:
    return _json(
        {
            "applied_on": m.applied_on.isoformat(),
            "recorded_by": m.recorded_by,
            "co_residents": list(m.co_residents),
            "related": [[code, relation.value] for code, relation in m.related],
            "provisional_since": _iso(m.provisional_since),
            "decided_on": _iso(m.decided_on),
            "starts_on": _iso(m.starts_on),
            "ends_on": _iso(m.ends_on),
            "ended_on": _iso(m.ended_on),
            "note": m.note,
            "history": [[day.isoformat(), step, by] for day, step, by in m.history],
        }
    )


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _measure(row: Row[Any]) -> SupportMeasure:
    data = json.loads(row.content)
    return SupportMeasure(
        measure_id=row.measure_id,
        resident_code=row.resident_code,
        state=MeasureState(row.state),
        origin=MeasureOrigin(row.origin),
        applied_on=date.fromisoformat(data["applied_on"]),
        recorded_by=data["recorded_by"],
        co_residents=tuple(data["co_residents"]),
        related=tuple((code, Relation(relation)) for code, relation in data["related"]),
        requested_by=row.requested_by,
        remote_measure_id=row.remote_measure_id,
        provisional_since=_day(data["provisional_since"]),
        decided_on=_day(data["decided_on"]),
        starts_on=_day(data["starts_on"]),
        ends_on=_day(data["ends_on"]),
        ended_on=_day(data["ended_on"]),
        note=data["note"],
        history=[(date.fromisoformat(d), step, by) for d, step, by in data["history"]],
    )


class SqlProtectionRegister:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._suppressions = metadata.tables["suppressions"]
        self._measures = metadata.tables["support_measures"]
        self._people = metadata.tables["support_measure_people"]
        self._feed = metadata.tables["suppression_feed"]
        self._inspections = metadata.tables["inspections"]

    # --- suppressions

    def add_suppression(self, suppression: Suppression) -> None:
        self._connection.execute(self._suppressions.insert(), suppression_row(suppression))

    def update_suppression(self, suppression: Suppression) -> None:
        row = suppression_row(suppression)
        key = row.pop("suppression_id")
        self._connection.execute(
            update_by_key(self._suppressions, "suppression_id"), {**row, "key_": key}
        )

    def suppression(self, suppression_id: str) -> Suppression | None:
        t = self._suppressions
        row = self._connection.execute(
            select(t).where(t.c.suppression_id == suppression_id)
        ).first()
        return None if row is None else _suppression(row)

    def unreleased_for(self, resident_code: str, household_id: str | None) -> list[Suppression]:
        t = self._suppressions
        person = and_(t.c.target == Target.PERSON.value, t.c.target_id == resident_code)
        targets = person
        if household_id is not None:
            household = and_(t.c.target == Target.HOUSEHOLD.value, t.c.target_id == household_id)
            targets = or_(person, household)
        query = select(t).where(targets, t.c.released_at.is_(None)).order_by(t.c.set_at)
        return [_suppression(row) for row in self._connection.execute(query)]

    def unreleased(self) -> list[Suppression]:
        t = self._suppressions
        query = select(t).where(t.c.released_at.is_(None)).order_by(t.c.set_at)
        return [_suppression(row) for row in self._connection.execute(query)]

    def of_measure(self, measure_id: str) -> list[Suppression]:
        t = self._suppressions
        query = select(t).where(t.c.measure_id == measure_id).order_by(t.c.set_at)
        return [_suppression(row) for row in self._connection.execute(query)]

    # --- support measures

    def add_measure(self, measure: SupportMeasure) -> None:
        self._connection.execute(self._measures.insert(), self._measure_row(measure))
        self._connection.execute(
            self._people.insert(),
            [{"measure_id": measure.measure_id, "resident_code": c} for c in measure.protected],
        )

    def update_measure(self, measure: SupportMeasure) -> None:
        row = self._measure_row(measure)
        key = row.pop("measure_id")
        self._connection.execute(update_by_key(self._measures, "measure_id"), {**row, "key_": key})

    @staticmethod
    def _measure_row(measure: SupportMeasure) -> dict[str, Any]:
        return {
            "measure_id": measure.measure_id,
            "resident_code": measure.resident_code,
            "state": measure.state.value,
            "origin": measure.origin.value,
            "requested_by": measure.requested_by,
            "remote_measure_id": measure.remote_measure_id,
            "content": _measure_content(measure),
        }

    def measure(self, measure_id: str) -> SupportMeasure | None:
        t = self._measures
        row = self._connection.execute(select(t).where(t.c.measure_id == measure_id)).first()
        return None if row is None else _measure(row)

    def measures_covering(self, resident_code: str) -> list[SupportMeasure]:
        t, p = self._measures, self._people
        query = (
            select(t)
            .join(p, p.c.measure_id == t.c.measure_id)
            .where(p.c.resident_code == resident_code)
            .order_by(t.c.measure_id)
        )
        return [_measure(row) for row in self._connection.execute(query)]

    def open_measures(self) -> list[SupportMeasure]:
        t = self._measures
        query = select(t).where(t.c.state.in_(_OPEN_STATES)).order_by(t.c.measure_id)
        return [_measure(row) for row in self._connection.execute(query)]

    def requested(self, requested_by: str, remote_measure_id: str) -> SupportMeasure | None:
        t = self._measures
        query = select(t).where(
            t.c.requested_by == requested_by, t.c.remote_measure_id == remote_measure_id
        )
        row = self._connection.execute(query).first()
        return None if row is None else _measure(row)

    def recode_person(self, old: str, new: str) -> None:
        """Move the person's suppressions and measure rows to their new 住民票コード."""
        t, p = self._suppressions, self._people
        person = and_(t.c.target == Target.PERSON.value, t.c.target_id == old)
        self._connection.execute(update(t).where(person).values(target_id=new))
        for measure in self.measures_covering(old):
            measure.recode(old, new)
            self.update_measure(measure)
        self._connection.execute(
            update(p).where(p.c.resident_code == old).values(resident_code=new)
        )

    def protected_among(self, resident_codes: Sequence[str]) -> set[str]:
        if not resident_codes:
            return set()
        t, p = self._measures, self._people
        query = (
            select(p.c.resident_code)
            .join(t, t.c.measure_id == p.c.measure_id)
            .where(p.c.resident_code.in_(list(resident_codes)), t.c.state.in_(_OPEN_STATES))
        )
        return {row.resident_code for row in self._connection.execute(query)}

    # --- the feed and the inspection lists

    def append_feed(self, at: Any, event: str, suppression: Suppression) -> None:
        row = suppression_row(suppression)
        content = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in row.items()}
        del content["temporary_until"], content["temporary_by"]  # never leaves the register
        self._connection.execute(
            self._feed.insert(),
            {
                "at": at,
                "event": event,
                "suppression_id": suppression.suppression_id,
                "content": _json(content),
            },
        )

    def feed(self, after: int, limit: int) -> list[FeedEvent]:
        t = self._feed
        query = select(t).where(t.c.id > after).order_by(t.c.id).limit(limit)
        return [
            FeedEvent(int(row.id), as_utc(row.at), row.event, json.loads(row.content))
            for row in self._connection.execute(query)
        ]

    def record_inspection(self, record: InspectionRecord) -> None:
        self._connection.execute(
            self._inspections.insert(),
            {name: getattr(record, name) for name in record.__dataclass_fields__},
        )


class SqlResidentLookup:
    """Exact keys only: the SQL narrows by an indexed or exact column, names are compared
    folded (髙 = 高, widths, spaces) in Python among the few rows left."""

    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._residents = metadata.tables["residents"]

    def find(self, key: SearchKey, limit: int) -> list[Resident]:
        t = self._residents
        if key.kind is KeyKind.RESIDENT_CODE:
            condition = t.c.resident_code == key.resident_code
        elif key.kind is KeyKind.MY_NUMBER:
            condition = t.c.my_number == key.my_number
        else:
            assert key.birth_date is not None
            assert key.sex is not None
            condition = and_(t.c.birth_date == key.birth_date, t.c.sex == key.sex.value)
        rows = self._connection.execute(select(t).where(condition).order_by(t.c.record_id))
        found = [r for r in (resident_from_row(row) for row in rows) if _matches(key, r)]
        return found[:limit]

    def living_under(self, address_prefix: str, limit: int) -> list[Resident]:
        t = self._residents
        pattern = address_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = (
            select(t)
            .where(
                t.c.status == RecordStatus.ACTIVE.value,
                t.c.address.like(pattern + "%", escape="\\"),
            )
            .order_by(t.c.address, t.c.family_name_kana, t.c.given_name_kana, t.c.record_id)
            .limit(limit)
        )
        return [resident_from_row(row) for row in self._connection.execute(query)]


def _matches(key: SearchKey, resident: Resident) -> bool:
    if key.kind is KeyKind.NAME:
        same_name = name_key(resident.name.family + resident.name.given) == key.name
        return same_name and (key.address is None or address_key(resident.address) == key.address)
    if key.kind is KeyKind.KANA:
        return kana_key(resident.name.family_kana + resident.name.given_kana) == key.kana
    return True
