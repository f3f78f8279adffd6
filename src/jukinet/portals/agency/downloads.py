"""A batch's answers as a CSV file for spreadsheets (the node answers in JSON Lines).

One line per row of the file sent, in its order: the reference, the outcome, the person's
identity information as registered and their status; an ambiguous row gives the number of
candidates, an invalid row the field and the problem. UTF-8 with a byte-order mark and CRLF,
which spreadsheet programs in Japan open as UTF-8.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

IDENTITY = (
    "resident_code",
    "my_number",
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "birth_date",
    "sex",
    "address",
)
COLUMNS = (
    "row",
    "ref",
    "outcome",
    *IDENTITY,
    "state",
    "reason",
    "date",
    "candidates",
    "problem_field",
    "problem",
)


def answers_csv(json_lines: bytes) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for line in json_lines.decode("utf-8").splitlines():
        if line.strip():
            writer.writerow(_cells(json.loads(line)))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cells(answer: dict[str, Any]) -> list[object]:
    match = answer.get("match") or {}
    identity = match.get("identity") or {}
    status = match.get("status") or {}
    problem = answer.get("problem") or {}
    return [
        answer.get("row", ""),
        answer.get("ref", ""),
        answer.get("outcome", ""),
        *(identity.get(name) or "" for name in IDENTITY),
        status.get("state", ""),
        status.get("reason_label", ""),
        status.get("since") or status.get("date") or "",
        answer.get("candidates", ""),
        problem.get("field", ""),
        problem.get("problem", ""),
    ]
