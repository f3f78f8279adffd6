"""What the agency's use cases need from the providing node, and the answers they get.

``ProvisionGateway`` (household checks) and ``IdentityGateway`` (即時提供 and 一括提供) are
the recipients' API as the agency sees it; the adapter over HTTP is
``adapters/network/agency_gateway.py``, and tests use fakes. ``ProvisionGateway``'s errors are
the adapter's (a refusal of the node, with its problem), raised unchanged to the caller;
``IdentityGateway`` raises the node's refusal as the domain error it was there
(``ProvisionNotPermitted``, ``NarrowYourSearch``, ``InvalidValue``, ``NotFound``,
``Conflict``), and ``PeerUnavailable`` / ``PeerRejected`` when the node cannot be reached or
refuses the agency's credential.

``RequestUnitOfWork`` is the agency's own record of what it asked (its provision history).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from jukinet.domain.provision import Channel
from jukinet.domain.residents import Relationship
from jukinet.nodes.ports import Transactional
from jukinet.nodes.provision.batch_input import BatchFormat


@dataclass(frozen=True, slots=True)
class Occupant:
    """Someone registered at the applicant's address, as the same-address answer names them."""

    resident_code: str
    name: str
    birth_date: date


@dataclass(frozen=True, slots=True)
class HouseholdFinding:
    """The home municipality's answer about one person: ``household`` is a label that holds
    only within one answer; both it and ``relationship`` are None when not ``registered``."""

    resident_code: str
    registered: bool
    household: str | None = None
    relationship: Relationship | None = None


class ProvisionGateway(Protocol):
    def same_address(self, affair: str, key: Mapping[str, str]) -> list[Occupant]:
        """Everyone registered at the address of the person ``key`` names, that person first."""
        ...

    def household_check(self, affair: str, resident_codes: Sequence[str]) -> list[HouseholdFinding]:
        """One finding per code, in the order given; the first code's municipality answers."""
        ...


@dataclass(frozen=True, slots=True)
class IdentityAnswer:
    """The answer to one 即時提供: the node's provision id and one entry per person matched,
    in the recipients' API's form (``identity``, ``status`` and, when asked, ``history``)."""

    provision_id: str
    matches: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class BatchFile:
    """A file of keys to send for ``affair``; ``encoding`` None lets the node detect it."""

    affair: str
    content: bytes
    format: BatchFormat = BatchFormat.CSV
    encoding: str | None = None
    history: bool = False
    name: str = ""  # the file's name as the operator chose it, for the agency's own record


@dataclass(frozen=True, slots=True)
class BatchProgress:
    """Where a batch stands at the node: ``queued``, ``matching``, ``done`` or ``failed``."""

    batch_id: str
    affair: str
    state: str
    rows_total: int
    rows_done: int
    received_at: datetime
    finished_at: datetime | None = None
    problem: str | None = None

    @property
    def running(self) -> bool:
        return self.state in ("queued", "matching")


class IdentityGateway(Protocol):
    def identity_query(
        self, affair: str, key: Mapping[str, str], history: bool = False
    ) -> IdentityAnswer: ...

    def submit_batch(self, batch: BatchFile) -> BatchProgress: ...

    def batch_status(self, batch_id: str) -> BatchProgress: ...

    def batch_answers(self, batch_id: str) -> bytes:
        """The answers as JSON Lines, one per row; ``Conflict`` until the batch is done."""
        ...


@dataclass(frozen=True, slots=True)
class RequestLine:
    """One request the agency made, as its own history keeps it: no search key and no answer,
    only who asked, for which affair, how, and how it ended (``outcome``: ``provided``,
    ``not-found``, a refusal's kind, or a batch's state)."""

    at: datetime
    operator_id: str
    affair: str
    channel: Channel
    outcome: str
    matches: int | None = None  # people provided (即時提供)
    reference: str = ""  # the node's provision id or batch id
    file_name: str = ""
    rows_total: int | None = None
    detail: str = ""  # a refusal's field and reason


class RequestLog(Protocol):
    def add(self, line: RequestLine) -> None: ...

    def batch(self, batch_id: str) -> RequestLine | None: ...

    def set_outcome(self, reference: str, outcome: str) -> None: ...

    def recent(self, limit: int, channel: Channel | None = None) -> list[RequestLine]:
        """The newest lines first, of one channel or of all."""
        ...


class RequestUnitOfWork(Transactional, Protocol):
    """One transaction over the agency's request log; nothing is written without ``commit``."""

    @property
    def requests(self) -> RequestLog: ...
