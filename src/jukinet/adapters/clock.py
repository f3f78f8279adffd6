"""Clocks. Register dates are Japanese calendar days, so ``today`` is taken in JST."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return datetime.now(JST).date()


class FixedClock:
    """A clock that stands still until moved: for tests and reproducible scenarios."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment

    def today(self) -> date:
        return self.moment.astimezone(JST).date()

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)
