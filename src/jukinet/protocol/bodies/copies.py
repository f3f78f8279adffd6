"""広域交付 (住基法12条の4): the issuing municipality asks the home municipality for a copy.

The request says who came to the issuing window (their 住民票コード, name and date of birth as
read from the document shown, and the kind of that document), whose records they want (their
household, or chosen members) and which optional items they asked for. The answer carries the
permitted items only: the record fields below and nothing else. It has no field for 本籍・筆頭者,
旧氏 or the 9–12号 items, so they cannot cross even by mistake; a 個人番号, 住民票コード or 続柄
may appear only when the request asked for it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from jukinet.domain.codes import LocalGovernmentCode, MyNumber, ResidentCode
from jukinet.domain.copies import CopiedRecord, OptionalItem
from jukinet.domain.dates import parse_date
from jukinet.domain.identity import ADDRESS_LIMIT, Sex
from jukinet.domain.requesters import IdentityDocument
from jukinet.domain.residents import (
    ForeignResidentBlock,
    ForeignResidentClass,
    PersonName,
    Relationship,
)
from jukinet.domain.text import clean_text
from jukinet.protocol.errors import MalformedEnvelope
from jukinet.protocol.fields import checked_code, identifier, require, via_domain

MAX_MEMBERS = 30


@dataclass(frozen=True, slots=True)
class WideAreaRequester:
    """The person at the issuing window, as their identity document shows them."""

    resident_code: str
    family_name: str
    given_name: str
    birth_date: date
    document: IdentityDocument

    def to_wire(self) -> dict[str, Any]:
        return {
            "resident_code": self.resident_code,
            "family_name": self.family_name,
            "given_name": self.given_name,
            "birth_date": self.birth_date.isoformat(),
            "document": self.document.value,
        }


@dataclass(frozen=True, slots=True)
class WideAreaCopyRequest:
    """交付地 → 住所地: the requester, whose records (``members`` empty: the requester's whole
    household) and the optional items asked for (``OptionalItem`` values)."""

    TYPE: ClassVar[str] = "wide-area.copy-request"
    VERSION: ClassVar[int] = 1

    request_id: str
    issuing_municipality: str
    home_municipality: str
    requester: WideAreaRequester
    members: tuple[str, ...]
    items: tuple[OptionalItem, ...]

    def to_body(self) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "issuing_municipality": self.issuing_municipality,
            "home_municipality": self.home_municipality,
            "requester": self.requester.to_wire(),
            "members": list(self.members),
            "items": [item.value for item in self.items],
        }

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> WideAreaCopyRequest:
        members = require(body, "members", list)
        if len(members) > MAX_MEMBERS:
            raise MalformedEnvelope(f"body.members: at most {MAX_MEMBERS}")
        return cls(
            request_id=identifier(body, "request_id"),
            issuing_municipality=checked_code(LocalGovernmentCode, body, "issuing_municipality"),
            home_municipality=checked_code(LocalGovernmentCode, body, "home_municipality"),
            requester=_requester(require(body, "requester", dict)),
            members=tuple(
                checked_code(ResidentCode, {f"members[{i}]": c}, f"members[{i}]")
                for i, c in enumerate(members)
            ),
            items=_items(body),
        )


def _requester(raw: Mapping[str, Any]) -> WideAreaRequester:
    extra = set(raw) - {"resident_code", "family_name", "given_name", "birth_date", "document"}
    if extra:
        raise MalformedEnvelope(f"body.requester: fields not allowed here: {sorted(extra)}")
    name = via_domain(
        "requester", lambda: PersonName.of(raw.get("family_name"), raw.get("given_name", ""))
    )
    return WideAreaRequester(
        resident_code=checked_code(
            ResidentCode,
            {"requester.resident_code": raw.get("resident_code")},
            "requester.resident_code",
        ),
        family_name=name.family,
        given_name=name.given,
        birth_date=via_domain("requester", lambda: parse_date("birth_date", raw.get("birth_date"))),
        document=via_domain("requester", lambda: IdentityDocument(str(raw.get("document")))),
    )


def _items(body: Mapping[str, Any]) -> tuple[OptionalItem, ...]:
    raw = require(body, "items", list)
    items = via_domain("items", lambda: tuple(OptionalItem(str(v)) for v in raw))
    if len(set(items)) != len(items):
        raise MalformedEnvelope("body.items: each item may be asked for once")
    return items


@dataclass(frozen=True, slots=True)
class WideAreaRefusal:
    """Why the home municipality will not answer: ``reason`` is a domain error kind
    (``not-found``, ``invalid-value`` …), ``field`` the part of the request it concerns."""

    reason: str
    field: str
    detail: str

    def to_wire(self) -> dict[str, Any]:
        return {"reason": self.reason, "field": self.field, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class WideAreaCopyAnswer:
    """住所地 → 交付地: the permitted items of each record, or a refusal (then no record)."""

    TYPE: ClassVar[str] = "wide-area.copy-answer"
    VERSION: ClassVar[int] = 1

    request_id: str
    home_municipality: str
    items: tuple[OptionalItem, ...] = ()
    address: str = ""
    head_name: str | None = None
    records: tuple[CopiedRecord, ...] = ()
    refusal: WideAreaRefusal | None = None

    def to_body(self) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "home_municipality": self.home_municipality,
            "items": [item.value for item in self.items],
            "address": self.address,
            "head_name": self.head_name,
            "records": [record_to_wire(record) for record in self.records],
            "refusal": None if self.refusal is None else self.refusal.to_wire(),
        }

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> WideAreaCopyAnswer:
        items = _items(body)
        raw_records = require(body, "records", list)
        if len(raw_records) > MAX_MEMBERS:
            raise MalformedEnvelope(f"body.records: at most {MAX_MEMBERS}")
        records = tuple(
            _record(f"records[{i}]", item, frozenset(items)) for i, item in enumerate(raw_records)
        )
        head_name = body.get("head_name")
        if head_name is not None and OptionalItem.HOUSEHOLD_HEAD not in items:
            raise MalformedEnvelope("body.head_name: 世帯主 was not asked for")
        refusal = _refusal(body.get("refusal"))
        if refusal is not None and records:
            raise MalformedEnvelope("body.records: a refusal carries no record")
        return cls(
            request_id=identifier(body, "request_id"),
            home_municipality=checked_code(LocalGovernmentCode, body, "home_municipality"),
            items=items,
            address=via_domain("address", lambda: _text("address", body.get("address"), False)),
            head_name=None
            if head_name is None
            else via_domain("head_name", lambda: _text("head_name", head_name)),
            records=records,
            refusal=refusal,
        )


_REASON = re.compile(r"[a-z-]{1,40}")


def _refusal(raw: object) -> WideAreaRefusal | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) != {"reason", "field", "detail"}:
        raise MalformedEnvelope("body.refusal: expected {reason, field, detail} or null")
    if not all(isinstance(raw[key], str) for key in raw) or not _REASON.fullmatch(raw["reason"]):
        raise MalformedEnvelope("body.refusal: reason, field and detail are strings")
    return WideAreaRefusal(raw["reason"], raw["field"][:100], raw["detail"][:1000])


def _text(field: str, value: object, required: bool = True) -> str:
    return clean_text(field, value, max_length=ADDRESS_LIMIT, required=required)


# The record fields that may cross, and which optional item each of the guarded ones needs.
RECORD_FIELDS = frozenset(
    {
        "family_name",
        "given_name",
        "family_name_kana",
        "given_name_kana",
        "alias",
        "birth_date",
        "sex",
        "address",
        "address_set_on",
        "became_resident_on",
        "notified_on",
        "previous_address",
        "relationship",
        "my_number",
        "resident_code",
        "foreign",
    }
)
_GUARDED = {
    "relationship": OptionalItem.HOUSEHOLD_HEAD,
    "my_number": OptionalItem.MY_NUMBER,
    "resident_code": OptionalItem.RESIDENT_CODE,
}


def record_to_wire(record: CopiedRecord) -> dict[str, Any]:
    """The fields of ``record`` a wide-area answer may carry (never 本籍 or 旧氏)."""
    became = record.became_resident_on
    return {
        "family_name": record.family_name,
        "given_name": record.given_name,
        "family_name_kana": record.family_name_kana,
        "given_name_kana": record.given_name_kana,
        "alias": record.alias,
        "birth_date": record.birth_date.isoformat(),
        "sex": record.sex.value,
        "address": record.address,
        "address_set_on": record.address_set_on.isoformat(),
        "became_resident_on": None if became is None else became.isoformat(),
        "notified_on": record.notified_on.isoformat(),
        "previous_address": record.previous_address,
        "relationship": None if record.relationship is None else record.relationship.value,
        "my_number": record.my_number,
        "resident_code": record.resident_code,
        "foreign": None if record.foreign is None else _foreign_to_wire(record.foreign),
    }


def _record(name: str, raw: object, items: frozenset[OptionalItem]) -> CopiedRecord:
    if not isinstance(raw, dict):
        raise MalformedEnvelope(f"body.{name}: expected an object")
    if set(raw) != RECORD_FIELDS:
        odd = sorted(set(raw) ^ RECORD_FIELDS)
        raise MalformedEnvelope(f"body.{name}: fields missing or not allowed here: {odd}")
    for field, item in _GUARDED.items():
        if raw[field] is not None and item not in items:
            raise MalformedEnvelope(f"body.{name}.{field}: {item.value} was not asked for")
    return via_domain(name, lambda: _record_of(raw))


def _record_of(raw: Mapping[str, Any]) -> CopiedRecord:
    name = PersonName.of(
        raw["family_name"],
        raw["given_name"],
        raw["family_name_kana"],
        raw["given_name_kana"],
        alias=raw["alias"],
    )
    became = raw["became_resident_on"]
    relationship, number, code = raw["relationship"], raw["my_number"], raw["resident_code"]
    return CopiedRecord(
        family_name=name.family,
        given_name=name.given,
        family_name_kana=name.family_kana,
        given_name_kana=name.given_kana,
        alias=name.alias,
        former_surname="",
        birth_date=parse_date("birth_date", raw["birth_date"]),
        sex=Sex(raw["sex"]),
        address=_text("address", raw["address"]),
        address_set_on=parse_date("address_set_on", raw["address_set_on"]),
        became_resident_on=None if became is None else parse_date("became_resident_on", became),
        notified_on=parse_date("notified_on", raw["notified_on"]),
        previous_address=_text("previous_address", raw["previous_address"], required=False),
        relationship=None if relationship is None else Relationship(relationship),
        my_number=None if number is None else MyNumber.parse(number, "my_number").value,
        resident_code=None if code is None else ResidentCode.parse(code, "resident_code").value,
        foreign=None if raw["foreign"] is None else _foreign_of(raw["foreign"]),
    )


_FOREIGN_FIELDS = (
    "resident_class",
    "nationality",
    "became_foreign_resident_on",
    "residence_status",
    "period_of_stay",
    "stay_expires_on",
    "card_number",
    "permitted_period",
)


def _foreign_to_wire(block: ForeignResidentBlock) -> dict[str, Any]:
    expires = block.stay_expires_on
    return {
        "resident_class": block.resident_class.value,
        "nationality": block.nationality,
        "became_foreign_resident_on": block.became_foreign_resident_on.isoformat(),
        "residence_status": block.residence_status,
        "period_of_stay": block.period_of_stay,
        "stay_expires_on": None if expires is None else expires.isoformat(),
        "card_number": block.card_number,
        "permitted_period": block.permitted_period,
    }


def _foreign_of(raw: object) -> ForeignResidentBlock:
    if not isinstance(raw, dict) or set(raw) != set(_FOREIGN_FIELDS):
        raise ValueError(f"foreign: expected exactly the fields {list(_FOREIGN_FIELDS)}")
    expires = raw["stay_expires_on"]
    return ForeignResidentBlock(
        resident_class=ForeignResidentClass(raw["resident_class"]),
        nationality=raw["nationality"],
        became_foreign_resident_on=parse_date(
            "became_foreign_resident_on", raw["became_foreign_resident_on"]
        ),
        residence_status=raw["residence_status"],
        period_of_stay=raw["period_of_stay"],
        stay_expires_on=None if expires is None else parse_date("stay_expires_on", expires),
        card_number=raw["card_number"],
        permitted_period=raw["permitted_period"],
    )
