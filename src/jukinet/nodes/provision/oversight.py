"""What a providing node's operators watch of the batches: every recipient's batches with
their progress, and each batch's outcomes.

Unlike ``batches.batch_status`` — a recipient asking about its own batch — these read any
batch, for staff with ``provision.operate``; they never return a row's answer (the personal
data goes to the recipient that asked, and to nobody else), only its reference and outcome.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from jukinet.domain.errors import Conflict, InvalidValue, NotFound
from jukinet.nodes.ports import BatchTicket
from jukinet.nodes.provision.providers import Provider

MOST_BATCHES = 500
OUTCOMES = ("matched", "ambiguous", "not-found", "invalid")
PAGE = 10_000


def recent_batches(provider: Provider, limit: int = 100) -> list[BatchTicket]:
    """The batches received last, the newest first."""
    if not 1 <= limit <= MOST_BATCHES:
        raise InvalidValue("limit", f"between 1 and {MOST_BATCHES}, got {limit}")
    with provider.unit_of_work() as uow:
        return uow.batches.recent(limit)


@dataclass(frozen=True, slots=True)
class BatchOverview:
    ticket: BatchTicket
    outcomes: dict[str, int]  # every outcome of OUTCOMES, 0 when none

    @property
    def percent_done(self) -> int:
        total = self.ticket.rows_total
        return 100 if total == 0 else self.ticket.rows_done * 100 // total


def batch_overview(batch_id: str, provider: Provider) -> BatchOverview:
    """One batch, whoever sent it, with its rows counted by outcome; ``NotFound`` on
    ``batch_id`` for a batch this node never received."""
    with provider.unit_of_work() as uow:
        ticket = uow.batches.get(batch_id)
        if ticket is None:
            raise NotFound("batch_id", f"there is no batch {batch_id!r}")
        counted = uow.batches.outcome_counts(batch_id)
    return BatchOverview(ticket, {outcome: counted.get(outcome, 0) for outcome in OUTCOMES})


def batch_outcomes(batch_id: str, provider: Provider) -> Iterator[tuple[int, str, str]]:
    """(row number, the recipient's reference, outcome) of every row of a finished batch, in
    row order, read a page at a time; the answers themselves are left out. ``NotFound`` or
    ``Conflict`` (not finished) on ``batch_id``, raised before the first row."""
    ticket = batch_overview(batch_id, provider).ticket
    if ticket.state != "done":
        raise Conflict("batch_id", f"batch {batch_id} is {ticket.state}, not done")
    return _outcome_rows(batch_id, provider)


def _outcome_rows(batch_id: str, provider: Provider) -> Iterator[tuple[int, str, str]]:
    after = 0
    while True:
        with provider.unit_of_work() as uow:
            page = uow.batches.results(batch_id, after, PAGE)
        if not page:
            return
        yield from ((row.number, row.reference, row.outcome) for row in page)
        after = page[-1].number
