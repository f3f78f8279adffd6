"""Consulting suppressions where the register works: one small function per question.

Copies, the change log, look-ups and the inspection list ask here, inside their own unit of
work, so that the answer and the work it allows are one transaction. Nothing here writes
except ``guard_change``, which carries a person's suppressions over to a new 住民票コード.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from jukinet.domain.copies import HouseholdRecords
from jukinet.domain.residents import Resident
from jukinet.domain.suppressions import NotIssuableHere, Process, SuppressionState, evaluate
from jukinet.nodes.ports import Clock, MunicipalUnitOfWork


def state_of(
    uow: MunicipalUnitOfWork, clock: Clock, resident: Resident, process: Process
) -> SuppressionState:
    """The person's suppression state for ``process`` now (their own and their household's)."""
    found = uow.protection.unreleased_for(resident.resident_code, resident.household_id)
    return evaluate(found, process, clock.now(), clock.today())


def require_allowed(
    uow: MunicipalUnitOfWork, clock: Clock, people: Iterable[Resident], process: Process
) -> list[SuppressionState]:
    """Refuse (``Suppressed``) if any of the people is suppressed at ``error`` level for the
    process; otherwise return the states that carry an alert, for the caller to show."""
    alerts = []
    for person in people:
        state = state_of(uow, clock, person, process)
        state.require_allowed("resident_code", process)
        if state.suppressed:
            alerts.append(state)
    return alerts


def protected(uow: MunicipalUnitOfWork, people: Iterable[Resident]) -> set[str]:
    """The codes among ``people`` covered by an open support measure."""
    return uow.protection.protected_among([p.resident_code for p in people])


def protected_in(uow: MunicipalUnitOfWork, records: HouseholdRecords) -> frozenset[str]:
    """The codes of a household's people (current and removed) covered by a measure."""
    return frozenset(protected(uow, [*records.current, *records.removed]))


def _on_copy(records: HouseholdRecords, codes: Iterable[str]) -> list[Resident]:
    wanted = set(codes)
    return [p for p in (*records.current, *records.removed) if p.resident_code in wanted]


def require_issuable(
    uow: MunicipalUnitOfWork, clock: Clock, records: HouseholdRecords, codes: Iterable[str]
) -> list[SuppressionState]:
    """Refuse a copy holding anyone suppressed at ``error`` level for certificate issuance."""
    return require_allowed(uow, clock, _on_copy(records, codes), Process.CERTIFICATE_ISSUANCE)


def require_wide_area_issuable(
    uow: MunicipalUnitOfWork, clock: Clock, records: HouseholdRecords, codes: Iterable[str]
) -> None:
    """No clerk here sees a wide-area request, so any suppression of certificate issuance not
    lifted for now — alert or error — and any open support measure refuse it, unexplained."""
    people = _on_copy(records, codes)
    for person in people:
        state = state_of(uow, clock, person, Process.CERTIFICATE_ISSUANCE)
        if state.suppression_ids:
            raise NotIssuableHere()
    if protected(uow, people):
        raise NotIssuableHere()


def protection_view(
    uow: MunicipalUnitOfWork, clock: Clock | None, resident: Resident
) -> dict[str, Any] | None:
    """What the record view shows about the person's protection (None without a clock)."""
    if clock is None:
        return None
    now, today = clock.now(), clock.today()
    found = uow.protection.unreleased_for(resident.resident_code, resident.household_id)
    measures = uow.protection.measures_covering(resident.resident_code)
    return {
        "lookup": evaluate(found, Process.LOOKUP, now, today).to_wire(),
        "suppressions": [
            {
                "suppression_id": s.suppression_id,
                "target": s.target.value,
                "reason": s.reason.value,
                "processes": sorted(p.value for p in s.processes),
                "level": s.level.value,
                "starts_on": s.starts_on.isoformat(),
                "ends_on": None if s.ends_on is None else s.ends_on.isoformat(),
                "past_end": s.past_end(today),
                "temporarily_released_until": _moment(s.temporary_until)
                if s.temporarily_released(now)
                else None,
            }
            for s in found
            if s.in_force(today)
        ],
        "measures": [
            {
                "measure_id": m.measure_id,
                "state": m.state.value,
                "origin": m.origin.value,
                "ends_on": None if m.ends_on is None else m.ends_on.isoformat(),
            }
            for m in measures
            if m.state.open
        ],
    }


def _moment(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def guard_change(
    uow: MunicipalUnitOfWork, clock: Clock, before: dict[str, Any], resident: Resident
) -> None:
    """Called for every change of an existing record (``notices.record_change``).

    A change to a current record is 異動入力: refused when suppressed at ``error`` level for
    change entry. Changes to a removed record (the 転入通知 completing a move-out, a death
    after moving out) come from outside the window and are not entry. A new 住民票コード takes
    the person's suppressions and measures with it.
    """
    old_code = str(before["resident_code"])
    if before.get("status") == "active":
        found = uow.protection.unreleased_for(old_code, str(before["household_id"]))
        state = evaluate(found, Process.CHANGE_ENTRY, clock.now(), clock.today())
        state.require_allowed("resident_code", Process.CHANGE_ENTRY)
    if old_code != resident.resident_code:
        uow.protection.recode_person(old_code, resident.resident_code)
