"""Suppressions (抑止) at the window: set, release, lift for a while, restore; the feed.

Each step needs its own permission (``SUPPRESSION_SET``, ``SUPPRESSION_RELEASE``,
``SUPPRESSION_RELEASE_TEMPORARILY``) and records who did it. Setting and the real release
are written to the outbound feed (``suppression_feed``) in the same transaction, for the CS,
コンビニ交付 and the municipality's other systems; a temporary release is never written there,
so no other system can mistake it for a release. Support measures are in
``protection_measures.py``; the messages to other municipalities in ``protection_notices.py``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from jukinet.domain.errors import Conflict, InvalidValue, NotFound
from jukinet.domain.operators import Permission, Principal
from jukinet.domain.suppressions import (
    Level,
    Process,
    ProtectionPolicy,
    Suppression,
    SuppressionReason,
    Target,
)
from jukinet.nodes.municipal.codes import CodeSupply
from jukinet.nodes.municipal.forms import Form
from jukinet.nodes.municipal.office import Office
from jukinet.nodes.ports import Clock, FeedEvent, MunicipalUnitOfWork

FEED_PAGE = 500
SET, RELEASED = "set", "released"


@dataclass(frozen=True, slots=True)
class ProtectionDesk:
    """What the protection use cases need: who we are, the time, the store, the policy."""

    office: Office
    clock: Clock
    unit_of_work: Callable[[], MunicipalUnitOfWork]
    policy: ProtectionPolicy = field(default_factory=ProtectionPolicy)

    @classmethod
    def of(cls, supply: CodeSupply, policy: ProtectionPolicy | None = None) -> ProtectionDesk:
        return cls(supply.office, supply.clock, supply.unit_of_work, policy or ProtectionPolicy())


def set_suppression(form: object, principal: Principal, desk: ProtectionDesk) -> Suppression:
    """Suppress processes for a person (``resident_code``) or a household (``household_id``).

    Raises ``NotPermitted`` without SUPPRESSION_SET, ``InvalidValue`` naming a bad field and
    ``NotFound`` when the person or household is not in this register.
    """
    principal.require(Permission.SUPPRESSION_SET)
    data = Form(form, desk.clock.today())
    target = data.choice("target", Target, Target.PERSON)
    with desk.unit_of_work() as uow:
        target_id = _target_id(uow, data, target)
        suppression = Suppression(
            suppression_id=uuid.uuid4().hex,
            target=target,
            target_id=target_id,
            reason=data.choice("reason", SuppressionReason),
            processes=_processes(data),
            level=data.choice("level", Level, Level.ERROR),
            starts_on=data.any_date("starts_on") if data.has("starts_on") else data.today,
            ends_on=data.any_date("ends_on") if data.has("ends_on") else None,
            set_by=principal.operator_id,
            set_at=desk.clock.now(),
            note=data.text("note", 400, required=False),
        )
        add_suppression(uow, desk.clock, suppression)
        uow.commit()
    return suppression


def add_suppression(uow: MunicipalUnitOfWork, clock: Clock, suppression: Suppression) -> None:
    uow.protection.add_suppression(suppression)
    uow.protection.append_feed(clock.now(), SET, suppression)


def _target_id(uow: MunicipalUnitOfWork, form: Form, target: Target) -> str:
    if target is Target.HOUSEHOLD:
        household_id = form.text("household_id", 36)
        if uow.households.get(household_id) is None:
            raise NotFound("household_id", f"no household {household_id} here")
        return household_id
    code = form.resident_code()
    if uow.residents.any_by_code(code) is None:
        raise NotFound("resident_code", f"no record with code {code} here")
    return code


def _processes(form: Form) -> frozenset[Process]:
    raw = form.data.get("processes")
    if not isinstance(raw, list) or not raw:
        known = ", ".join(p.value for p in Process)
        raise InvalidValue("processes", f"give a non-empty list of: {known}")
    return frozenset(
        Form({"p": value}, form.today, f"processes[{i}].").choice("p", Process)
        for i, value in enumerate(raw)
    )


def release_suppression(
    suppression_id: str, principal: Principal, desk: ProtectionDesk
) -> Suppression:
    """The real release (本解除), told to every other system through the feed.

    A suppression set by a support measure ends with the measure (``end_measure``), not here.
    """
    principal.require(Permission.SUPPRESSION_RELEASE)
    with desk.unit_of_work() as uow:
        suppression = _suppression(uow, suppression_id)
        if suppression.measure_id is not None:
            raise Conflict(
                "suppression_id", f"set by support measure {suppression.measure_id}: end that"
            )
        release(uow, desk.clock, suppression, principal.operator_id)
        uow.commit()
    return suppression


def release(uow: MunicipalUnitOfWork, clock: Clock, suppression: Suppression, by: str) -> None:
    suppression.release(by, clock.now())
    uow.protection.update_suppression(suppression)
    uow.protection.append_feed(clock.now(), RELEASED, suppression)


def release_temporarily(
    suppression_id: str, principal: Principal, desk: ProtectionDesk, minutes: int | None = None
) -> Suppression:
    """Lift a suppression for ``minutes`` (the policy's default when not given); it is in
    force again afterwards by itself. Never written to the feed."""
    principal.require(Permission.SUPPRESSION_RELEASE_TEMPORARILY)
    policy = desk.policy
    with desk.unit_of_work() as uow:
        suppression = _suppression(uow, suppression_id)
        suppression.release_temporarily(
            principal.operator_id,
            desk.clock.now(),
            minutes or policy.temporary_release_minutes,
            policy.longest_temporary_release_minutes,
        )
        uow.protection.update_suppression(suppression)
        uow.commit()
    return suppression


def restore_suppression(
    suppression_id: str, principal: Principal, desk: ProtectionDesk
) -> Suppression:
    """End a temporary release now that the work it was lifted for is done."""
    principal.require(Permission.SUPPRESSION_RELEASE_TEMPORARILY)
    with desk.unit_of_work() as uow:
        suppression = _suppression(uow, suppression_id)
        suppression.restore(desk.clock.now())
        uow.protection.update_suppression(suppression)
        uow.commit()
    return suppression


def suppressions_of(
    resident_code: str, principal: Principal, desk: ProtectionDesk
) -> list[Suppression]:
    """The suppressions not released of a person and of their household, oldest first; how a
    supervisor finds the one to release even when look-ups of the person are refused."""
    principal.require(Permission.RESIDENT_READ)
    with desk.unit_of_work() as uow:
        person = uow.residents.any_by_code(resident_code)
        if person is None:
            raise NotFound("resident_code", f"no record with code {resident_code} here")
        return uow.protection.unreleased_for(resident_code, person.household_id)


def _suppression(uow: MunicipalUnitOfWork, suppression_id: str) -> Suppression:
    found = uow.protection.suppression(suppression_id)
    if found is None:
        raise NotFound("suppression_id", f"no suppression {suppression_id} here")
    return found


def suppression_feed(
    since_cursor: int, desk: ProtectionDesk, limit: int = FEED_PAGE
) -> tuple[list[FeedEvent], int]:
    """Suppression changes after ``since_cursor`` (0 for all), and the cursor to ask from next.

    Each event is ``set`` or ``released`` with the suppression as it then stood; consumers
    (the CS, a convenience-store issuance system, 宛名 and 印鑑登録 systems) apply them in order.
    """
    if since_cursor < 0:
        raise InvalidValue("since_cursor", "must be 0 or a position returned before")
    with desk.unit_of_work() as uow:
        events = uow.protection.feed(since_cursor, limit)
    return events, events[-1].position if events else since_cursor
