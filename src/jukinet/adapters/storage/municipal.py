"""Repositories of the municipal register: residents, households, changes, code pool and
certificates."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import MetaData, Row, Table, bindparam, func, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.dml import Update

from jukinet.adapters.storage.upserts import insert_for
from jukinet.domain.certificates import MoveOutCertificate
from jukinet.domain.changes import ChangeReason
from jukinet.domain.identity import RecordStatus, Sex
from jukinet.domain.residents import (
    ForeignResidentBlock,
    ForeignResidentClass,
    Household,
    PersonName,
    RegisteredDomicile,
    Relationship,
    Resident,
    WelfareItems,
)
from jukinet.nodes.ports import ChangeRecord
from jukinet.protocol.canonical import canonical_bytes


def _json(value: Any) -> str:
    return canonical_bytes(value).decode()


def shallow(instance: Any) -> dict[str, Any]:
    """A dataclass's fields as a dict, without ``asdict``'s deep copy of every value."""
    return {name: getattr(instance, name) for name in instance.__dataclass_fields__}


@cache
def update_by_key(table: Table, key: str) -> Update:
    """``UPDATE table SET <the columns given at execution> WHERE key = :key_``, built once."""
    return update(table).where(table.c[key] == bindparam("key_"))


def _dates_to_text(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in data.items()}


def _optional_date(value: object) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def resident_row(resident: Resident) -> dict[str, Any]:
    name = resident.name
    return {
        "record_id": resident.record_id,
        "municipality_code": resident.municipality_code,
        "resident_code": resident.resident_code,
        "my_number": resident.my_number,
        "family_name": name.family,
        "given_name": name.given,
        "family_name_kana": name.family_kana,
        "given_name_kana": name.given_kana,
        "former_surname": name.former_surname,
        "alias": name.alias,
        "birth_date": resident.birth_date,
        "sex": resident.sex.value,
        "household_id": resident.household_id,
        "relationship": resident.relationship.value,
        "address": resident.address,
        "address_set_on": resident.address_set_on,
        "became_resident_on": resident.became_resident_on,
        "notified_on": resident.notified_on,
        "previous_address": resident.previous_address,
        "domicile": None if resident.domicile is None else _json(shallow(resident.domicile)),
        "foreign_block": None
        if resident.foreign is None
        else _json(_dates_to_text(shallow(resident.foreign))),
        "welfare": _json(_dates_to_text(shallow(resident.welfare))),
        "status": resident.status.value,
        "removal_reason": None
        if resident.removal_reason is None
        else resident.removal_reason.value,
        "removed_on": resident.removed_on,
        "destination": resident.destination,
        "remarks": resident.remarks,
        "version": resident.version,
        "last_reason": resident.last_reason.value,
        "last_change_date": resident.last_change_date,
        "previous_resident_code": resident.previous_resident_code,
    }


def _foreign(text: str | None) -> ForeignResidentBlock | None:
    if text is None:
        return None
    data = json.loads(text)
    return ForeignResidentBlock(
        resident_class=ForeignResidentClass(data["resident_class"]),
        nationality=data["nationality"],
        became_foreign_resident_on=date.fromisoformat(data["became_foreign_resident_on"]),
        residence_status=data["residence_status"],
        period_of_stay=data["period_of_stay"],
        stay_expires_on=_optional_date(data["stay_expires_on"]),
        card_number=data["card_number"],
        permitted_period=data["permitted_period"],
    )


def _welfare(text: str) -> WelfareItems:
    data = json.loads(text)
    return WelfareItems(
        elector=bool(data["elector"]),
        health_insurance_since=_optional_date(data["health_insurance_since"]),
        late_elderly_insurance_since=_optional_date(data["late_elderly_insurance_since"]),
        long_term_care_since=_optional_date(data["long_term_care_since"]),
        national_pension_category=data["national_pension_category"],
        child_allowance_since=_optional_date(data["child_allowance_since"]),
    )


def resident_from_row(row: Row[Any]) -> Resident:
    return Resident(
        record_id=row.record_id,
        municipality_code=row.municipality_code,
        resident_code=row.resident_code,
        my_number=row.my_number,
        name=PersonName(
            row.family_name,
            row.given_name,
            row.family_name_kana,
            row.given_name_kana,
            row.former_surname,
            row.alias,
        ),
        birth_date=row.birth_date,
        sex=Sex(row.sex),
        household_id=row.household_id,
        relationship=Relationship(row.relationship),
        address=row.address,
        address_set_on=row.address_set_on,
        became_resident_on=row.became_resident_on,
        notified_on=row.notified_on,
        previous_address=row.previous_address,
        domicile=None if row.domicile is None else RegisteredDomicile(**json.loads(row.domicile)),
        foreign=_foreign(row.foreign_block),
        welfare=_welfare(row.welfare),
        status=RecordStatus(row.status),
        removal_reason=None if row.removal_reason is None else ChangeReason(row.removal_reason),
        removed_on=row.removed_on,
        destination=row.destination,
        remarks=row.remarks,
        version=row.version,
        last_reason=ChangeReason(row.last_reason),
        last_change_date=row.last_change_date,
        previous_resident_code=row.previous_resident_code,
    )


class SqlResidents:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._table = metadata.tables["residents"]

    def add(self, resident: Resident) -> None:
        self._connection.execute(self._table.insert(), resident_row(resident))

    def update(self, resident: Resident) -> None:
        values = resident_row(resident)
        values["key_"] = values.pop("record_id")
        self._connection.execute(update_by_key(self._table, "record_id"), values)

    def _one(self, *conditions: Any) -> Resident | None:
        row = self._connection.execute(select(self._table).where(*conditions)).first()
        return None if row is None else resident_from_row(row)

    def get(self, record_id: str) -> Resident | None:
        return self._one(self._table.c.record_id == record_id)

    def active_by_code(self, resident_code: str) -> Resident | None:
        t = self._table
        return self._one(t.c.resident_code == resident_code, t.c.status == "active")

    def any_by_code(self, resident_code: str) -> Resident | None:
        t = self._table
        row = self._connection.execute(
            select(t)
            .where(t.c.resident_code == resident_code)
            .order_by((t.c.status == "active").desc(), t.c.became_resident_on.desc())
        ).first()
        return None if row is None else resident_from_row(row)

    def members(self, household_id: str) -> list[Resident]:
        t = self._table
        rows = self._connection.execute(
            select(t).where(t.c.household_id == household_id, t.c.status == "active")
        )
        return [resident_from_row(r) for r in rows]

    def active_by_codes(self, resident_codes: Sequence[str]) -> list[Resident]:
        t = self._table
        codes = sorted(set(resident_codes))
        found = []
        for start in range(0, len(codes), 500):
            query = select(t).where(
                t.c.resident_code.in_(codes[start : start + 500]), t.c.status == "active"
            )
            found += [resident_from_row(r) for r in self._connection.execute(query)]
        return found


class SqlHouseholds:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._table = metadata.tables["households"]

    def add(self, household: Household) -> None:
        self._connection.execute(self._table.insert(), shallow(household))

    def update(self, household: Household) -> None:
        values = shallow(household)
        values["key_"] = values.pop("household_id")
        self._connection.execute(update_by_key(self._table, "household_id"), values)

    def get(self, household_id: str) -> Household | None:
        t = self._table
        row = self._connection.execute(select(t).where(t.c.household_id == household_id)).first()
        return None if row is None else Household(**row._asdict())


class SqlChangeLog:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._table = metadata.tables["changes"]

    def append(self, change: ChangeRecord) -> None:
        values = shallow(change)
        values["before"] = None if change.before is None else _json(change.before)
        values["after"] = _json(change.after)
        self._connection.execute(self._table.insert(), values)

    def of(self, record_id: str) -> list[ChangeRecord]:
        t = self._table
        rows = self._connection.execute(
            select(t).where(t.c.record_id == record_id).order_by(t.c.id)
        )
        return [
            ChangeRecord(
                r.record_id,
                r.reason,
                r.occurred_on,
                r.notified_on,
                r.recorded_at,
                r.operator,
                None if r.before is None else json.loads(r.before),
                json.loads(r.after),
            )
            for r in rows
        ]


class SqlCodePool:
    def __init__(self, connection: Connection, metadata: MetaData, now: datetime) -> None:
        self._connection = connection
        self._table = metadata.tables["code_pool"]
        self._now = now

    def take(self) -> str | None:
        t = self._table
        # Any unused code will do; taking one at random keeps the order of use meaningless too.
        code = self._connection.execute(
            select(t.c.code).where(t.c.taken_at.is_(None)).order_by(func.random()).limit(1)
        ).scalar()
        if code is None:
            return None
        taken = self._connection.execute(
            update(t).where(t.c.code == code, t.c.taken_at.is_(None)).values(taken_at=self._now)
        )
        return str(code) if taken.rowcount == 1 else self.take()

    def add_many(self, codes: Iterable[str], at: datetime) -> None:
        rows = [{"code": c, "granted_at": at} for c in codes]
        if rows:
            statement = insert_for(self._connection, self._table).on_conflict_do_nothing()
            self._connection.execute(statement, rows)

    def available(self) -> int:
        t = self._table
        count = self._connection.execute(
            select(func.count()).select_from(t).where(t.c.taken_at.is_(None))
        ).scalar_one()
        return int(count)


class SqlCertificates:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._issued = metadata.tables["move_out_certificates"]
        self._consumed = metadata.tables["consumed_certificates"]

    def issue(self, certificate: MoveOutCertificate) -> None:
        self._connection.execute(
            self._issued.insert().values(
                certificate_id=certificate.certificate_id,
                resident_code=certificate.resident_code,
                content=_json(certificate.to_wire()),
                issued_on=certificate.issued_on,
            )
        )

    def get(self, certificate_id: str) -> MoveOutCertificate | None:
        t = self._issued
        content = self._connection.execute(
            select(t.c.content).where(t.c.certificate_id == certificate_id)
        ).scalar()
        return None if content is None else MoveOutCertificate.from_wire(json.loads(content))

    def consume(self, certificate_id: str, issuer: str, at: datetime) -> bool:
        statement = (
            insert_for(self._connection, self._consumed)
            .values(issuer=issuer, certificate_id=certificate_id, consumed_at=at)
            .on_conflict_do_nothing()
        )
        return self._connection.execute(statement).rowcount == 1
