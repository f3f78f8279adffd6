"""Looking a record up for the clerk: the record, its household and its change history.

Look-ups are by 住民票コード only — an exact key, never a browse of the register.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jukinet.domain.errors import NotFound
from jukinet.nodes.municipal.notices import snapshot
from jukinet.nodes.ports import MunicipalUnitOfWork


def resident_view(
    resident_code: str, unit_of_work: Callable[[], MunicipalUnitOfWork]
) -> dict[str, Any]:
    with unit_of_work() as uow:
        resident = uow.residents.any_by_code(resident_code)
        if resident is None:
            raise NotFound("resident_code", f"no record with code {resident_code} here")
        household = uow.households.get(resident.household_id)
        members = uow.residents.members(resident.household_id)
        history = uow.changes.of(resident.record_id)
    return {
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
            }
            for c in history
        ],
    }
