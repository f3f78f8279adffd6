"""本人確認情報: the only part of a resident's record that ever leaves the municipality.

It is the name (with 旧氏 and, for foreign residents, 通称), furigana, date of birth, sex,
address, 個人番号 and 住民票コード, plus the change that produced this version: its reason,
date and kind (記載, 消除, 修正). ``IDENTITY_FIELDS`` is the complete list; the message
catalogue is built from it, and a test checks that nothing else crosses the boundary.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum

from jukinet.domain.changes import ChangeReason, NotificationKind
from jukinet.domain.checkdigits import (
    LOCAL_GOVERNMENT_SCHEME,
    MY_NUMBER_SCHEME,
    resident_code_scheme,
)
from jukinet.domain.codes import validate_digits
from jukinet.domain.text import clean_text

NAME_LIMIT = 50
ADDRESS_LIMIT = 200


class Sex(StrEnum):
    """男女の別."""

    MALE = "male"
    FEMALE = "female"

    @property
    def label(self) -> str:
        return "男" if self is Sex.MALE else "女"


class RecordStatus(StrEnum):
    ACTIVE = "active"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class IdentityInfo:
    """One version of a person's identity information as notified by their municipality."""

    resident_code: str
    my_number: str | None
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    former_surname: str
    alias: str
    birth_date: date
    sex: Sex
    address: str
    municipality_code: str
    status: RecordStatus
    reason: ChangeReason
    change_date: date
    previous_resident_code: str | None = None

    def __post_init__(self) -> None:
        validate_digits("resident_code", self.resident_code, 11, resident_code_scheme())
        if self.my_number is not None:
            validate_digits("my_number", self.my_number, 12, MY_NUMBER_SCHEME)
        if self.previous_resident_code is not None:
            validate_digits(
                "previous_resident_code", self.previous_resident_code, 11, resident_code_scheme()
            )
        validate_digits("municipality_code", self.municipality_code, 6, LOCAL_GOVERNMENT_SCHEME)
        clean_text("family_name", self.family_name, max_length=NAME_LIMIT)
        clean_text("address", self.address, max_length=ADDRESS_LIMIT)

    @property
    def kind(self) -> NotificationKind:
        return self.reason.kind

    @property
    def full_name(self) -> str:
        return f"{self.family_name}\u3000{self.given_name}"

    def to_wire(self) -> dict[str, object]:
        """Plain JSON-able mapping (dates as ISO strings, enums as their values)."""
        return {
            "resident_code": self.resident_code,
            "my_number": self.my_number,
            "family_name": self.family_name,
            "given_name": self.given_name,
            "family_name_kana": self.family_name_kana,
            "given_name_kana": self.given_name_kana,
            "former_surname": self.former_surname,
            "alias": self.alias,
            "birth_date": self.birth_date.isoformat(),
            "sex": self.sex.value,
            "address": self.address,
            "municipality_code": self.municipality_code,
            "status": self.status.value,
            "reason": self.reason.value,
            "change_date": self.change_date.isoformat(),
            "previous_resident_code": self.previous_resident_code,
        }

    @classmethod
    def from_wire(cls, data: dict[str, object]) -> IdentityInfo:
        values = dict(data)
        values["birth_date"] = date.fromisoformat(str(values["birth_date"]))
        values["change_date"] = date.fromisoformat(str(values["change_date"]))
        values["sex"] = Sex(str(values["sex"]))
        values["status"] = RecordStatus(str(values["status"]))
        values["reason"] = ChangeReason(str(values["reason"]))
        return cls(**values)  # type: ignore[arg-type]

    def digest(self) -> str:
        """A stable fingerprint of this version, used by the consistency check: the SHA-256 of
        its canonical JSON (sorted keys, no spaces, UTF-8) — the bytes the stores keep."""
        return content_digest(self.canonical_json())

    def canonical_json(self) -> str:
        return json.dumps(self.to_wire(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_digest(canonical_json: str) -> str:
    return hashlib.sha256(canonical_json.encode()).hexdigest()


IDENTITY_FIELDS: frozenset[str] = frozenset(f.name for f in fields(IdentityInfo))
