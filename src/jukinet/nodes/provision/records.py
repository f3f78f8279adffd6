"""提供状況の開示: a resident sees who received their identity information, for what and when.

A resident portal asks on the resident's behalf, naming them by 個人番号 (or 住民票コード);
the answer covers every 住民票コード the person has held, so a code change does not hide
earlier provisions. The view itself is logged (outcome ``resident-view``), never counted in
the notice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from jukinet.domain.errors import InvalidValue
from jukinet.domain.provision import Channel
from jukinet.domain.searches import KeyKind, SearchKey
from jukinet.nodes.ports import ProvisionEntry
from jukinet.nodes.provision.providers import Caller, Provider
from jukinet.protocol.ids import uuid7


@dataclass(frozen=True, slots=True)
class ProvisionLine:
    at: datetime
    recipient: str
    affair: str
    channel: Channel

    def to_wire(self) -> dict[str, str]:
        return {
            "at": self.at.isoformat(),
            "recipient": self.recipient,
            "affair": self.affair,
            "channel": self.channel.value,
            "channel_label": self.channel.full_label,
        }


def provision_records(
    person: Mapping[str, object], caller: Caller, provider: Provider
) -> list[ProvisionLine]:
    """Every provision of the person's information, oldest first; ``person`` holds either
    ``my_number`` or ``resident_code``."""
    key = SearchKey.parse(person, field="person")
    if key.kind not in (KeyKind.MY_NUMBER, KeyKind.RESIDENT_CODE):
        raise InvalidValue("person", "name the resident by my_number or resident_code")
    law = provider.law()
    with provider.unit_of_work() as uow:
        codes = (
            uow.search.codes_of(key.my_number)
            if key.my_number is not None
            else [str(key.resident_code)]
        )
        records = uow.provision_log.records_of(codes)
        entry = ProvisionEntry(
            uuid7(),
            provider.clock.now(),
            caller.recipient_id,
            "provision-records",
            Channel.IMMEDIATE.value,
            caller.operator,
            key.kind.value,
            "resident-view",
        )
        uow.provision_log.record(entry, [])
        uow.commit()
    return [
        ProvisionLine(r.at, *law.affair_title(r.recipient_id, r.affair_id), Channel(r.channel))
        for r in records
    ]
