"""Provision statistics for a period: records provided by month, by recipient and by method.

Read from the same counts as the annual notice (``notices.provision_notice``, 別紙1), so the
figures on an operator's screen and in the published notice never differ.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from jukinet.domain.errors import InvalidValue
from jukinet.domain.provision import Channel
from jukinet.domain.reports import ProvisionNotice
from jukinet.nodes.provision.notices import parse_month, provision_notice
from jukinet.nodes.provision.providers import Provider

MOST_MONTHS = 60


@dataclass(frozen=True, slots=True)
class ProvisionStatistics:
    """The notice of the period and its counts three ways; every month of the period is
    there, a month without provisions with 0."""

    notice: ProvisionNotice
    by_month: list[tuple[str, int]]  # ("2026-04", count), oldest first
    by_recipient: list[tuple[str, int]]  # (the recipient's name, count), the largest first
    by_channel: list[tuple[Channel, int]]  # every method, in the notice's order

    @property
    def total(self) -> int:
        return self.notice.total


def last_twelve_months(today: date) -> tuple[str, str]:
    """The period a console opens on: the twelve months up to and including this one."""
    year, month = (today.year - 1, today.month + 1) if today.month < 12 else (today.year, 1)
    return f"{year:04d}-{month:02d}", f"{today.year:04d}-{today.month:02d}"


def months_between(first: str, last: str) -> list[str]:
    """``2026-11``, ``2026-12``, ``2027-01`` …: every month from ``first`` to ``last``."""
    (year, month), end = parse_month("from", first), parse_month("to", last)
    months = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def provision_statistics(first: str, last: str, provider: Provider) -> ProvisionStatistics:
    """Counts of records provided from ``first`` to ``last`` (``YYYY-MM``, at most
    ``MOST_MONTHS`` months); ``InvalidValue`` names ``from`` or ``to``."""
    months = months_between(first, last)
    if len(months) > MOST_MONTHS:
        raise InvalidValue("to", f"at most {MOST_MONTHS} months at once, got {len(months)}")
    notice = provision_notice(first, last, provider)
    by_month: Counter[str] = Counter()
    by_recipient: Counter[str] = Counter()
    by_channel: Counter[Channel] = Counter()
    for line in notice.lines:
        by_month[f"{line.year:04d}-{line.month:02d}"] += line.count
        by_recipient[line.recipient] += line.count
        by_channel[line.channel] += line.count
    return ProvisionStatistics(
        notice,
        [(month, by_month[month]) for month in months],
        sorted(by_recipient.items(), key=lambda item: (-item[1], item[0])),
        [(channel, by_channel[channel]) for channel in Channel],
    )
