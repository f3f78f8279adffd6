"""The last day the law gives for each notification (届出期限), for the clerk to see.

Two ways of counting meet at the window:

* the 住民基本台帳法 counts as the civil code does (民法140条): the day of the event is not
  counted, so "within 14 days" of moving in on the 1st ends on the 15th;
* the 戸籍法 counts the day of the event itself (43条1項), so a birth on the 1st is notified by
  the 14th and a death known on the 1st by the 7th.

A late notification is recorded all the same (a civil fine may follow, 住基法52条2項, 戸籍法137
条); nothing here refuses anything. The card holder's move has rules of its own that do
refuse: they are in ``moves.py``, and the deadlines below reuse them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from jukinet.domain.moves import (
    LATE_MOVE_OUT_DAYS,
    MOVE_IN_DAYS,
    special_move_in_last_day,
)

MOVE_WITHIN_DAYS = 14  # 住基法23条
HOUSEHOLD_CHANGE_DAYS = 14  # 住基法25条
FOREIGN_RESIDENT_DAYS = 14  # 住基法30条の46: a foreign resident arriving from abroad
BIRTH_DAYS = 14  # 戸籍法49条
DEATH_DAYS = 7  # 戸籍法86条: from the day the death became known


@dataclass(frozen=True, slots=True)
class Deadline:
    """The last day of a notification and the rule that sets it (e.g. ``住基法22条``)."""

    last_day: date
    rule: str

    def missed_by(self, notified_on: date) -> bool:
        """Whether a notification made on ``notified_on`` came after the last day."""
        return notified_on > self.last_day


def _civil(event_on: date, days: int, rule: str) -> Deadline:
    return Deadline(event_on + timedelta(days=days), rule)


def _family_register(event_on: date, days: int, rule: str) -> Deadline:
    return Deadline(event_on + timedelta(days=days - 1), rule)


def move_in(moved_in_on: date) -> Deadline:
    """転入届: within 14 days of moving in (the rule ``move_in_is_late`` flags)."""
    return _civil(moved_in_on, MOVE_IN_DAYS, "住基法22条")


def arrival_from_abroad(arrived_on: date, foreign_resident: bool) -> Deadline:
    """国外からの転入: within 14 days, for a national (22条) or a foreign resident (30条の46)."""
    if foreign_resident:
        return _civil(arrived_on, FOREIGN_RESIDENT_DAYS, "住基法30条の46")
    return _civil(arrived_on, MOVE_IN_DAYS, "住基法22条")


def move_within(moved_on: date) -> Deadline:
    """転居届: within 14 days of the move."""
    return _civil(moved_on, MOVE_WITHIN_DAYS, "住基法23条")


def household_change(changed_on: date) -> Deadline:
    """世帯変更届: within 14 days of the change."""
    return _civil(changed_on, HOUSEHOLD_CHANGE_DAYS, "住基法25条")


def move_out(planned_on: date) -> Deadline:
    """転出届: in advance of the move (24条); accepted in practice until 14 days after it."""
    return _civil(planned_on, LATE_MOVE_OUT_DAYS, "住基法24条")


def special_move_out(moved_on: date) -> Deadline:
    """特例転出届: the card route stays open only while fewer than 14 days have passed since
    the move (24条の2); ``check_special_move_out`` refuses a later one."""
    return _civil(moved_on, LATE_MOVE_OUT_DAYS - 1, "住基法24条の2")


def special_move_in(planned_out_on: date, moved_in_on: date) -> Deadline:
    """特例転入届: the earlier of 30 days after the planned move-out and 14 days after moving in."""
    return Deadline(special_move_in_last_day(planned_out_on, moved_in_on), "住基法24条の2")


def birth(born_on: date) -> Deadline:
    """出生届: within 14 days, the day of birth counted (戸籍法49条, 43条)."""
    return _family_register(born_on, BIRTH_DAYS, "戸籍法49条")


def death(known_on: date) -> Deadline:
    """死亡届: within 7 days of learning of the death, that day counted (戸籍法86条, 43条)."""
    return _family_register(known_on, DEATH_DAYS, "戸籍法86条")
