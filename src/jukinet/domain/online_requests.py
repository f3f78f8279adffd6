"""Requests a resident files online, through a resident portal, that the municipality's clerk
completes at the window.

The one kind so far is the request to change one's 住民票コード (住基法30条の4): the resident
asks, needing no reason, and the clerk makes the change when the resident comes to the
window, as for a request made there. Until then the request is ``pending``; a resident has
at most one pending request of a kind.

    OnlineRequest   pending → completed

Raises :class:`Conflict` for completing a request twice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from jukinet.domain.errors import Conflict


class OnlineRequestKind(StrEnum):
    RESIDENT_CODE_CHANGE = "resident-code-change"  # 住民票コードの変更請求 (30条の4)


class OnlineRequestState(StrEnum):
    PENDING = "pending"
    COMPLETED = "completed"


@dataclass(frozen=True, slots=True)
class OnlineRequest:
    """One request: whose, of which kind, which portal filed it (and its operator), when."""

    request_id: str
    kind: OnlineRequestKind
    resident_code: str
    portal: str
    filed_by: str
    filed_at: datetime
    completed_at: datetime | None = None
    completed_by: str | None = None

    @property
    def state(self) -> OnlineRequestState:
        if self.completed_at is None:
            return OnlineRequestState.PENDING
        return OnlineRequestState.COMPLETED

    def complete(self, at: datetime, by: str) -> OnlineRequest:
        """The clerk did what was asked, at the window."""
        if self.completed_at is not None:
            raise Conflict("request_id", f"the request was completed at {self.completed_at}")
        return replace(self, completed_at=at, completed_by=by)
