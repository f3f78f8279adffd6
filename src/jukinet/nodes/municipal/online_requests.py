"""What a resident files online with their home municipality, through a resident portal.

The portal (a registered recipient of kind ``portal``) signed the resident in with the card
and its PIN at the card node, and names the resident by 住民票コード:

* **特例転出 online** (住基法24条の2): the card holder's move-out, with the planned move date and
  the day they plan to visit the new municipality with the card. It is recorded at once, by
  the same rules as at the counter (``special_moves.py``): the online window of 30 days
  before to 10 days after the move, a planned visit not in the past — and here also not after
  the card route closes, 30 days after the planned move.
* **住民票コードの変更請求** (30条の4): filed online, completed by a clerk at the window with the
  existing code change (``codes.change_resident_code``); pending until then, one at a time.

The change log names the portal as the operator (``portal:<id>``). Raises ``InvalidValue``,
``NotFound`` (no active resident with that code) or ``Conflict`` (a request already pending,
or completed already).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from jukinet.domain.errors import Conflict, InvalidValue, NotFound
from jukinet.domain.moves import SPECIAL_MOVE_IN_AFTER_PLANNED_DAYS, MoveOutChannel
from jukinet.domain.online_requests import OnlineRequest, OnlineRequestKind, OnlineRequestState
from jukinet.nodes.municipal.codes import CodeSupply, change_resident_code
from jukinet.nodes.municipal.forms import Form
from jukinet.nodes.municipal.notices import active_resident
from jukinet.nodes.municipal.special_moves import SpecialMoveOutResult, record_special_move_out
from jukinet.nodes.ports import MunicipalUnitOfWork
from jukinet.nodes.provision.providers import Caller
from jukinet.protocol.ids import uuid7

# What a portal may send for an online move-out; the channel and the filing date are ours.
MOVE_OUT_FIELDS = (
    "resident_code",
    "card_number",
    "destination_code",
    "destination",
    "planned_on",
    "visit_planned_on",
)


@dataclass(frozen=True, slots=True)
class OnlineMoveOut:
    """A recorded online move-out, and the last day of the card route at the destination."""

    result: SpecialMoveOutResult
    planned_on: date
    visit_planned_on: date
    move_in_by: date


def portal_operator(caller: Caller) -> str:
    """How the register's change log names a change a portal asked for."""
    return f"portal:{caller.recipient_id}"[:64]


def card_route_closes(planned_on: date) -> date:
    """The last day of a 特例転入 after a move planned for ``planned_on`` (the 14 days after
    moving in may end it earlier: the new municipality checks that on the day)."""
    return planned_on + timedelta(days=SPECIAL_MOVE_IN_AFTER_PLANNED_DAYS)


def file_online_move_out(data: object, caller: Caller, supply: CodeSupply) -> OnlineMoveOut:
    """特例転出 filed online for the card holder the portal signed in."""
    today = supply.clock.today()
    if not isinstance(data, Mapping):
        raise InvalidValue("body", "expected a JSON object")
    unknown = sorted(set(data) - set(MOVE_OUT_FIELDS))
    if unknown:
        raise InvalidValue(unknown[0], "is not a field of an online move-out")
    form = Form(data, today)
    planned_on = form.any_date("planned_on")
    if not form.has("visit_planned_on"):
        raise InvalidValue("visit_planned_on", "an online move-out gives the day of the visit")
    visit = form.any_date("visit_planned_on")
    last_day = card_route_closes(planned_on)
    if visit > last_day:
        raise InvalidValue(
            "visit_planned_on",
            f"is after {last_day}, when the card route closes for a move on {planned_on}",
        )
    filed = {**data, "channel": MoveOutChannel.ONLINE.value, "notified_on": today.isoformat()}
    result = record_special_move_out(filed, portal_operator(caller), supply)
    return OnlineMoveOut(result, planned_on, visit, last_day)


def file_code_change_request(
    resident_code: object, caller: Caller, supply: CodeSupply
) -> OnlineRequest:
    """住民票コードの変更請求, pending for the window; one pending request per resident."""
    code = Form({"resident_code": resident_code}, supply.clock.today()).resident_code()
    kind = OnlineRequestKind.RESIDENT_CODE_CHANGE
    with supply.unit_of_work() as uow:
        active_resident(uow, code)
        waiting = [
            r
            for r in uow.online_requests.of_resident(code, caller.recipient_id)
            if r.kind is kind and r.state is OnlineRequestState.PENDING
        ]
        if waiting:
            raise Conflict("resident_code", "a request to change the code is already pending")
        request = OnlineRequest(
            uuid7(), kind, code, caller.recipient_id, caller.operator, supply.clock.now()
        )
        uow.online_requests.add(request)
        uow.commit()
    return request


def online_requests_of(
    resident_code: object, caller: Caller, supply: CodeSupply
) -> list[OnlineRequest]:
    """The requests this portal filed for the resident, the newest first."""
    code = Form({"resident_code": resident_code}, supply.clock.today()).resident_code()
    with supply.unit_of_work() as uow:
        return uow.online_requests.of_resident(code, caller.recipient_id)


def pending_online_requests(supply: CodeSupply) -> list[OnlineRequest]:
    """What waits for the window, the oldest first."""
    with supply.unit_of_work() as uow:
        return uow.online_requests.pending()


def complete_code_change(
    request_id: str, operator: str, supply: CodeSupply
) -> tuple[OnlineRequest, str]:
    """The clerk changes the code at the window (the resident present) and closes the
    request; returns it and the new 住民票コード."""
    with supply.unit_of_work() as uow:
        request = _pending(uow, request_id)
    new_code = change_resident_code(request.resident_code, supply.clock.today(), operator, supply)
    with supply.unit_of_work() as uow:
        done = _pending(uow, request_id).complete(supply.clock.now(), operator)
        uow.online_requests.update(done)
        uow.commit()
    return done, new_code


def _pending(uow: MunicipalUnitOfWork, request_id: str) -> OnlineRequest:
    request = uow.online_requests.get(request_id)
    if request is None:
        raise NotFound("request_id", f"there is no online request {request_id!r}")
    if request.state is not OnlineRequestState.PENDING:
        raise Conflict("request_id", "the request was completed already")
    return request
