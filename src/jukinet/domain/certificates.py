"""転出証明書: what the old municipality certifies when a resident moves out (施行令23条).

The new municipality records the move-in from these items; the 住民票コード and 個人番号 are
carried over so the person keeps them. A certificate is used once: its ``certificate_id``
is remembered by the municipality that consumed it.

A card holder's move (転入届の特例) issues no paper: the same items travel from the old
municipality's CS to the new one's as 転出証明書情報 (:class:`CertificateInfo`), together with
the card that will be presented and, for an online move-out, the day the person plans to come.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from jukinet.domain.cards import check_card_number
from jukinet.domain.codes import LocalGovernmentCode, MyNumber, ResidentCode
from jukinet.domain.dates import parse_date
from jukinet.domain.errors import InvalidValue
from jukinet.domain.identity import NAME_LIMIT, Sex
from jukinet.domain.moves import MoveOutChannel
from jukinet.domain.residents import (
    KANA_LIMIT,
    ForeignResidentBlock,
    ForeignResidentClass,
    RegisteredDomicile,
    Relationship,
    address_text,
)
from jukinet.domain.text import clean_text, to_katakana


@dataclass(frozen=True, slots=True)
class MoveOutCertificate:
    """The certified items of one person moving out; ``issuer`` is the old municipality."""

    certificate_id: str
    issuer: str
    resident_code: str
    my_number: str | None
    family_name: str
    given_name: str
    birth_date: date
    sex: Sex
    address: str
    destination: str
    planned_on: date
    issued_on: date
    domicile: RegisteredDomicile | None = None
    family_name_kana: str = ""
    given_name_kana: str = ""
    relationship: Relationship = Relationship.HEAD  # 続柄 in the household that moves
    head_name: str = ""  # 世帯主の氏名 of the household the person leaves
    foreign: ForeignResidentBlock | None = None

    @classmethod
    def from_keyed(cls, data: dict[str, object]) -> MoveOutCertificate:
        """Validate the items a clerk keyed in from a paper certificate, naming any bad field."""
        prefix = "certificate."

        def text(name: str, limit: int = NAME_LIMIT, required: bool = True) -> str:
            return clean_text(prefix + name, data.get(name), max_length=limit, required=required)

        my_number = data.get("my_number")
        return cls(
            certificate_id=text("certificate_id", 64),
            issuer=LocalGovernmentCode.parse(data.get("issuer"), prefix + "issuer").value,
            resident_code=ResidentCode.parse(
                data.get("resident_code"), prefix + "resident_code"
            ).value,
            my_number=MyNumber.parse(my_number, prefix + "my_number").value if my_number else None,
            family_name=text("family_name"),
            given_name=text("given_name", required=False),
            birth_date=parse_date(prefix + "birth_date", data.get("birth_date")),
            sex=_sex(prefix, data.get("sex")),
            address=address_text(prefix + "address", data.get("address")),
            destination=address_text(prefix + "destination", data.get("destination")),
            planned_on=parse_date(prefix + "planned_on", data.get("planned_on")),
            issued_on=parse_date(prefix + "issued_on", data.get("issued_on")),
            family_name_kana=to_katakana(
                prefix + "family_name_kana", data.get("family_name_kana", ""), max_length=KANA_LIMIT
            ),
            given_name_kana=to_katakana(
                prefix + "given_name_kana", data.get("given_name_kana", ""), max_length=KANA_LIMIT
            ),
        )

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> MoveOutCertificate:
        """The full certificate as one CS sends it to another (every item checked)."""
        keyed = cls.from_keyed(dict(data))
        domicile = data.get("domicile")
        foreign = data.get("foreign")
        try:
            relationship = Relationship(str(data.get("relationship", "head")))
        except ValueError:
            raise InvalidValue("certificate.relationship", "is not a known 続柄") from None
        return cls(
            **{name: getattr(keyed, name) for name in _KEYED},
            domicile=None if domicile is None else _domicile(domicile),
            relationship=relationship,
            head_name=_text(data, "head_name", NAME_LIMIT * 2),
            foreign=None if foreign is None else _foreign(foreign),
        )

    def to_wire(self) -> dict[str, Any]:
        return {
            "certificate_id": self.certificate_id,
            "issuer": self.issuer,
            "resident_code": self.resident_code,
            "my_number": self.my_number,
            "family_name": self.family_name,
            "given_name": self.given_name,
            "birth_date": self.birth_date.isoformat(),
            "sex": self.sex.value,
            "address": self.address,
            "destination": self.destination,
            "planned_on": self.planned_on.isoformat(),
            "issued_on": self.issued_on.isoformat(),
            "domicile": None if self.domicile is None else _domicile_wire(self.domicile),
            "family_name_kana": self.family_name_kana,
            "given_name_kana": self.given_name_kana,
            "relationship": self.relationship.value,
            "head_name": self.head_name,
            "foreign": None if self.foreign is None else _foreign_wire(self.foreign),
        }


_KEYED = (
    "family_name_kana",
    "given_name_kana",
    "certificate_id",
    "issuer",
    "resident_code",
    "my_number",
    "family_name",
    "given_name",
    "birth_date",
    "sex",
    "address",
    "destination",
    "planned_on",
    "issued_on",
)


@dataclass(frozen=True, slots=True)
class CertificateInfo:
    """転出証明書情報 of one person in a card holder's move (住基法24条の2).

    ``holder`` is the 住民票コード of the card holder whose 特例転出 this is; household members
    moving with them carry the holder's code and their own certificate. ``destination_code`` is
    the new municipality, to which the information is sent.
    """

    certificate: MoveOutCertificate
    holder: str
    card_number: str
    channel: MoveOutChannel
    destination_code: str
    visit_planned_on: date | None = None

    @property
    def is_holder(self) -> bool:
        return self.certificate.resident_code == self.holder

    def to_wire(self) -> dict[str, Any]:
        return {
            "certificate": self.certificate.to_wire(),
            "holder": self.holder,
            "card_number": self.card_number,
            "channel": self.channel.value,
            "destination_code": self.destination_code,
            "visit_planned_on": None
            if self.visit_planned_on is None
            else self.visit_planned_on.isoformat(),
        }

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> CertificateInfo:
        certificate = data.get("certificate")
        if not isinstance(certificate, Mapping):
            raise InvalidValue("certificate", "expected an object")
        try:
            channel = MoveOutChannel(str(data.get("channel")))
        except ValueError:
            raise InvalidValue("channel", "must be counter, post or online") from None
        visit = data.get("visit_planned_on")
        return cls(
            certificate=MoveOutCertificate.from_wire(certificate),
            holder=ResidentCode.parse(data.get("holder"), "holder").value,
            card_number=check_card_number("card_number", data.get("card_number")),
            channel=channel,
            destination_code=LocalGovernmentCode.parse(
                data.get("destination_code"), "destination_code"
            ).value,
            visit_planned_on=None if visit is None else parse_date("visit_planned_on", visit),
        )


def _sex(prefix: str, value: object) -> Sex:
    try:
        return Sex(str(value))
    except ValueError:
        raise InvalidValue(prefix + "sex", "must be 'male' or 'female'") from None


def _text(data: Mapping[str, Any], name: str, limit: int = NAME_LIMIT) -> str:
    return clean_text("certificate." + name, data.get(name, ""), max_length=limit, required=False)


def _domicile(data: object) -> RegisteredDomicile:
    if not isinstance(data, Mapping):
        raise InvalidValue("certificate.domicile", "expected an object")
    return RegisteredDomicile.of(
        data.get("place", ""), data.get("head_of_family", ""), data.get("note", "")
    )


def _domicile_wire(domicile: RegisteredDomicile) -> dict[str, str]:
    return {
        "place": domicile.place,
        "head_of_family": domicile.head_of_family,
        "note": domicile.note,
    }


def _foreign(data: object) -> ForeignResidentBlock:
    if not isinstance(data, Mapping):
        raise InvalidValue("certificate.foreign", "expected an object")
    try:
        resident_class = ForeignResidentClass(str(data.get("resident_class")))
    except ValueError:
        raise InvalidValue("certificate.foreign.resident_class", "is not a known class") from None
    expires = data.get("stay_expires_on")
    return ForeignResidentBlock(
        resident_class=resident_class,
        nationality=str(data.get("nationality", "")),
        became_foreign_resident_on=parse_date(
            "certificate.foreign.became_foreign_resident_on",
            data.get("became_foreign_resident_on"),
        ),
        residence_status=str(data.get("residence_status", "")),
        period_of_stay=str(data.get("period_of_stay", "")),
        stay_expires_on=None
        if expires is None
        else parse_date("certificate.foreign.stay_expires_on", expires),
        card_number=str(data.get("card_number", "")),
        permitted_period=str(data.get("permitted_period", "")),
    )


def _foreign_wire(block: ForeignResidentBlock) -> dict[str, Any]:
    return {
        "resident_class": block.resident_class.value,
        "nationality": block.nationality,
        "became_foreign_resident_on": block.became_foreign_resident_on.isoformat(),
        "residence_status": block.residence_status,
        "period_of_stay": block.period_of_stay,
        "stay_expires_on": None
        if block.stay_expires_on is None
        else block.stay_expires_on.isoformat(),
        "card_number": block.card_number,
        "permitted_period": block.permitted_period,
    }
