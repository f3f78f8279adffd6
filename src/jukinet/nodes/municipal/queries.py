"""Looking a record up for the clerk: the record, its household and its change history.

Look-ups are by 住民票コード only — an exact key, never a browse of the register.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jukinet.domain.errors import NotFound
from jukinet.domain.suppressions import Process
from jukinet.nodes.municipal.notices import snapshot
from jukinet.nodes.municipal.protection_checks import protection_view, state_of
from jukinet.nodes.ports import Clock, MunicipalUnitOfWork


def resident_view(
    resident_code: str,
    unit_of_work: Callable[[], MunicipalUnitOfWork],
    clock: Clock | None = None,
) -> dict[str, Any]:
    """The record, its household and history, and — given the clock — its protection: the
    look-up suppression state (a look-up suppressed at ``error`` level raises ``Suppressed``),
    the suppressions and the support measures covering the person, and their alerts."""
    with unit_of_work() as uow:
        resident = uow.residents.any_by_code(resident_code)
        if resident is None:
            raise NotFound("resident_code", f"no record with code {resident_code} here")
        if clock is not None:
            state_of(uow, clock, resident, Process.LOOKUP).require_allowed(
                "resident_code", Process.LOOKUP
            )
        household = uow.households.get(resident.household_id)
        members = uow.residents.members(resident.household_id)
        history = uow.changes.of(resident.record_id)
        protection = protection_view(uow, clock, resident)
    return {
        "protection": protection,
        "record": snapshot(resident),
        "identity": resident.identity().to_wire(),
        "household": {
            "household_id": resident.household_id,
            "address": household.address if household else None,
            "members": [
                {
                    "resident_code": m.resident_code,
                    "name": f"{m.name.family}\u3000{m.name.given}",
                    "relationship": m.relationship.value,
                    "relationship_label": m.relationship.label,
                }
                for m in members
            ],
        },
        "history": [
            {
                "reason": c.reason,
                "occurred_on": c.occurred_on.isoformat(),
                "notified_on": c.notified_on.isoformat(),
                "recorded_at": c.recorded_at.isoformat(),
                "operator": c.operator,
                "changes": changed_items(c.before, c.after),
            }
            for c in history
        ],
    }


# Kept by every change for the register's own bookkeeping: not what a clerk calls a change.
BOOKKEEPING = frozenset({"version", "last_reason", "last_change_date"})


def changed_items(before: dict[str, Any] | None, after: dict[str, Any]) -> list[dict[str, Any]]:
    """What one change altered, item by item: ``{"item", "before", "after"}`` with a nested
    item by its dotted name (``name.family``). A new record has no ``before``: nothing is
    listed, the record itself is what happened."""
    if before is None:
        return []
    return [
        {"item": item, "before": old, "after": new}
        for item, old, new in _differences("", before, after)
        if item not in BOOKKEEPING
    ]


def _differences(prefix: str, before: Any, after: Any) -> list[tuple[str, Any, Any]]:
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in dict.fromkeys([*before, *after]):
            found += _differences(f"{prefix}{key}.", before.get(key), after.get(key))
        return found
    return [] if before == after else [(prefix.rstrip("."), before, after)]
