"""The time rules of moving between municipalities, above all the card holder's move
(転入届の特例, 住基法24条の2).

A card holder may file the move-out (特例転出) at the counter, by post or online, and then has
to appear at the new municipality with the card and its PIN (特例転入). The rules below say
when each step is still open; every refusal names the rule that closed it, so a clerk can tell
the resident what to do instead (usually: ask the old municipality for a paper 転出証明書).

Dates are counted as the law counts them: the first day is not counted, and a limit "N days
after" a date is the last day on which the step may still be taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from jukinet.domain.errors import InvalidValue

MOVE_IN_DAYS = 14  # 22条: the 転入届 within 14 days of moving in
LATE_MOVE_OUT_DAYS = 14  # 24条の2: no card route when the 転出届 comes 14 or more days late
SPECIAL_MOVE_IN_AFTER_PLANNED_DAYS = 30  # the card route closes 30 days after the planned date
ONLINE_BEFORE_DAYS = 30  # online 転出届: from 30 days before the move …
ONLINE_AFTER_DAYS = 10  # … to 10 days after it


class MoveOutChannel(StrEnum):
    """How a 特例転出届 reached the old municipality."""

    COUNTER = "counter"  # at the window
    POST = "post"  # 郵送
    ONLINE = "online"  # マイナポータル (needs a planned visit date at the new municipality)


class CardRouteClosed(InvalidValue):
    """The card route (特例) is not open for this move; the reason says which rule closed it."""


def check_special_move_out(
    *, moved_on: date, filed_on: date, channel: MoveOutChannel, abroad: bool
) -> None:
    """Refuse a 特例転出届 that the law does not allow.

    ``moved_on`` is the day the person moves (planned, or already past when filed late).
    """
    if abroad:
        raise CardRouteClosed(
            "abroad", "a move abroad cannot use the card route; file an ordinary 国外転出"
        )
    late = (filed_on - moved_on).days
    if late >= LATE_MOVE_OUT_DAYS:
        raise CardRouteClosed(
            "planned_on",
            f"the move-out is filed {late} days after the move ({LATE_MOVE_OUT_DAYS} or more "
            "closes the card route); issue a paper 転出証明書 instead",
        )
    if channel is MoveOutChannel.ONLINE:
        opens = moved_on - timedelta(days=ONLINE_BEFORE_DAYS)
        closes = moved_on + timedelta(days=ONLINE_AFTER_DAYS)
        if not opens <= filed_on <= closes:
            raise CardRouteClosed(
                "planned_on",
                f"an online move-out is accepted from {opens} to {closes} for a move on {moved_on}",
            )


def special_move_in_last_day(planned_out_on: date, moved_in_on: date) -> date:
    """The last day a 特例転入届 may be made: the earlier of 30 days after the planned move-out
    and 14 days after moving in (e.g. planned 4/1, moved in 4/3 → 4/17)."""
    return min(
        planned_out_on + timedelta(days=SPECIAL_MOVE_IN_AFTER_PLANNED_DAYS),
        moved_in_on + timedelta(days=MOVE_IN_DAYS),
    )


@dataclass(frozen=True, slots=True)
class SpecialMoveInWindow:
    """When the card route of one move is open at the new municipality."""

    planned_out_on: date
    moved_in_on: date

    @property
    def last_day(self) -> date:
        return special_move_in_last_day(self.planned_out_on, self.moved_in_on)

    def check(self, filed_on: date) -> None:
        if self.moved_in_on < self.planned_out_on - timedelta(days=ONLINE_BEFORE_DAYS):
            raise InvalidValue(
                "moved_in_on",
                f"is long before the planned move-out ({self.planned_out_on})",
            )
        if filed_on > self.last_day:
            raise CardRouteClosed(
                "notified_on",
                f"the card route closed after {self.last_day} (planned move-out "
                f"{self.planned_out_on}, moved in {self.moved_in_on}); ask the old "
                "municipality for a paper 転出証明書 and file an ordinary 転入届",
            )


def move_in_is_late(moved_in_on: date, notified_on: date) -> bool:
    """A 転入届 more than 14 days after moving in is late (a civil fine may follow)."""
    return (notified_on - moved_in_on).days > MOVE_IN_DAYS
