"""The restricted search keys of provision (照会条件の限定).

An agency finds a person by exactly one of four keys — never by a part of a name, never by
an address alone, never by listing:

| kind | fields |
|---|---|
| ``resident-code`` | ``resident_code`` |
| ``my-number`` | ``my_number`` |
| ``name`` | ``name`` + ``birth_date`` + ``sex``, optionally + ``address`` |
| ``kana`` | ``kana`` + ``birth_date`` + ``sex`` |

Names, furigana and addresses are folded into search keys (``matching.py``) before they are
compared, so 髙橋 finds 高橋 and ﾀｶﾊｼ finds たかはし, but a wildcard (``*``, ``%``, ``?``,
``_`` and their full-width forms) is refused rather than matched literally.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from jukinet.domain.checkdigits import MY_NUMBER_SCHEME, resident_code_scheme
from jukinet.domain.codes import validate_digits
from jukinet.domain.dates import EARLIEST, parse_date
from jukinet.domain.errors import InvalidValue
from jukinet.domain.identity import ADDRESS_LIMIT, NAME_LIMIT, Sex
from jukinet.domain.matching import address_key, kana_key, name_key
from jukinet.domain.text import clean_text


class KeyKind(StrEnum):
    RESIDENT_CODE = "resident-code"
    MY_NUMBER = "my-number"
    NAME = "name"  # name + date of birth + sex (+ address)
    KANA = "kana"  # furigana + date of birth + sex


SEARCH_FIELDS = ("resident_code", "my_number", "name", "kana", "birth_date", "sex", "address")
KEY_HELP = (
    "give exactly one of: resident_code; my_number; name + birth_date + sex (address optional); "
    "kana + birth_date + sex"
)
_WILDCARDS = re.compile("[*?%_＊？％＿]")
_SEXES = {
    "male": Sex.MALE,
    "female": Sex.FEMALE,
    "男": Sex.MALE,
    "女": Sex.FEMALE,
    "1": Sex.MALE,  # JIS X 0303 / ISO 5218, as agency files code it
    "2": Sex.FEMALE,
}
_COMPACT_DATE = re.compile(r"^\d{8}$")


@dataclass(frozen=True, slots=True)
class SearchKey:
    """A validated search key; the text fields hold folded keys, not what was typed."""

    kind: KeyKind
    resident_code: str | None = None
    my_number: str | None = None
    name: str | None = None
    kana: str | None = None
    birth_date: date | None = None
    sex: Sex | None = None
    address: str | None = None

    @classmethod
    def parse(cls, data: Mapping[str, object], field: str = "key") -> SearchKey:
        """Read a key from a request or a batch row; raise ``InvalidValue`` naming the field."""
        given = {k: v for k, v in data.items() if v not in (None, "")}
        unknown = sorted(set(given) - set(SEARCH_FIELDS))
        if unknown:
            raise InvalidValue(f"{field}.{unknown[0]}", f"is not a search field; {KEY_HELP}")
        if set(given) == {"resident_code"}:
            code = _digits(f"{field}.resident_code", given["resident_code"], 11)
            return cls(KeyKind.RESIDENT_CODE, resident_code=code)
        if set(given) == {"my_number"}:
            number = _digits(f"{field}.my_number", given["my_number"], 12)
            return cls(KeyKind.MY_NUMBER, my_number=number)
        if set(given) in ({"name", "birth_date", "sex"}, {"name", "birth_date", "sex", "address"}):
            return cls(
                KeyKind.NAME,
                name=_folded(f"{field}.name", given["name"], NAME_LIMIT * 2, name_key),
                birth_date=_birth_date(f"{field}.birth_date", given["birth_date"]),
                sex=_sex(f"{field}.sex", given["sex"]),
                address=(
                    _folded(f"{field}.address", given["address"], ADDRESS_LIMIT, address_key)
                    if "address" in given
                    else None
                ),
            )
        if set(given) == {"kana", "birth_date", "sex"}:
            return cls(
                KeyKind.KANA,
                kana=_folded(f"{field}.kana", given["kana"], NAME_LIMIT * 2, kana_key),
                birth_date=_birth_date(f"{field}.birth_date", given["birth_date"]),
                sex=_sex(f"{field}.sex", given["sex"]),
            )
        missing = _closest_missing(set(given))
        return _refuse(field, missing)


def _refuse(field: str, missing: str | None) -> SearchKey:
    if missing:
        raise InvalidValue(f"{field}.{missing}", f"is required with the fields given; {KEY_HELP}")
    raise InvalidValue(field, KEY_HELP)


def _closest_missing(given: set[str]) -> str | None:
    """The field whose absence breaks an otherwise recognisable key (for a precise error)."""
    if "name" in given and given <= {"name", "birth_date", "sex", "address"}:
        return next(f for f in ("birth_date", "sex") if f not in given)
    if "kana" in given and given <= {"kana", "birth_date", "sex"}:
        return next(f for f in ("birth_date", "sex") if f not in given)
    return None


def _digits(field: str, value: object, length: int) -> str:
    text = str(value).strip().translate(_FULLWIDTH_DIGITS)
    scheme = resident_code_scheme() if length == 11 else MY_NUMBER_SCHEME
    validate_digits(field, text, length, scheme)
    return text


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _folded(field: str, value: object, limit: int, fold: object) -> str:
    text = clean_text(field, value, max_length=limit)
    if _WILDCARDS.search(text):
        raise InvalidValue(field, "wildcards are not accepted: give the whole value as registered")
    key: str = fold(text)  # type: ignore[operator]
    if not key:
        raise InvalidValue(field, "has nothing left to search with once spaces are removed")
    return key


def _birth_date(field: str, value: object) -> date:
    if isinstance(value, str) and _COMPACT_DATE.match(value.strip()):
        text = value.strip()
        value = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    parsed = parse_date(field, value)
    if parsed < EARLIEST:
        raise InvalidValue(field, f"{parsed.isoformat()} is before {EARLIEST.isoformat()}")
    return parsed


def _sex(field: str, value: object) -> Sex:
    found = _SEXES.get(str(value).strip().lower())
    if found is None:
        raise InvalidValue(field, f"{value!r} is not a sex; use male/female, 男/女 or 1/2")
    return found
