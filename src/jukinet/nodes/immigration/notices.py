"""ISA's side of 住基法30条の50: queue notices for municipalities, keep their answers.

``queue_notices`` checks every notice first (its schema through the protocol's own reading,
its id against those sent before, its municipality against the directory) and then queues
them all in one transaction, or none. The relay delivers them like every other message;
``RecordNoticeOutcomes`` is the relay's sink for the receipts that come back.

Not modelled: the reverse notice from municipalities to ISA (住基法30条の51).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jukinet.domain.errors import InvalidValue
from jukinet.nodes.ports import Clock, ImmigrationUnitOfWork, SentNotice
from jukinet.protocol.catalogue import ImmigrationNotice, ImmigrationNoticeReceipt
from jukinet.protocol.envelope import new_message
from jukinet.protocol.errors import MalformedEnvelope

MAX_NOTICES = 5000  # per call: the size of one envelope of the relay


@dataclass(frozen=True, slots=True)
class LineProblem:
    line: int  # 1-based
    field: str
    problem: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.problem}"


class InvalidNotices(InvalidValue):
    """Some notices cannot be sent; ``problems`` names each line and field. Nothing was queued."""

    def __init__(self, problems: Sequence[LineProblem]) -> None:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"line {first.line}.{first.field}", first.problem + more)
        self.problems = tuple(problems)


def read_notice(line: int, item: object) -> ImmigrationNotice | LineProblem:
    """One notice as ISA's operator wrote it (the wire body), or what is wrong with it."""
    if not isinstance(item, dict):
        return LineProblem(line, "notice", "expected a JSON object")
    try:
        return ImmigrationNotice.from_body(item)
    except MalformedEnvelope as error:
        where, _, problem = error.detail.partition(": ")
        return LineProblem(line, where.removeprefix("body."), problem or error.detail)


def queue_notices(
    items: Sequence[object],
    operator: str,
    unit_of_work: Callable[[], ImmigrationUnitOfWork],
    clock: Clock,
    municipalities: Mapping[str, str],
) -> list[str]:
    """Queue every notice for the municipality node it names, or none; return the notice ids.

    ``municipalities`` maps each municipality code of the deployment to its node id. Raises
    :class:`InvalidNotices` listing every line that cannot be sent.
    """
    if not items:
        raise InvalidValue("notices", "the file holds no notice")
    if len(items) > MAX_NOTICES:
        raise InvalidValue("notices", f"at most {MAX_NOTICES} notices at a time")
    read = [read_notice(i, item) for i, item in enumerate(items, start=1)]
    problems = [r for r in read if isinstance(r, LineProblem)]
    notices = [(i, r) for i, r in enumerate(read, start=1) if isinstance(r, ImmigrationNotice)]
    problems += _unknown_municipalities(notices, municipalities)
    now = clock.now()
    with unit_of_work() as uow:
        problems += _repeated_ids(
            notices, uow.sent_notices.known([n.notice_id for _, n in notices])
        )
        if problems:
            raise InvalidNotices(sorted(problems, key=lambda p: p.line))
        for _, notice in notices:
            body = notice.to_body()
            message = new_message(
                notice.TYPE, notice.VERSION, body, stream=notice.notice_id, sequence=1, now=now
            )
            uow.outbox.add(municipalities[notice.municipality_code], message)
            uow.sent_notices.add(notice.notice_id, message.id, body, operator, now)
        uow.commit()
    return [notice.notice_id for _, notice in notices]


def _unknown_municipalities(
    notices: list[tuple[int, ImmigrationNotice]], municipalities: Mapping[str, str]
) -> list[LineProblem]:
    return [
        LineProblem(line, "municipality_code", f"{n.municipality_code} has no node here")
        for line, n in notices
        if n.municipality_code not in municipalities
    ]


def _repeated_ids(
    notices: list[tuple[int, ImmigrationNotice]], sent_before: set[str]
) -> list[LineProblem]:
    problems, seen = [], set[str]()
    for line, notice in notices:
        if notice.notice_id in sent_before:
            problems.append(LineProblem(line, "notice_id", f"{notice.notice_id} was sent before"))
        elif notice.notice_id in seen:
            problems.append(LineProblem(line, "notice_id", f"{notice.notice_id} appears twice"))
        seen.add(notice.notice_id)
    return problems


@dataclass(frozen=True, slots=True)
class RecordNoticeOutcomes:
    """The relay's sink for ``immigration.notice-receipt``: keep each notice's outcome.

    Only answers about notices sent to the municipality that signed the receipt count, and the
    first answer stands (a resend after a lost receipt is answered ``duplicate``, which does
    not overwrite ``applied``). Returns the message ids the receipt settles.
    """

    unit_of_work: Callable[[], ImmigrationUnitOfWork]
    clock: Clock

    def __call__(self, receipt: Any, recipient: str, sent: frozenset[str]) -> set[str]:
        assert isinstance(receipt, ImmigrationNoticeReceipt)
        code = recipient.removeprefix("municipality-")
        answers = [
            (a.message_id, a.outcome.value, a.detail)
            for a in receipt.answers
            if a.message_id in sent
        ]
        with self.unit_of_work() as uow:
            settled = uow.sent_notices.record_outcomes(answers, code, self.clock.now())
            uow.commit()
        return settled


def sent_notices(
    unit_of_work: Callable[[], ImmigrationUnitOfWork], outcome: str | None, limit: int = 200
) -> list[SentNotice]:
    """The latest notices with their outcomes (``pending``: not answered yet)."""
    with unit_of_work() as uow:
        return uow.sent_notices.listed(outcome, limit)
