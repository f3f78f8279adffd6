"""The agency's requests and its own record of them (nodes/agency/provisions.py), on fakes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

import pytest

from jukinet.adapters.clock import FixedClock
from jukinet.domain.legal import registry_in_force
from jukinet.domain.operators import NotPermitted, Permission, Principal
from jukinet.domain.provision import Channel, ProvisionNotPermitted
from jukinet.nodes.agency.ports import (
    BatchFile,
    BatchProgress,
    IdentityAnswer,
    RequestLine,
)
from jukinet.nodes.agency.provisions import (
    AgencyDesk,
    IdentityRequest,
    affairs_open_to,
    ask_identity,
    follow_batch,
    request_history,
    send_batch,
)
from jukinet.nodes.ports import PeerUnavailable

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
OPERATOR = Principal("op-0042", "nenkin-01", "s-1", frozenset({Permission.PROVISION_REQUEST}))


@dataclass
class FakeNode:
    """The providing node as the gateway shows it: answers set by the test, calls recorded."""

    matches: list[dict[str, object]] = field(default_factory=list)
    refusal: Exception | None = None
    state: str = "queued"
    asked_by: list[str] = field(default_factory=list)

    def identity_query(
        self, affair: str, key: Mapping[str, str], history: bool = False
    ) -> IdentityAnswer:
        if self.refusal is not None:
            raise self.refusal
        return IdentityAnswer("p-1", self.matches)

    def submit_batch(self, batch: BatchFile) -> BatchProgress:
        if self.refusal is not None:
            raise self.refusal
        return self.batch_status("b-1")

    def batch_status(self, batch_id: str) -> BatchProgress:
        return BatchProgress(batch_id, "kokumin-nenkin", self.state, 3, 0, NOW)

    def batch_answers(self, batch_id: str) -> bytes:
        return b""


@dataclass
class FakeLog:
    lines: list[RequestLine] = field(default_factory=list)
    writes: int = 0

    def add(self, line: RequestLine) -> None:
        self.lines.append(line)

    def batch(self, batch_id: str) -> RequestLine | None:
        return next((x for x in self.lines if x.reference == batch_id), None)

    def set_outcome(self, reference: str, outcome: str) -> None:
        self.writes += 1
        self.lines = [
            RequestLine(x.at, x.operator_id, x.affair, x.channel, outcome, reference=reference)
            if x.reference == reference
            else x
            for x in self.lines
        ]

    def recent(self, limit: int, channel: Channel | None = None) -> list[RequestLine]:
        chosen = [x for x in self.lines if channel is None or x.channel is channel]
        return list(reversed(chosen))[:limit]


class FakeUnit:
    def __init__(self, log: FakeLog) -> None:
        self.requests = log

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def commit(self) -> None:
        return None


@pytest.fixture
def node() -> FakeNode:
    return FakeNode()


@pytest.fixture
def log() -> FakeLog:
    return FakeLog()


@pytest.fixture
def desk(node: FakeNode, log: FakeLog) -> AgencyDesk:
    def gateway(operator_id: str) -> FakeNode:
        node.asked_by.append(operator_id)
        return node

    return AgencyDesk(
        "nenkin",
        lambda: registry_in_force("national", NOW.date()),
        gateway,
        lambda: FakeUnit(log),
        FixedClock(NOW),
    )


PENSION = IdentityRequest("kokumin-nenkin", {"resident_code": "18293746504"})


def test_the_affairs_offered_are_those_the_law_gives_the_agency(desk: AgencyDesk) -> None:
    ids = [affair.id for affair in affairs_open_to(desk)]

    assert ids == ["kokumin-nenkin", "kosei-nenkin", "kenko-hoken"]


def test_an_answer_is_asked_as_the_operator_and_recorded_without_the_key(
    desk: AgencyDesk, node: FakeNode, log: FakeLog
) -> None:
    node.matches = [{"identity": {"family_name": "髙橋"}, "status": {"state": "resident"}}]

    answer = ask_identity(PENSION, OPERATOR, desk)

    assert answer.matches == node.matches
    assert node.asked_by == ["op-0042"]
    (line,) = log.lines
    assert (line.operator_id, line.affair, line.channel, line.outcome, line.matches) == (
        "op-0042",
        "kokumin-nenkin",
        Channel.IMMEDIATE,
        "provided",
        1,
    )
    assert line.reference == "p-1"
    assert "18293746504" not in repr(line)


def test_nobody_matching_is_recorded_as_not_found(desk: AgencyDesk, log: FakeLog) -> None:
    ask_identity(PENSION, OPERATOR, desk)

    assert [(x.outcome, x.matches) for x in log.lines] == [("not-found", 0)]


def test_a_refusal_of_the_node_is_recorded_then_raised(
    desk: AgencyDesk, node: FakeNode, log: FakeLog
) -> None:
    node.refusal = ProvisionNotPermitted("affair", "日本年金機構 may not receive 'rosai'")

    with pytest.raises(ProvisionNotPermitted):
        ask_identity(IdentityRequest("rosai", {"resident_code": "1"}), OPERATOR, desk)

    (line,) = log.lines
    assert (line.outcome, line.detail) == (
        "provision-not-permitted",
        "affair: 日本年金機構 may not receive 'rosai'",
    )


def test_a_node_out_of_reach_is_recorded_as_unanswered(
    desk: AgencyDesk, node: FakeNode, log: FakeLog
) -> None:
    node.refusal = PeerUnavailable("national: connection refused")

    with pytest.raises(PeerUnavailable):
        send_batch(BatchFile("kokumin-nenkin", b"ref\r\n", name="p.csv"), OPERATOR, desk)

    assert [(x.outcome, x.channel, x.file_name) for x in log.lines] == [
        ("unanswered", Channel.NETWORK_BATCH, "p.csv")
    ]


def test_a_batch_is_recorded_and_its_state_followed_when_it_changes(
    desk: AgencyDesk, node: FakeNode, log: FakeLog
) -> None:
    sent = send_batch(BatchFile("kokumin-nenkin", b"ref\r\n", name="p.csv"), OPERATOR, desk)
    follow_batch(sent.batch_id, OPERATOR, desk)  # still queued: nothing to write
    node.state = "done"
    follow_batch(sent.batch_id, OPERATOR, desk)
    follow_batch(sent.batch_id, OPERATOR, desk)

    assert log.writes == 1
    assert [x.outcome for x in request_history(OPERATOR, desk)] == ["done"]


def test_an_operator_without_provision_request_asks_nothing(
    desk: AgencyDesk, node: FakeNode, log: FakeLog
) -> None:
    administrator = Principal("admin-1", "t", "s-2", frozenset({Permission.OPERATORS_ADMINISTER}))

    with pytest.raises(NotPermitted, match=r"provision\.request"):
        ask_identity(PENSION, administrator, desk)

    assert node.asked_by == []
    assert log.lines == []
