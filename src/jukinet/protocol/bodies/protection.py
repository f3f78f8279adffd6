"""支援措置 between municipalities: the measure told to the related municipalities.

| type | from → to | meaning |
|---|---|---|
| ``protection.measure-notice`` | municipality → municipality | a 支援措置 for the related municipality (前住所地, 本籍地 …) to decide on |

One-way through the outbox; the receiver answers with a delivery receipt. The body names the
person by what the receiving register can match (住民票コード, name, date of birth, sex) and
never carries the person's present address: the point of the measure is that it stays unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from jukinet.domain.codes import LocalGovernmentCode, ResidentCode
from jukinet.domain.dates import parse_date
from jukinet.domain.identity import Sex
from jukinet.domain.suppressions import MeasureState, Relation
from jukinet.domain.text import clean_text
from jukinet.protocol.envelope import Message, new_message
from jukinet.protocol.errors import MalformedEnvelope
from jukinet.protocol.fields import checked_code, require, via_domain


@dataclass(frozen=True, slots=True)
class MeasureNotice:
    """A support measure decided (or provisionally taken) by ``sender`` for one person, sent to
    a municipality related to them so that it protects its own records of them too."""

    TYPE: ClassVar[str] = "protection.measure-notice"
    VERSION: ClassVar[int] = 1

    measure_id: str  # the sender's id of the measure
    sender: str
    recipient: str
    relation: Relation  # what the recipient is to the person
    resident_code: str
    family_name: str
    given_name: str
    birth_date: date
    sex: Sex
    state: MeasureState
    ends_on: date | None
    co_residents: tuple[str, ...] = ()

    def message(self, now: datetime) -> Message:
        return new_message(
            self.TYPE,
            self.VERSION,
            self.to_body(),
            stream=f"{self.sender}:{self.measure_id}:{self.recipient}",
            sequence=1,
            now=now,
        )

    def to_body(self) -> dict[str, Any]:
        return {
            "measure_id": self.measure_id,
            "sender": self.sender,
            "recipient": self.recipient,
            "relation": self.relation.value,
            "resident_code": self.resident_code,
            "family_name": self.family_name,
            "given_name": self.given_name,
            "birth_date": self.birth_date.isoformat(),
            "sex": self.sex.value,
            "state": self.state.value,
            "ends_on": None if self.ends_on is None else self.ends_on.isoformat(),
            "co_residents": list(self.co_residents),
        }

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> MeasureNotice:
        def text(name: str, required: bool = True) -> str:
            value = require(body, name, str)
            return via_domain(
                name, lambda: clean_text(name, value, max_length=100, required=required)
            )

        birth, sex = require(body, "birth_date", str), require(body, "sex", str)
        relation, state = require(body, "relation", str), require(body, "state", str)
        ends_on = body.get("ends_on")
        if ends_on is not None and not isinstance(ends_on, str):
            raise MalformedEnvelope("body.ends_on: expected a date or null")
        co_residents = require(body, "co_residents", list)
        return cls(
            measure_id=text("measure_id"),
            sender=checked_code(LocalGovernmentCode, body, "sender"),
            recipient=checked_code(LocalGovernmentCode, body, "recipient"),
            relation=via_domain("relation", lambda: Relation(relation)),
            resident_code=checked_code(ResidentCode, body, "resident_code"),
            family_name=text("family_name"),
            given_name=text("given_name", required=False),
            birth_date=via_domain("birth_date", lambda: parse_date("birth_date", birth)),
            sex=via_domain("sex", lambda: Sex(sex)),
            state=via_domain("state", lambda: MeasureState(state)),
            ends_on=None
            if ends_on is None
            else via_domain("ends_on", lambda: parse_date("ends_on", ends_on)),
            co_residents=tuple(
                checked_code(ResidentCode, {"co_residents": c}, "co_residents")
                for c in co_residents
            ),
        )
