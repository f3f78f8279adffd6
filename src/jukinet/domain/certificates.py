"""転出証明書: what the old municipality certifies when a resident moves out (施行令23条).

The new municipality records the move-in from these items; the 住民票コード and 個人番号 are
carried over so the person keeps them. A certificate is used once: its ``certificate_id``
is remembered by the municipality that consumed it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jukinet.domain.codes import LocalGovernmentCode, MyNumber, ResidentCode
from jukinet.domain.dates import parse_date
from jukinet.domain.errors import InvalidValue
from jukinet.domain.identity import NAME_LIMIT, Sex
from jukinet.domain.residents import RegisteredDomicile, address_text
from jukinet.domain.text import clean_text

MOVE_IN_DEADLINE_DAYS = 14  # 住基法22条: notify within 14 days of moving in


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

    @classmethod
    def from_keyed(cls, data: dict[str, object]) -> MoveOutCertificate:
        """Validate the items a clerk keyed in from a paper certificate, naming any bad field."""
        prefix = "certificate."

        def text(name: str, limit: int = NAME_LIMIT, required: bool = True) -> str:
            return clean_text(prefix + name, data.get(name), max_length=limit, required=required)

        my_number = data.get("my_number")
        try:
            sex = Sex(str(data.get("sex")))
        except ValueError:
            raise InvalidValue(prefix + "sex", "must be 'male' or 'female'") from None
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
            sex=sex,
            address=address_text(prefix + "address", data.get("address")),
            destination=address_text(prefix + "destination", data.get("destination")),
            planned_on=parse_date(prefix + "planned_on", data.get("planned_on")),
            issued_on=parse_date(prefix + "issued_on", data.get("issued_on")),
        )

    def to_wire(self) -> dict[str, object]:
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
        }
