"""Reading a clerk's form (a JSON object) into typed values, naming the field of any error."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from jukinet.domain.codes import MyNumber, ResidentCode
from jukinet.domain.dates import parse_date, past_date
from jukinet.domain.errors import InvalidValue
from jukinet.domain.residents import (
    ForeignResidentBlock,
    ForeignResidentClass,
    PersonName,
    RegisteredDomicile,
    Relationship,
    address_text,
)
from jukinet.domain.text import clean_text

E = TypeVar("E", bound=StrEnum)

# Form keys of the parts of a name, and the matching PersonName attributes.
NAME_PARTS = {
    "family_name": "family",
    "given_name": "given",
    "family_name_kana": "family_kana",
    "given_name_kana": "given_kana",
    "former_surname": "former_surname",
    "alias": "alias",
}


class Form:
    """Typed access to one submitted form; every getter names its field on error."""

    def __init__(self, data: object, today: date, prefix: str = "") -> None:
        if not isinstance(data, Mapping):
            raise InvalidValue(prefix.rstrip(".") or "body", "expected a JSON object")
        self.data: Mapping[str, Any] = data
        self.today = today
        self.prefix = prefix

    def _name(self, key: str) -> str:
        return self.prefix + key

    def has(self, key: str) -> bool:
        return self.data.get(key) not in (None, "")

    def sub(self, key: str) -> Form:
        return Form(self.data.get(key), self.today, self._name(key) + ".")

    def text(self, key: str, limit: int = 200, required: bool = True) -> str:
        return clean_text(self._name(key), self.data.get(key), max_length=limit, required=required)

    def address(self, key: str = "address") -> str:
        return address_text(self._name(key), self.data.get(key))

    def past(self, key: str) -> date:
        return past_date(self._name(key), self.data.get(key), self.today)

    def any_date(self, key: str) -> date:
        """A date that may lie in the future (e.g. when a period of stay expires)."""
        return parse_date(self._name(key), self.data.get(key))

    def past_or(self, key: str, default: date) -> date:
        return self.past(key) if self.has(key) else default

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise InvalidValue(self._name(key), "must be true or false")
        return value

    def choice(self, key: str, kind: type[E], default: E | None = None) -> E:
        value = self.data.get(key)
        if value is None and default is not None:
            return default
        try:
            return kind(str(value))
        except ValueError:
            allowed = ", ".join(member.value for member in kind)
            raise InvalidValue(self._name(key), f"{value!r} is not one of: {allowed}") from None

    def resident_code(self, key: str = "resident_code") -> str:
        return ResidentCode.parse(self.data.get(key), self._name(key)).value

    def optional_resident_code(self, key: str) -> str | None:
        return self.resident_code(key) if self.has(key) else None

    def optional_my_number(self, key: str) -> str | None:
        return MyNumber.parse(self.data.get(key), self._name(key)).value if self.has(key) else None

    def has_name(self) -> bool:
        """Whether the form gives any part of a name (an empty part clears it)."""
        return any(key in self.data for key in NAME_PARTS)

    def person_name(self, current: PersonName | None = None) -> PersonName:
        """The name in the form; with ``current``, the parts not in the form are kept."""

        def value(key: str) -> object:
            if current is not None and key not in self.data:
                return getattr(current, NAME_PARTS[key])
            return self.data.get(key, "")

        try:
            return PersonName.of(
                value("family_name"),
                value("given_name"),
                value("family_name_kana"),
                value("given_name_kana"),
                value("former_surname"),
                value("alias"),
            )
        except InvalidValue as error:
            raise InvalidValue(self._name(error.field), error.problem) from None

    def domicile(self) -> RegisteredDomicile | None:
        if not self.has("domicile"):
            return None
        sub = self.sub("domicile")
        try:
            return RegisteredDomicile.of(
                sub.data.get("place", ""),
                sub.data.get("head_of_family", ""),
                sub.data.get("note", ""),
            )
        except InvalidValue as error:
            raise InvalidValue(self.prefix + error.field, error.problem) from None

    def foreign(self) -> ForeignResidentBlock:
        sub = self.sub("foreign")
        expires = sub.data.get("stay_expires_on")
        return ForeignResidentBlock(
            resident_class=sub.choice("resident_class", ForeignResidentClass),
            nationality=sub.text("nationality", 40),
            became_foreign_resident_on=sub.past("became_foreign_resident_on"),
            residence_status=sub.text("residence_status", 40, required=False),
            period_of_stay=sub.text("period_of_stay", 40, required=False),
            stay_expires_on=None if not expires else sub.any_date("stay_expires_on"),
            card_number=sub.text("card_number", 12, required=False),
            permitted_period=sub.text("permitted_period", 40, required=False),
        )


class HouseholdChoice:
    """Join an existing household with a relationship, or start a new one as its head."""

    def __init__(self, household_id: str | None, relationship: Relationship) -> None:
        self.household_id = household_id
        self.relationship = relationship

    @classmethod
    def read(cls, form: Form) -> HouseholdChoice:
        if not form.has("household"):
            return cls(None, Relationship.HEAD)
        sub = form.sub("household")
        if sub.has("household_id"):
            relationship = sub.choice("relationship", Relationship)
            if relationship is Relationship.HEAD:
                raise InvalidValue(
                    sub._name("relationship"),
                    "a household already has a head; give the relation to them",
                )
            return cls(sub.text("household_id", 36), relationship)
        return cls(None, Relationship.HEAD)
