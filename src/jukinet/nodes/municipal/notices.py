"""Recording a change: the history line, and — when identity information changed — the new
identity version and its outbound message, all in the caller's unit of work.

This is the one place that decides what leaves the municipality: ``Resident.identity()``
(本人確認情報 only), sent to the prefecture node for every 記載, 消除 and 修正 (住基法30条の6).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from jukinet.domain.changes import ChangeReason, NotificationKind
from jukinet.domain.errors import NotFound
from jukinet.domain.residents import Resident
from jukinet.nodes.municipal.office import Office
from jukinet.nodes.municipal.protection_checks import guard_change
from jukinet.nodes.ports import ChangeRecord, Clock, MunicipalUnitOfWork
from jukinet.protocol.catalogue import IdentityUpdate
from jukinet.protocol.envelope import utc_timestamp


def active_resident(uow: MunicipalUnitOfWork, resident_code: str) -> Resident:
    """The active record with this code.

    Raises :class:`Conflict` if the record was removed (so a death recorded twice says so) and
    :class:`NotFound` if there never was one here.
    """
    resident = uow.residents.active_by_code(resident_code)
    if resident is None:
        removed = uow.residents.any_by_code(resident_code)
        if removed is not None:
            removed.require_active()  # raises Conflict saying when and why it was removed
        raise NotFound("resident_code", f"no resident with code {resident_code} here")
    return resident


def snapshot(resident: Resident) -> dict[str, Any]:
    """The whole record as plain JSON-able data, for the change history."""

    return {name: _plain(getattr(resident, name)) for name in resident.__dataclass_fields__}


def _plain(value: Any) -> Any:
    # A shallow walk: ``dataclasses.asdict`` deep-copies every value, which costs more than
    # the rest of a register change.
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    return value


def record_change(
    uow: MunicipalUnitOfWork,
    office: Office,
    clock: Clock,
    resident: Resident,
    *,
    before: dict[str, Any] | None,
    reason: ChangeReason,
    occurred_on: date,
    notified_on: date,
    operator: str,
) -> None:
    """Persist ``resident`` after a change and queue what the change must notify."""
    if before is not None:  # 異動入力 may be suppressed (抑止); the check comes before any write
        guard_change(uow, clock, before, resident)
    now = clock.now()
    notify = reason.kind is not NotificationKind.LOCAL
    if notify:
        resident.version += 1
    if before is None:
        uow.residents.add(resident)
    else:
        uow.residents.update(resident)
    uow.changes.append(
        ChangeRecord(
            record_id=resident.record_id,
            reason=reason.value,
            occurred_on=occurred_on,
            notified_on=notified_on,
            recorded_at=now,
            operator=operator,
            before=before,
            after=snapshot(resident),
        )
    )
    if notify:
        update = IdentityUpdate(
            resident.record_id, resident.version, utc_timestamp(now), resident.identity()
        )
        notify_identity(uow, office.prefecture_node, update, now)


def notify_identity(
    uow: MunicipalUnitOfWork, prefecture_node: str, update: IdentityUpdate, now: datetime
) -> None:
    """Keep the notified version (施行令34条: the municipality keeps what it notified) and queue
    it for the prefecture node, in the caller's transaction."""
    message = update.message(now)
    uow.identities.add(update.stream, update.sequence, update.identity, message.id, now)
    uow.outbox.add(prefecture_node, message)
