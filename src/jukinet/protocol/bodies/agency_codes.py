"""機関別符号: J-LIS hands the provision network a 住民票コード to derive an agency's code from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from jukinet.domain.agency_codes import check_acquisition_number
from jukinet.domain.codes import ResidentCode
from jukinet.protocol.fields import checked_code, identifier, require, via_domain


@dataclass(frozen=True, slots=True)
class AgencyCodeRequest:
    """J-LIS asks the provision network to derive an agency's code for one person (機関別符号).

    Only the 住民票コード travels — never the 個人番号 — with the agency and its 取得番号.
    """

    TYPE: ClassVar[str] = "agency-code.request"
    VERSION: ClassVar[int] = 1

    agency_id: str
    acquisition_number: str
    resident_code: str

    def to_body(self) -> dict[str, Any]:
        return {
            "agency_id": self.agency_id,
            "acquisition_number": self.acquisition_number,
            "resident_code": self.resident_code,
        }

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> AgencyCodeRequest:
        number = via_domain(
            "acquisition_number",
            lambda: check_acquisition_number("value", body.get("acquisition_number")),
        )
        return cls(
            identifier(body, "agency_id"), number, checked_code(ResidentCode, body, "resident_code")
        )


@dataclass(frozen=True, slots=True)
class AgencyCodeAccepted:
    """The codes are derived and wait for the agency; the answer carries no code."""

    TYPE: ClassVar[str] = "agency-code.accepted"
    VERSION: ClassVar[int] = 1

    accepted: int

    def to_body(self) -> dict[str, Any]:
        return {"accepted": self.accepted}

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> AgencyCodeAccepted:
        return cls(require(body, "accepted", int))
