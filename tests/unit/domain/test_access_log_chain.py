"""The access log's hash chain: any single edit, deletion, insertion or swap is found, at the
right sequence and named for what it is."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jukinet.domain.access_log import (
    EMPTY_CHAIN,
    AccessEntry,
    BreakKind,
    ChainHead,
    Outcome,
    StoredEntry,
    entry_hash,
    link,
    verify_chain,
)
from jukinet.domain.errors import InvalidValue
from jukinet.protocol.canonical import canonical_bytes

START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def entry(n: int, detail: str = "") -> AccessEntry:
    return AccessEntry(
        at=START + timedelta(seconds=n),
        operator_id=f"clerk-{n % 3}",
        terminal="T-01",
        session_id=f"s-{n}",
        action="resident.view",
        permission="resident.read",
        resident_codes=(f"{n:011d}",),
        outcome=Outcome.DONE,
        detail=detail or f"view {n} 髙橋",
    )


def chain(length: int) -> list[StoredEntry]:
    return link((entry(n) for n in range(1, length + 1)), EMPTY_CHAIN)


def renumbered(rows: list[StoredEntry], start: int) -> list[StoredEntry]:
    return [dataclasses.replace(row, sequence=start + i) for i, row in enumerate(rows)]


def test_an_untouched_chain_is_intact_and_reaches_its_last_entry() -> None:
    rows = chain(5)

    verdict = verify_chain(rows, {5: rows[-1].entry_hash})

    assert verdict.intact
    assert verdict.entries == 5
    assert verdict.head.sequence == 5


def test_the_hashed_bytes_are_the_protocol_canonical_bytes() -> None:
    one = entry(1)

    assert one.canonical(7) == canonical_bytes(
        {
            "sequence": 7,
            "at": "2026-11-23T01:00:01.000000+00:00",
            "operator_id": "clerk-1",
            "terminal": "T-01",
            "session_id": "s-1",
            "action": "resident.view",
            "permission": "resident.read",
            "resident_codes": ["00000000001"],
            "outcome": "done",
            "detail": "view 1 髙橋",
        }
    )


def test_a_log_shorter_than_its_newest_checkpoint_is_truncated() -> None:
    rows = chain(6)

    verdict = verify_chain(rows[:4], {6: rows[5].entry_hash})

    assert verdict.broken is not None
    assert (verdict.broken.sequence, verdict.broken.kind) == (5, BreakKind.TRUNCATED)


def test_a_chain_recomputed_after_an_edit_misses_its_checkpoint() -> None:
    rows = chain(4)
    edited = [rows[0], *link([entry(2, "forged"), entry(3), entry(4)], _head(rows[0]))]

    verdict = verify_chain(edited, {4: rows[3].entry_hash})

    assert verdict.broken is not None
    assert (verdict.broken.sequence, verdict.broken.kind) == (4, BreakKind.CHANGED)


def _head(row: StoredEntry) -> ChainHead:
    return ChainHead(row.sequence, row.entry_hash)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("operator_id", "clerk 7"),
        ("action", "View"),
        ("resident_codes", ("1234",)),
        ("outcome", "maybe"),
        ("detail", "two\nlines"),
        ("at", datetime(2026, 11, 23, 10, 0)),
    ],
)
def test_an_entry_that_cannot_be_logged_names_its_field(field: str, value: object) -> None:
    with pytest.raises((InvalidValue, ValueError)) as refused:
        dataclasses.replace(entry(1), **{field: value})

    if isinstance(refused.value, InvalidValue):
        assert refused.value.field == field


lengths = st.integers(min_value=2, max_value=25)


@settings(max_examples=60, deadline=None)
@given(lengths, st.data())
def test_any_edit_is_found_where_it_was_made(length: int, data: st.DataObject) -> None:
    rows = chain(length)
    i = data.draw(st.integers(0, length - 1))
    rows[i] = dataclasses.replace(rows[i], entry=dataclasses.replace(rows[i].entry, detail="x"))

    broken = verify_chain(rows).broken

    assert broken is not None
    assert (broken.sequence, broken.kind) == (i + 1, BreakKind.CHANGED)


@settings(max_examples=60, deadline=None)
@given(lengths, st.data(), st.booleans())
def test_any_deletion_is_found_where_it_was_made(
    length: int, data: st.DataObject, renumber: bool
) -> None:
    rows = chain(length)
    i = data.draw(st.integers(0, length - 2))  # removing the last entry needs a checkpoint
    kept = rows[:i] + (renumbered(rows[i + 1 :], i + 1) if renumber else rows[i + 1 :])

    broken = verify_chain(kept).broken

    assert broken is not None
    assert (broken.sequence, broken.kind) == (i + 1, BreakKind.DELETED)


@settings(max_examples=60, deadline=None)
@given(lengths, st.data())
def test_any_forged_insertion_is_found_where_it_was_made(length: int, data: st.DataObject) -> None:
    rows = chain(length)
    i = data.draw(st.integers(0, length - 1))
    previous = rows[i - 1].entry_hash if i else EMPTY_CHAIN.entry_hash
    forged = entry(99, "forged")
    row = StoredEntry(i + 1, forged, previous, entry_hash(previous, forged, i + 1))
    tampered = [*rows[:i], row, *renumbered(rows[i:], i + 2)]

    broken = verify_chain(tampered).broken

    assert broken is not None
    assert (broken.sequence, broken.kind) == (i + 1, BreakKind.INSERTED)


@settings(max_examples=60, deadline=None)
@given(lengths, st.data())
def test_any_swap_of_two_entries_is_found_at_the_first(length: int, data: st.DataObject) -> None:
    rows = chain(length)
    i = data.draw(st.integers(0, length - 2))
    j = data.draw(st.integers(i + 1, length - 1))
    rows[i], rows[j] = (
        dataclasses.replace(rows[j], sequence=i + 1),
        dataclasses.replace(rows[i], sequence=j + 1),
    )

    broken = verify_chain(rows).broken

    assert broken is not None
    assert (broken.sequence, broken.kind) == (i + 1, BreakKind.REORDERED)


def test_a_second_entry_with_the_same_sequence_is_an_insertion() -> None:
    rows = chain(4)
    duplicate = dataclasses.replace(rows[2], entry=entry(42, "forged"))

    broken = verify_chain([*rows[:3], duplicate, rows[3]]).broken

    assert broken is not None
    assert (broken.sequence, broken.kind) == (3, BreakKind.INSERTED)
