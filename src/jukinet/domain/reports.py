"""The published reports of provision and disclosure, as data a renderer can set in type.

``ProvisionNotice`` is the annual public notice of provision status (seed 004, 別紙1): one
line per recipient, affair, month and method with the count of records provided, and the
grand total. ``DisclosureStatistics`` is the yearly table of disclosure requests (別紙2):
per fiscal year, requests and deliveries by visit, post and online, with totals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from jukinet.domain.provision import Channel


@dataclass(frozen=True, slots=True)
class NoticeLine:
    recipient: str  # 提供先, as the registry names it
    affair: str  # 事務, the affair's title
    year: int
    month: int
    channel: Channel
    count: int  # records provided (提供件数)


@dataclass(frozen=True, slots=True)
class ProvisionNotice:
    """別紙1: lines sorted by recipient, affair, month, then method."""

    provider: str  # who publishes: 地方公共団体情報システム機構, or a governor
    first_month: tuple[int, int]
    last_month: tuple[int, int]
    published_on: date
    lines: tuple[NoticeLine, ...]

    @property
    def total(self) -> int:
        return sum(line.count for line in self.lines)


class ContactMethod(StrEnum):
    """How a disclosure request arrived, or how its answer was handed over."""

    VISIT = "visit"  # 来所
    POST = "post"  # 郵送
    ONLINE = "online"  # オンライン (not in the 2014 table; requests may now be made online)

    @property
    def label(self) -> str:
        return {"visit": "来所", "post": "郵送", "online": "オンライン"}[self.value]


@dataclass(frozen=True, slots=True)
class DisclosureYear:
    fiscal_year: int  # the year in which the fiscal year starts (April)
    requested: dict[ContactMethod, int]
    delivered: dict[ContactMethod, int]

    @property
    def total(self) -> int:
        return sum(self.requested.values())


@dataclass(frozen=True, slots=True)
class DisclosureStatistics:
    """別紙2: one line per fiscal year, oldest first, and a line of totals."""

    provider: str
    as_of: date
    years: tuple[DisclosureYear, ...]
