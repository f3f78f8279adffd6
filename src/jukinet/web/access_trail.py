"""The access-log line of one request: the signed-in operator, what they did, to whom.

Endpoints call :func:`access_entry` with the request's ``Principal`` (``request.state.principal``)
and append the result in the same unit of work as the action itself
(``uow.access_log.append([...])``), so the action and its log line commit together; a refused
or failed action is logged in a unit of work of its own, with ``Outcome.REFUSED`` or
``Outcome.FAILED``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from jukinet.domain.access_log import AccessEntry, Outcome
from jukinet.domain.operators import Permission, Principal


def access_entry(
    principal: Principal,
    action: str,
    permission: Permission | None,
    resident_codes: Iterable[str],
    outcome: Outcome,
    at: datetime,
    detail: str = "",
) -> AccessEntry:
    """The entry for ``action`` done by ``principal`` at ``at``.

    ``permission`` is the permission the action needed (None for sign-in and sign-out);
    ``resident_codes`` are the 住民票コード read or changed, each logged once, in the order
    first given. ``detail`` must not carry personal data beyond those codes. Raises
    ``InvalidValue`` naming the field for an action name, code or detail that cannot be logged.
    """
    return AccessEntry(
        at=at,
        operator_id=principal.operator_id,
        terminal=principal.terminal,
        session_id=principal.session_id,
        action=action,
        permission="" if permission is None else permission.value,
        resident_codes=tuple(dict.fromkeys(resident_codes)),
        outcome=outcome,
        detail=detail,
    )
