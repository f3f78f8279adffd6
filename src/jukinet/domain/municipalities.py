"""The directory of local governments that keep a resident register.

Built from Japan Post's data (see tools/build_municipalities.py): the 47 prefectures and every
register unit — 市町村, Tokyo's 特別区, and the wards of designated cities, which the 住基法
treats as the municipality for register purposes. Codes carry their check digit.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from jukinet.domain.codes import LocalGovernmentCode
from jukinet.domain.errors import UnknownMunicipality


@dataclass(frozen=True, slots=True)
class Municipality:
    code: LocalGovernmentCode
    prefecture: str
    name: str
    name_kana: str

    @property
    def is_prefecture(self) -> bool:
        return self.code.is_prefecture

    @property
    def full_name(self) -> str:
        return self.name if self.is_prefecture else f"{self.prefecture}{self.name}"


@cache
def _directory() -> dict[str, Municipality]:
    text = resources.files("jukinet.data").joinpath("municipalities.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    return {
        row["code"]: Municipality(
            LocalGovernmentCode(row["code"]), row["prefecture"], row["name"], row["name_kana"]
        )
        for row in rows
    }


def municipality(code: object, field: str = "municipality_code") -> Municipality:
    """Look up a register unit by its six-digit code; prefectures are not register units."""
    checked = LocalGovernmentCode.parse(code, field)
    found = _directory().get(checked.value)
    if found is None or found.is_prefecture:
        raise UnknownMunicipality(field, checked.value)
    return found


def prefecture(code: str) -> Municipality:
    """The prefecture with two-digit code ``code`` (e.g. ``"13"`` for 東京都)."""
    found = _directory().get(LocalGovernmentCode.from_five(code + "000").value)
    if found is None:
        raise UnknownMunicipality("prefecture_code", code)
    return found


def all_municipalities() -> list[Municipality]:
    return [m for m in _directory().values() if not m.is_prefecture]
