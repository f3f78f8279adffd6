"""世帯情報の確認: the national node asks a home municipality about named people's households."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from jukinet.domain.codes import LocalGovernmentCode, ResidentCode
from jukinet.domain.residents import Relationship
from jukinet.protocol.errors import MalformedEnvelope
from jukinet.protocol.fields import checked_code, identifier, require


@dataclass(frozen=True, slots=True)
class HouseholdQuery:
    """世帯情報の照会: do these people live here, in which household, with which 続柄?

    The national node asks the home municipality of the first code (the applicant) on behalf
    of ``recipient`` for ``affair``, under ``provision_id`` of its provision log, so that the
    municipality's record of who asked about whom can be matched with that log.
    """

    TYPE: ClassVar[str] = "household.query"
    VERSION: ClassVar[int] = 1
    MAX_CODES: ClassVar[int] = 100

    municipality_code: str
    provision_id: str
    recipient: str
    affair: str
    resident_codes: tuple[str, ...]

    def to_body(self) -> dict[str, Any]:
        return {
            "municipality_code": self.municipality_code,
            "provision_id": self.provision_id,
            "recipient": self.recipient,
            "affair": self.affair,
            "resident_codes": list(self.resident_codes),
        }

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> HouseholdQuery:
        raw = require(body, "resident_codes", list)
        if not 1 <= len(raw) <= cls.MAX_CODES:
            raise MalformedEnvelope(f"body.resident_codes: give 1 to {cls.MAX_CODES} codes")
        codes = tuple(
            checked_code(ResidentCode, {f"resident_codes[{i}]": c}, f"resident_codes[{i}]")
            for i, c in enumerate(raw)
        )
        if len(set(codes)) != len(codes):
            raise MalformedEnvelope("body.resident_codes: each code may be asked about once")
        return cls(
            municipality_code=checked_code(LocalGovernmentCode, body, "municipality_code"),
            provision_id=identifier(body, "provision_id"),
            recipient=identifier(body, "recipient"),
            affair=identifier(body, "affair"),
            resident_codes=codes,
        )


@dataclass(frozen=True, slots=True)
class HouseholdMember:
    """What a municipality says about one person asked about, and nothing more.

    ``registered``: the person has a current record here. ``household`` is a label that holds
    only within one answer ("1", "2" …, in the order asked), so two people with the same label
    live in the same household; the register's own household id never leaves. ``relationship``
    is the 続柄 to that household's head. No name, address or date crosses.
    """

    FIELDS: ClassVar[frozenset[str]] = frozenset(
        {"resident_code", "registered", "household", "relationship"}
    )

    resident_code: str
    registered: bool
    household: str | None = None
    relationship: Relationship | None = None

    def to_wire(self) -> dict[str, Any]:
        return {
            "resident_code": self.resident_code,
            "registered": self.registered,
            "household": self.household,
            "relationship": None if self.relationship is None else self.relationship.value,
        }


@dataclass(frozen=True, slots=True)
class HouseholdAnswer:
    """The home municipality's answer: one member per code asked, in the order asked."""

    TYPE: ClassVar[str] = "household.answer"
    VERSION: ClassVar[int] = 1

    municipality_code: str
    members: tuple[HouseholdMember, ...]

    def to_body(self) -> dict[str, Any]:
        return {
            "municipality_code": self.municipality_code,
            "members": [member.to_wire() for member in self.members],
        }

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> HouseholdAnswer:
        raw = require(body, "members", list)
        if len(raw) > HouseholdQuery.MAX_CODES:
            raise MalformedEnvelope(f"body.members: at most {HouseholdQuery.MAX_CODES}")
        return cls(
            checked_code(LocalGovernmentCode, body, "municipality_code"),
            tuple(_member(f"members[{i}]", item) for i, item in enumerate(raw)),
        )


_LABEL = re.compile(r"[0-9]{1,3}")
_RELATIONSHIPS = frozenset(r.value for r in Relationship)


def _member(name: str, item: object) -> HouseholdMember:
    if not isinstance(item, dict):
        raise MalformedEnvelope(f"body.{name}: expected an object")
    extra = set(item) - HouseholdMember.FIELDS
    if extra:
        raise MalformedEnvelope(f"body.{name}: fields not allowed here: {sorted(extra)}")
    code = checked_code(
        ResidentCode, {f"{name}.resident_code": item.get("resident_code")}, f"{name}.resident_code"
    )
    registered = item.get("registered")
    if not isinstance(registered, bool):
        raise MalformedEnvelope(f"body.{name}.registered: expected true or false")
    household, relationship = item.get("household"), item.get("relationship")
    if not registered:
        if household is not None or relationship is not None:
            raise MalformedEnvelope(f"body.{name}: someone not registered has no household")
        return HouseholdMember(code, registered=False)
    if not (isinstance(household, str) and _LABEL.fullmatch(household)):
        raise MalformedEnvelope(f"body.{name}.household: expected a label of 1-3 digits")
    if not isinstance(relationship, str) or relationship not in _RELATIONSHIPS:
        raise MalformedEnvelope(f"body.{name}.relationship: {relationship!r} is not a 続柄")
    return HouseholdMember(code, True, household, Relationship(relationship))
