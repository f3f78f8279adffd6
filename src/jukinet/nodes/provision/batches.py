"""一括提供: a recipient sends a file of keys and receives an answer for every row.

Receiving checks the law first (a refusal is logged and nothing is kept), then reads the file
as a stream and stages its rows, all in one transaction: a file that is unreadable as a whole
(``BatchFileInvalid``) leaves nothing behind. Matching then runs chunk by chunk; each chunk's
results, its provision-log entry and the batch's progress commit together, so a crash loses
at most the chunk in flight and the next run carries on where the last commit left off —
never providing a row twice.

Each row's answer is one of ``matched`` (the person's identity information and status),
``ambiguous`` (several people share the key: nothing is provided, narrow the row),
``not-found`` or ``invalid`` (with the field and the problem).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import BinaryIO

from jukinet.domain.errors import Conflict, DomainError, NotFound
from jukinet.domain.identity import IdentityInfo, RecordStatus
from jukinet.domain.provision import Channel, ProvisionNotPermitted
from jukinet.nodes.ports import (
    BatchTicket,
    ProvisionEntry,
    ProvisionUnitOfWork,
    RowMatches,
    RowResult,
    StagedRow,
)
from jukinet.nodes.provision.answers import Wire, person_wire
from jukinet.nodes.provision.batch_input import BatchFormat, BatchRow, read_batch
from jukinet.nodes.provision.providers import Caller, Provider
from jukinet.protocol.canonical import canonical_bytes
from jukinet.protocol.ids import uuid7

STAGE_CHUNK = 5_000
MATCH_CHUNK = 5_000


@dataclass(frozen=True, slots=True)
class BatchRequest:
    affair: str
    channel: Channel
    format: BatchFormat
    encoding: str | None = None
    history: bool = False


def receive_batch(
    request: BatchRequest, source: BinaryIO, caller: Caller, provider: Provider
) -> BatchTicket:
    """Stage a batch for matching; raise ``ProvisionNotPermitted`` or ``BatchFileInvalid``."""
    law = provider.law()
    try:
        law.permit(caller.recipient_id, request.affair, request.channel)
    except ProvisionNotPermitted as refusal:
        _log_refusal(request, caller, provider, refusal)
        raise
    ticket = _ticket(request, caller, provider)
    with provider.unit_of_work() as uow:
        uow.batches.create(ticket)
        total = 0
        for chunk in _chunks(read_batch(source, request.format, request.encoding), STAGE_CHUNK):
            uow.batches.add_rows(ticket.batch_id, [_staged(row) for row in chunk])
            total += len(chunk)
        uow.batches.update(ticket.batch_id, rows_total=total)
        uow.commit()
    return replace(ticket, rows_total=total)


def batch_status(batch_id: str, caller: Caller, provider: Provider) -> BatchTicket:
    """The batch, if it is the caller's; anyone else's is ``NotFound`` (no hint it exists)."""
    with provider.unit_of_work() as uow:
        ticket = uow.batches.get(batch_id)
    if ticket is None or ticket.recipient_id != caller.recipient_id:
        raise NotFound("batch_id", f"no batch {batch_id!r} of {caller.recipient_id}")
    return ticket


def batch_results(
    batch_id: str, caller: Caller, provider: Provider, after: int = 0, limit: int = 10_000
) -> list[RowResult]:
    """A page of a finished batch's answers (rows ``after`` + 1 …), for the recipient that
    sent it; an empty page means every row has been read."""
    ticket = batch_status(batch_id, caller, provider)
    if ticket.state != "done":
        raise Conflict("batch_id", f"batch {batch_id} is {ticket.state}, not done")
    with provider.unit_of_work() as uow:
        page = uow.batches.results(batch_id, after, limit)
    if not page and after < ticket.rows_total:  # every row has an answer; never stop short
        raise Conflict("batch_id", f"the answers of batch {batch_id} stop at row {after}")
    return page


def run_pending(provider: Provider, chunk: int = MATCH_CHUNK) -> int:
    """Match every waiting batch to the end; returns how many rows were answered."""
    answered = 0
    with provider.unit_of_work() as uow:
        pending = uow.batches.pending()
    for batch_id in pending:
        while (done := match_next_chunk(batch_id, provider, chunk)) is not None:
            answered += done
    return answered


def match_next_chunk(batch_id: str, provider: Provider, chunk: int = MATCH_CHUNK) -> int | None:
    """Answer the next ``chunk`` rows of a batch in one transaction; None when it is done."""
    with provider.unit_of_work() as uow:
        ticket = uow.batches.get(batch_id)
        if ticket is None or ticket.state not in ("queued", "matching"):
            return None
        if ticket.rows_done >= ticket.rows_total:
            uow.batches.update(batch_id, state="done", finished_at=provider.clock.now())
            uow.commit()
            return None
        try:
            affair = provider.law().permit(
                ticket.recipient_id, ticket.affair_id, Channel(ticket.channel)
            )
        except ProvisionNotPermitted as refusal:  # the law changed since it was received
            uow.batches.update(batch_id, state="failed", problem=refusal.problem)
            uow.commit()
            return None
        last = min(ticket.rows_done + chunk, ticket.rows_total)
        rows = uow.batches.match(batch_id, ticket.rows_done + 1, last, affair.prefecture)
        results, provided = _answer(rows, ticket.history, uow)
        uow.batches.add_results(batch_id, results)
        uow.provision_log.record(_entry(ticket, provider, len(rows)), provided)
        uow.batches.update(batch_id, rows_done=last, state="matching")
        uow.commit()
    return len(rows)


def _answer(
    rows: list[RowMatches], history: bool, uow: ProvisionUnitOfWork
) -> tuple[list[RowResult], list[str]]:
    people = {row.number: _people(row.records) for row in rows}
    provided = [found[0]["resident_code"] for found in people.values() if len(found) == 1]
    histories = uow.search.histories(provided) if history and provided else {}
    results = []
    for row in rows:
        outcome, answer = _row_answer(row, people[row.number], histories, history)
        line = {"row": row.number, "ref": row.reference, "outcome": outcome, **answer}
        content = canonical_bytes(line, check_floats=False).decode()
        results.append(RowResult(row.number, row.reference, outcome, content))
    return results, provided


def _people(records: Sequence[Wire]) -> list[Wire]:
    """One current record per person: where they live now, else the latest removal."""
    chosen: dict[str, Wire] = {}
    for record in records:
        kept = chosen.get(record["resident_code"])
        if kept is None or _rank(record) > _rank(kept):
            chosen[record["resident_code"]] = record
    return list(chosen.values())


def _rank(record: Wire) -> tuple[bool, str]:
    return record["status"] == RecordStatus.ACTIVE.value, record["change_date"]


def _row_answer(
    row: RowMatches,
    people: list[Wire],
    histories: dict[str, list[IdentityInfo]],
    history: bool,
) -> tuple[str, dict[str, object]]:
    if row.problem is not None:
        field, _, problem = row.problem.partition(": ")
        return "invalid", {"problem": {"field": field, "problem": problem}}
    if not people:
        return "not-found", {}
    if len(people) > 1:
        return "ambiguous", {"candidates": len(people)}
    person = people[0]
    versions = (
        [v.to_wire() for v in histories.get(person["resident_code"], ())] if history else None
    )
    return "matched", {"match": person_wire(person, versions)}


def _entry(ticket: BatchTicket, provider: Provider, rows: int) -> ProvisionEntry:
    return ProvisionEntry(
        provision_id=uuid7(),
        at=provider.clock.now(),
        recipient_id=ticket.recipient_id,
        affair_id=ticket.affair_id,
        channel=ticket.channel,
        operator=ticket.operator,
        key_kind="batch",
        outcome="provided",
        batch_id=ticket.batch_id,
        detail=f"rows {ticket.rows_done + 1}-{ticket.rows_done + rows}",
    )


def _log_refusal(
    request: BatchRequest, caller: Caller, provider: Provider, refusal: DomainError
) -> None:
    with provider.unit_of_work() as uow:
        entry = ProvisionEntry(
            uuid7(),
            provider.clock.now(),
            caller.recipient_id,
            request.affair[:64],
            request.channel.value,
            caller.operator,
            "batch",
            "refused",
            detail=f"{refusal.field}: {refusal.problem}",
        )
        uow.provision_log.record(entry, [])
        uow.commit()


def _ticket(request: BatchRequest, caller: Caller, provider: Provider) -> BatchTicket:
    return BatchTicket(
        batch_id=uuid7(),
        recipient_id=caller.recipient_id,
        affair_id=request.affair,
        channel=request.channel.value,
        operator=caller.operator,
        format=request.format.value,
        encoding=request.encoding,
        history=request.history,
        state="queued",
        rows_total=0,
        rows_done=0,
        received_at=provider.clock.now(),
    )


def _staged(row: BatchRow) -> StagedRow:
    if row.problem is not None:
        return StagedRow(
            row.number, row.reference, None, f"{row.problem.field}: {row.problem.problem}"
        )
    return StagedRow(row.number, row.reference, row.key)


def _chunks(rows: Iterable[BatchRow], size: int) -> Iterator[list[BatchRow]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
