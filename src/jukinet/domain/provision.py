"""The law on who may receive identity information, for what, and how (住基法30条の9 ff.).

A ``LegalRegistry`` is one version of that law as data: the recipients (国の機関 and 法人 of
別表第一 at the national node; the bodies of 別表第二〜第六 and of prefectural ordinances at
the prefecture node), the affairs (事務) each may use identity information for, and the
channels (提供方法) each affair may use. Every provision starts by asking the registry; what
it refuses is refused before anything is read.

    DomainError
    ├── ProvisionNotPermitted   the recipient, the affair or the channel is outside the law
    └── NarrowYourSearch        a search matched more people than an answer may name
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from jukinet.domain.errors import DomainError, InvalidValue


class Channel(StrEnum):
    """提供方法: the three methods the annual notice counts separately."""

    IMMEDIATE = "immediate"  # 即時提供: online, one request at a time
    NETWORK_BATCH = "network-batch"  # 電気通信回線による一括提供
    MEDIA_BATCH = "media-batch"  # 磁気媒体による一括提供

    @property
    def label(self) -> str:
        """The short form the notice prints in its 提供方法 column."""
        return _CHANNEL_LABELS[self]

    @property
    def full_label(self) -> str:
        return _CHANNEL_FULL_LABELS[self]


_CHANNEL_LABELS = {
    Channel.IMMEDIATE: "即時提供",
    Channel.NETWORK_BATCH: "電気通信回線",
    Channel.MEDIA_BATCH: "磁気媒体",
}
_CHANNEL_FULL_LABELS = {
    Channel.IMMEDIATE: "即時提供",
    Channel.NETWORK_BATCH: "電気通信回線による一括提供",
    Channel.MEDIA_BATCH: "磁気媒体による一括提供",
}


class Schedule(StrEnum):
    """Where the law names a recipient and its affair."""

    TABLE_1 = "別表第一"  # national bodies and corporations, served by J-LIS
    TABLE_2 = "別表第二"  # other executive bodies of the prefecture, about its municipalities
    TABLE_3 = "別表第三"  # executive bodies of other prefectures
    TABLE_4 = "別表第四"  # municipalities of other prefectures
    TABLE_5 = "別表第五"  # the governor's own affairs
    TABLE_6 = "別表第六"  # other executive bodies of the same prefecture
    ORDINANCE = "条例"  # affairs a prefectural ordinance adds


class ProvisionNotPermitted(DomainError):
    """The law does not allow this recipient to receive identity information this way.

    ``field`` names what was refused (``agency``, ``affair``, ``channel``, ``household``) and
    ``problem`` says why, in words an agency's developer can act on.
    """

    kind = "provision-not-permitted"


class NarrowYourSearch(DomainError):
    """A search matched more people than one answer may name; add the date of birth, sex or
    address, or search by 住民票コード or 個人番号."""

    kind = "narrow-your-search"


_ID = re.compile(r"^[a-z0-9][a-z0-9.-]{0,63}$")


def check_id(field_name: str, value: object) -> str:
    """Agency and affair ids: lower-case ASCII letters, digits, '.' and '-' (at most 64)."""
    if not isinstance(value, str) or not _ID.match(value):
        raise InvalidValue(
            field_name, "use 1-64 lower-case ASCII letters, digits, '.' or '-', e.g. 'nenkin'"
        )
    return value


@dataclass(frozen=True, slots=True)
class Affair:
    """One affair (事務) a recipient may use identity information for.

    ``household`` allows the household checks of seed 000 (everyone at the same address;
    membership and relationship from the home municipality) — only where the affair needs
    them, such as survivors' pensions. ``prefecture`` limits a prefecture-node affair to the
    residents of that prefecture's store (None at the national node).
    """

    id: str
    title: str
    law: str
    schedule: Schedule
    channels: frozenset[Channel]
    household: bool = False
    item: str = ""  # 項 number in the schedule, where the registry records it
    prefecture: str | None = None


@dataclass(frozen=True, slots=True)
class Recipient:
    """A body the law names as a recipient (提供先): a ministry, a corporation, a prefecture's
    executive body, a municipality …, with the affairs it may use identity information for."""

    id: str
    name: str
    affairs: dict[str, Affair] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LegalRegistry:
    """One version of the legal registry, as shipped in ``jukinet/data/legal/``."""

    version: str
    effective_from: date
    provider: str  # "national" or "prefecture"
    recipients: dict[str, Recipient]

    def recipient(self, recipient_id: str) -> Recipient:
        found = self.recipients.get(recipient_id)
        if found is None:
            raise ProvisionNotPermitted(
                "agency", f"{recipient_id!r} is not a recipient named in registry {self.version}"
            )
        return found

    def permit(self, recipient_id: str, affair_id: str, channel: Channel) -> Affair:
        """The affair, if ``recipient_id`` may receive identity information for it over
        ``channel``; otherwise ``ProvisionNotPermitted`` saying which of the three is wrong."""
        recipient = self.recipient(recipient_id)
        affair = recipient.affairs.get(affair_id)
        if affair is None:
            allowed = ", ".join(sorted(recipient.affairs)) or "none"
            raise ProvisionNotPermitted(
                "affair",
                f"{recipient.name} may not receive identity information for {affair_id!r}; "
                f"its affairs are: {allowed}",
            )
        if channel not in affair.channels:
            allowed = ", ".join(sorted(c.value for c in affair.channels))
            raise ProvisionNotPermitted(
                "channel",
                f"{affair_id!r} is provided to {recipient.name} only by: {allowed}",
            )
        return affair

    def affair_title(self, recipient_id: str, affair_id: str) -> tuple[str, str]:
        """(recipient name, affair title) for reports; ids no longer in the registry print as
        themselves, so a notice still covers provisions made under an older version."""
        recipient = self.recipients.get(recipient_id)
        if recipient is None:
            return recipient_id, affair_id
        affair = recipient.affairs.get(affair_id)
        return recipient.name, affair.title if affair else affair_id
