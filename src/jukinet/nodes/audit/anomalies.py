"""Unusual patterns in one day of a node's access log, for an investigator to look at.

Two patterns are flagged, per operator:

* **many unrelated residents** — the log does not hold households or addresses, so
  "unrelated" is read from the log itself: residents named together in one entry (a household
  shown at once, a copy of several members) are one *case*, and cases that share a resident
  join up. An operator whose entries of the day touch more than ``threshold`` separate cases
  (default 50) is flagged. A clerk serving the counter all day stays well below that; someone
  browsing the register does not.
* **outside working hours** — entries that touch a resident's data at a moment outside the
  working hours (default 08:30-17:30 JST, Monday to Friday). Public holidays are not known
  here: a read on a holiday weekday passes as a working day.

Only entries that name residents count; sign-ins and refusals without codes do not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from jukinet.domain.access_log import StoredEntry
from jukinet.domain.errors import InvalidValue
from jukinet.nodes.ports import AccessLogArchive

JST = ZoneInfo("Asia/Tokyo")
MANY_RESIDENTS = 50


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """When reading residents' data is ordinary: ``start``-``end`` local time on ``weekdays``
    (0 = Monday)."""

    start: time = time(8, 30)
    end: time = time(17, 30)
    weekdays: frozenset[int] = frozenset(range(5))
    zone: ZoneInfo = JST

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidValue("hours", f"working hours end ({self.end}) before they start")

    def covers(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone)
        return local.weekday() in self.weekdays and self.start <= local.time() < self.end


class AnomalyKind(StrEnum):
    MANY_RESIDENTS = "many-residents"
    OUTSIDE_HOURS = "outside-hours"


@dataclass(frozen=True, slots=True)
class Anomaly:
    """One flagged pattern: whose, which day, how many, and the entries that show it (the
    first few sequences)."""

    kind: AnomalyKind
    operator_id: str
    day: date
    count: int
    detail: str
    sequences: tuple[int, ...] = field(default=())


def find_anomalies(
    archive: AccessLogArchive,
    day: date,
    *,
    threshold: int = MANY_RESIDENTS,
    hours: WorkingHours | None = None,
) -> list[Anomaly]:
    """The anomalies of ``day`` (a calendar day in the working hours' zone), by operator."""
    if threshold < 1:
        raise InvalidValue("threshold", f"at least 1, got {threshold}")
    hours = hours or WorkingHours()
    start = datetime.combine(day, time(0), hours.zone)
    entries = [
        e for e in archive.between(start, start + timedelta(days=1)) if e.entry.resident_codes
    ]
    found = _many_residents(entries, day, threshold) + _outside_hours(entries, day, hours)
    return sorted(found, key=lambda a: (a.operator_id, a.kind))


def _many_residents(entries: Iterable[StoredEntry], day: date, threshold: int) -> list[Anomaly]:
    by_operator: dict[str, _Cases] = defaultdict(_Cases)
    for stored in entries:
        by_operator[stored.entry.operator_id].add(stored)
    return [
        Anomaly(
            AnomalyKind.MANY_RESIDENTS,
            operator,
            day,
            cases.count(),
            f"{cases.count()} unrelated cases ({len(cases.parent)} residents) in one day; "
            f"more than {threshold}",
            tuple(cases.sequences[:20]),
        )
        for operator, cases in sorted(by_operator.items())
        if cases.count() > threshold
    ]


class _Cases:
    """Residents joined when one entry names them together (union-find)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.sequences: list[int] = []

    def add(self, stored: StoredEntry) -> None:
        codes = stored.entry.resident_codes
        self.sequences.append(stored.sequence)
        for code in codes:
            self.parent.setdefault(code, code)
        for other in codes[1:]:
            self.parent[self._root(other)] = self._root(codes[0])

    def _root(self, code: str) -> str:
        while self.parent[code] != code:
            self.parent[code] = self.parent[self.parent[code]]
            code = self.parent[code]
        return code

    def count(self) -> int:
        return len({self._root(code) for code in self.parent})


def _outside_hours(entries: Iterable[StoredEntry], day: date, hours: WorkingHours) -> list[Anomaly]:
    late: dict[str, list[StoredEntry]] = defaultdict(list)
    for stored in entries:
        if not hours.covers(stored.entry.at):
            late[stored.entry.operator_id].append(stored)
    found = []
    for operator, lines in sorted(late.items()):
        first, last = (
            s.entry.at.astimezone(hours.zone).strftime("%H:%M") for s in (lines[0], lines[-1])
        )
        detail = f"{len(lines)} entries about residents outside working hours ({first}-{last})"
        found.append(
            Anomaly(
                AnomalyKind.OUTSIDE_HOURS,
                operator,
                day,
                len(lines),
                detail,
                tuple(s.sequence for s in lines[:20]),
            )
        )
    return found
