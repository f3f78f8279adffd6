"""The annual public notice of provision status (seed 004, 別紙1), from the provision log."""

from __future__ import annotations

from datetime import date

from jukinet.domain.errors import InvalidValue
from jukinet.domain.provision import Channel
from jukinet.domain.reports import NoticeLine, ProvisionNotice
from jukinet.nodes.provision.providers import Provider

_CHANNEL_ORDER = {Channel.IMMEDIATE: 0, Channel.NETWORK_BATCH: 1, Channel.MEDIA_BATCH: 2}


def parse_month(field: str, value: str) -> tuple[int, int]:
    """``2025-08`` → ``(2025, 8)``; anything else is an ``InvalidValue`` naming ``field``."""
    year, dash, month = value.partition("-")
    if not (dash and year.isdigit() and month.isdigit() and len(year) == 4 and len(month) == 2):
        raise InvalidValue(field, f"{value!r} is not a month written as YYYY-MM")
    if not 1 <= int(month) <= 12:
        raise InvalidValue(field, f"{value!r} has no month {int(month)}")
    return int(year), int(month)


def provision_notice(
    first: str, last: str, provider: Provider, published_on: date | None = None
) -> ProvisionNotice:
    """Counts of records provided per recipient, affair, month and method, ``first`` to
    ``last`` inclusive (``YYYY-MM``), named as the registry in force names them."""
    start, end = parse_month("from", first), parse_month("to", last)
    if start > end:
        raise InvalidValue("to", f"{last} is before {first}")
    law = provider.law()
    with provider.unit_of_work() as uow:
        counts = uow.provision_log.monthly_counts(first, last)
    lines = []
    for count in counts:
        recipient, affair = law.affair_title(count.recipient_id, count.affair_id)
        year, month = parse_month("month", count.month)
        lines.append(
            NoticeLine(recipient, affair, year, month, Channel(count.channel), count.count)
        )
    lines.sort(key=lambda n: (n.recipient, n.affair, n.year, n.month, _CHANNEL_ORDER[n.channel]))
    return ProvisionNotice(
        provider.name, start, end, published_on or provider.clock.today(), tuple(lines)
    )
