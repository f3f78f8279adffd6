"""Moves between municipalities: the messages one municipality's CS sends another's.

| type | from → to | meaning |
|---|---|---|
| ``move-out.certificate-info`` | old → new municipality | 転出証明書情報 of a card holder's move (住基法24条の2) |
| ``move-in.notice`` | new → old municipality | 転入通知 (住基法9条): the person was recorded here |

Both are one-way: the outbox carries them, the receiver answers with a delivery receipt, and
a message delivered twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from jukinet.domain.certificates import CertificateInfo
from jukinet.domain.codes import LocalGovernmentCode, ResidentCode
from jukinet.domain.dates import parse_date
from jukinet.domain.identity import Sex
from jukinet.domain.residents import address_text
from jukinet.domain.text import clean_text
from jukinet.protocol.envelope import Message, new_message
from jukinet.protocol.fields import checked_code, require, via_domain


@dataclass(frozen=True, slots=True)
class CertificateInfoNotice:
    """転出証明書情報 of one person, sent by the old municipality to the new one."""

    TYPE: ClassVar[str] = "move-out.certificate-info"
    VERSION: ClassVar[int] = 1

    info: CertificateInfo

    def message(self, now: datetime) -> Message:
        certificate = self.info.certificate
        return new_message(
            self.TYPE,
            self.VERSION,
            self.to_body(),
            stream=f"{certificate.issuer}:{certificate.certificate_id}",
            sequence=1,
            now=now,
        )

    def to_body(self) -> dict[str, Any]:
        return {"info": self.info.to_wire()}

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> CertificateInfoNotice:
        info = require(body, "info", dict)
        return cls(via_domain("info", lambda: CertificateInfo.from_wire(info)))


@dataclass(frozen=True, slots=True)
class MoveInNotice:
    """転入通知: the new municipality tells the old one that the person now lives there.

    ``certificate_id`` is the certificate (paper, or information sent over the network) the
    move-in was recorded from; ``issuer`` is the old municipality that issued it.
    """

    TYPE: ClassVar[str] = "move-in.notice"
    VERSION: ClassVar[int] = 1

    certificate_id: str
    issuer: str
    resident_code: str
    family_name: str
    given_name: str
    birth_date: date
    sex: Sex
    municipality_code: str  # where the person now lives
    address: str
    moved_in_on: date
    notified_on: date

    def message(self, now: datetime) -> Message:
        return new_message(
            self.TYPE,
            self.VERSION,
            self.to_body(),
            stream=f"{self.issuer}:{self.certificate_id}:{self.resident_code}",
            sequence=1,
            now=now,
        )

    def to_body(self) -> dict[str, Any]:
        return {
            "certificate_id": self.certificate_id,
            "issuer": self.issuer,
            "resident_code": self.resident_code,
            "family_name": self.family_name,
            "given_name": self.given_name,
            "birth_date": self.birth_date.isoformat(),
            "sex": self.sex.value,
            "municipality_code": self.municipality_code,
            "address": self.address,
            "moved_in_on": self.moved_in_on.isoformat(),
            "notified_on": self.notified_on.isoformat(),
        }

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> MoveInNotice:
        def text(name: str, required: bool = True) -> str:
            value = require(body, name, str)
            return via_domain(
                name, lambda: clean_text(name, value, max_length=100, required=required)
            )

        def day(name: str) -> date:
            value = require(body, name, str)
            return via_domain(name, lambda: parse_date(name, value))

        sex = require(body, "sex", str)
        address = require(body, "address", str)
        return cls(
            certificate_id=text("certificate_id"),
            issuer=checked_code(LocalGovernmentCode, body, "issuer"),
            resident_code=checked_code(ResidentCode, body, "resident_code"),
            family_name=text("family_name"),
            given_name=text("given_name", required=False),
            birth_date=day("birth_date"),
            sex=via_domain("sex", lambda: Sex(sex)),
            municipality_code=checked_code(LocalGovernmentCode, body, "municipality_code"),
            address=via_domain("address", lambda: address_text("address", address)),
            moved_in_on=day("moved_in_on"),
            notified_on=day("notified_on"),
        )
