"""The agency asks for identity information, and keeps its own record of what it asked.

An agency's operator, signed in at the agency's portal, asks the providing node (national or
prefecture) for one person (即時提供) or sends a file of keys (一括提供), always for an affair
the operator states. Each request goes out signed by the agency and naming the operator, so
the node's provision log says who asked; the agency keeps its own line of each request too
(its provision history): who, when, for which affair, how, and how it ended. The line holds
no search key and no answer, so the history keeps nobody's identity information.

A refusal of the node is recorded, then raised unchanged (``ProvisionNotPermitted``,
``NarrowYourSearch``, ``InvalidValue`` …), as is a node that cannot be reached
(``PortError``). Every step needs ``provision.request``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from jukinet.domain.errors import DomainError
from jukinet.domain.operators import Permission, Principal
from jukinet.domain.provision import Affair, Channel, LegalRegistry
from jukinet.nodes.agency.ports import (
    BatchFile,
    BatchProgress,
    IdentityAnswer,
    IdentityGateway,
    RequestLine,
    RequestUnitOfWork,
)
from jukinet.nodes.ports import Clock, PortError

MOST_LINES = 1000


@dataclass(frozen=True, slots=True)
class AgencyDesk:
    """What the agency's use cases need: who the agency is, the law it is registered under,
    a gateway to the providing node that names a given operator, its own request log, and
    the clock."""

    recipient_id: str
    law: Callable[[], LegalRegistry]
    gateway: Callable[[str], IdentityGateway]
    unit_of_work: Callable[[], RequestUnitOfWork]
    clock: Clock


@dataclass(frozen=True, slots=True)
class IdentityRequest:
    """即時提供: ``key`` is one of the four keys the recipients' API takes."""

    affair: str
    key: Mapping[str, str]
    history: bool = False


def affairs_open_to(desk: AgencyDesk) -> list[Affair]:
    """The affairs the law in force lets this agency receive identity information for, in
    the registry's order. Raises ``ProvisionNotPermitted`` if the registry does not name it."""
    return list(desk.law().recipient(desk.recipient_id).affairs.values())


def ask_identity(
    request: IdentityRequest, principal: Principal, desk: AgencyDesk
) -> IdentityAnswer:
    """Ask the node about one person and record the request (a refusal too)."""
    principal.require(Permission.PROVISION_REQUEST)
    gateway = desk.gateway(principal.operator_id)
    line = _line(principal, desk, request.affair, Channel.IMMEDIATE)
    try:
        answer = gateway.identity_query(request.affair, request.key, request.history)
    except (DomainError, PortError) as refusal:
        _record(desk, _refused(line, refusal))
        raise
    outcome = "provided" if answer.matches else "not-found"
    _record(
        desk,
        replace(line, outcome=outcome, matches=len(answer.matches), reference=answer.provision_id),
    )
    return answer


def send_batch(batch: BatchFile, principal: Principal, desk: AgencyDesk) -> BatchProgress:
    """Send a file of keys over the network and record it (a refusal too)."""
    principal.require(Permission.PROVISION_REQUEST)
    gateway = desk.gateway(principal.operator_id)
    line = _line(principal, desk, batch.affair, Channel.NETWORK_BATCH, batch.name)
    try:
        progress = gateway.submit_batch(batch)
    except (DomainError, PortError) as refusal:
        _record(desk, _refused(line, refusal))
        raise
    sent = replace(
        line, outcome=progress.state, reference=progress.batch_id, rows_total=progress.rows_total
    )
    _record(desk, sent)
    return progress


def follow_batch(batch_id: str, principal: Principal, desk: AgencyDesk) -> BatchProgress:
    """Where a batch of this agency stands; the history follows its state when it changes."""
    principal.require(Permission.PROVISION_REQUEST)
    progress = desk.gateway(principal.operator_id).batch_status(batch_id)
    with desk.unit_of_work() as uow:
        kept = uow.requests.batch(batch_id)
        if kept is not None and kept.outcome != progress.state:
            uow.requests.set_outcome(batch_id, progress.state)
            uow.commit()
    return progress


def batch_answers(batch_id: str, principal: Principal, desk: AgencyDesk) -> bytes:
    """The answers of a finished batch as JSON Lines; ``Conflict`` until it is done."""
    principal.require(Permission.PROVISION_REQUEST)
    return desk.gateway(principal.operator_id).batch_answers(batch_id)


def request_history(
    principal: Principal, desk: AgencyDesk, limit: int = 200, channel: Channel | None = None
) -> list[RequestLine]:
    """The agency's requests, newest first (every operator's: the history is the agency's)."""
    principal.require(Permission.PROVISION_REQUEST)
    with desk.unit_of_work() as uow:
        return uow.requests.recent(max(1, min(limit, MOST_LINES)), channel)


def _line(
    principal: Principal, desk: AgencyDesk, affair: str, channel: Channel, file_name: str = ""
) -> RequestLine:
    return RequestLine(
        desk.clock.now(), principal.operator_id, affair, channel, "", file_name=file_name[:200]
    )


def _refused(line: RequestLine, refusal: DomainError | PortError) -> RequestLine:
    if isinstance(refusal, DomainError):
        return replace(
            line, outcome=refusal.kind, detail=f"{refusal.field}: {refusal.problem}"[:500]
        )
    return replace(line, outcome="unanswered", detail=str(refusal)[:500])


def _record(desk: AgencyDesk, line: RequestLine) -> None:
    with desk.unit_of_work() as uow:
        uow.requests.add(line)
        uow.commit()
