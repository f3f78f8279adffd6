"""The access log: who did what, to whose data, and a hash chain that shows any later change.

Every operator action and every read of a resident's data becomes one :class:`AccessEntry`.
Stored, it gets a ``sequence`` (1, 2, …) and an ``entry_hash``::

    entry_hash(n) = SHA-256(entry_hash(n - 1) ‖ canonical bytes of entry n with its sequence)

starting from the fixed :data:`GENESIS_HASH`. The canonical bytes are JSON with sorted keys,
no spaces and UTF-8 left unescaped (the same rule as the protocol's signing bytes). A signed
:class:`Checkpoint` vouches for the hash at one sequence, so a chain recomputed by someone who
rewrote the rows no longer passes through it, and a log shorter than its newest checkpoint is
known to be cut.

:func:`verify_chain` walks stored entries in sequence order without keeping them, and names
the FIRST place where the chain breaks and how (:class:`BreakKind`). Entries appended after
the newest checkpoint and then removed leave no trace: that is what checkpoints are for.

Raises :class:`~jukinet.domain.errors.InvalidValue` for an entry that cannot be logged.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from jukinet.domain.errors import InvalidValue

GENESIS_HASH = hashlib.sha256(b"jukinet access log, genesis").hexdigest()

_ACTION = re.compile(r"^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$")
_WORD = re.compile(r"^[\x21-\x7e]{1,128}$")  # printable ASCII, no spaces
MAX_DETAIL = 500


class Outcome(StrEnum):
    """How the logged action ended."""

    DONE = "done"
    REFUSED = "refused"  # not permitted, or the request broke a rule
    FAILED = "failed"  # the system could not finish it


@dataclass(frozen=True, slots=True)
class AccessEntry:
    """One logged action: who, when, at which terminal, what, about whom, under which right.

    ``permission`` is the permission the action used ("" for sign-in events);
    ``resident_codes`` are the 住民票コード read or changed; ``detail`` is a short note that
    must carry no personal data beyond those codes.
    """

    at: datetime
    operator_id: str
    terminal: str
    session_id: str
    action: str
    permission: str
    resident_codes: tuple[str, ...]
    outcome: Outcome
    detail: str = ""

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise InvalidValue("at", "an access log moment needs a time zone")
        for name in ("operator_id", "terminal", "session_id"):
            value = getattr(self, name)
            if not _WORD.match(value):
                raise InvalidValue(name, f"1-128 printable ASCII characters, got {value!r}")
        if len(self.action) > 64 or not _ACTION.match(self.action):
            raise InvalidValue("action", f"a dotted lower-case name, got {self.action!r}")
        if self.permission and not _ACTION.match(self.permission):
            raise InvalidValue("permission", f"a permission name or '', got {self.permission!r}")
        for code in self.resident_codes:
            if len(code) != 11 or not code.isascii() or not code.isdigit():
                raise InvalidValue("resident_codes", f"a 住民票コード has 11 digits: {code!r}")
        Outcome(self.outcome)  # a plain string must still name an outcome
        if len(self.detail) > MAX_DETAIL or "\n" in self.detail:
            raise InvalidValue("detail", f"one line of at most {MAX_DETAIL} characters")

    def canonical(self, sequence: int) -> bytes:
        """The bytes the chain hashes for this entry stored at ``sequence``."""
        return _canonical(
            {
                "sequence": sequence,
                "at": moment_text(self.at),
                "operator_id": self.operator_id,
                "terminal": self.terminal,
                "session_id": self.session_id,
                "action": self.action,
                "permission": self.permission,
                "resident_codes": list(self.resident_codes),
                "outcome": str(self.outcome),
                "detail": self.detail,
            }
        )


def moment_text(moment: datetime) -> str:
    """A moment as the chain hashes it: UTC, to the microsecond."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(previous_hash: str, entry: AccessEntry, sequence: int) -> str:
    """SHA-256 (hex) of the previous hash's bytes followed by the entry's canonical bytes."""
    return hashlib.sha256(bytes.fromhex(previous_hash) + entry.canonical(sequence)).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainHead:
    """The last link of a chain: its sequence (0 for an empty log) and hash."""

    sequence: int
    entry_hash: str


EMPTY_CHAIN = ChainHead(0, GENESIS_HASH)


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """An entry as the log keeps it. ``previous_hash`` is kept for diagnosis only: the chain
    is always recomputed from the entries, never taken from that column."""

    sequence: int
    entry: AccessEntry
    previous_hash: str
    entry_hash: str


def link(entries: Iterable[AccessEntry], head: ChainHead) -> list[StoredEntry]:
    """Chain ``entries`` after ``head``: sequences and hashes for appending them."""
    stored = []
    sequence, previous = head.sequence, head.entry_hash
    for entry in entries:
        sequence += 1
        current = entry_hash(previous, entry, sequence)
        stored.append(StoredEntry(sequence, entry, previous, current))
        previous = current
    return stored


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A node's signed statement that its log had ``entry_hash`` at ``sequence``."""

    sequence: int
    entry_hash: str
    at: datetime
    signature: bytes

    def statement(self, node_id: str) -> bytes:
        """The canonical bytes the node signs."""
        return checkpoint_statement(node_id, self.sequence, self.entry_hash, self.at)


def checkpoint_statement(node_id: str, sequence: int, hash_: str, at: datetime) -> bytes:
    return _canonical(
        {
            "statement": "jukinet access log checkpoint",
            "node": node_id,
            "sequence": sequence,
            "entry_hash": hash_,
            "at": moment_text(at),
        }
    )


class BreakKind(StrEnum):
    """How a chain was broken, as far as the stored rows tell."""

    CHANGED = "changed"  # an entry's content differs from what was hashed
    DELETED = "deleted"  # an entry is missing (a gap, or the rest renumbered to hide it)
    REORDERED = "reordered"  # an entry sits at another sequence than the one it was chained at
    INSERTED = "inserted"  # an entry that was never chained stands between two others
    TRUNCATED = "truncated"  # the log ends before a signed checkpoint's sequence
    FORGED_CHECKPOINT = "forged-checkpoint"  # a checkpoint's signature is not the node's


@dataclass(frozen=True, slots=True)
class ChainBreak:
    sequence: int
    kind: BreakKind
    detail: str


@dataclass(frozen=True, slots=True)
class ChainVerdict:
    """What :func:`verify_chain` found: how many entries chain correctly, up to which head,
    and the first break (None when the log is intact)."""

    entries: int
    head: ChainHead
    broken: ChainBreak | None = None

    @property
    def intact(self) -> bool:
        return self.broken is None


# How far past a misplaced entry's sequence verify looks for the sequence it was chained at.
RENUMBER_WINDOW = 1000


def verify_chain(
    stored: Iterable[StoredEntry], checkpoints: Mapping[int, str] | None = None
) -> ChainVerdict:
    """Walk ``stored`` (in sequence order, streamed) and find the first break.

    ``checkpoints`` maps sequence → hash of checkpoints whose signature was already checked:
    the chain must pass through each, and must reach the newest.
    """
    vouched = dict(checkpoints or {})
    rows = iter(stored)
    walk = _Walk()
    for row in rows:
        broken = walk.step(row, rows, vouched)
        if broken is not None:
            return ChainVerdict(walk.count, walk.head, broken)
    newest = max(vouched, default=0)
    if walk.head.sequence < newest:
        detail = (
            f"the log ends at {walk.head.sequence}, but a signed checkpoint vouches for {newest}"
        )
        broken = ChainBreak(walk.head.sequence + 1, BreakKind.TRUNCATED, detail)
        return ChainVerdict(walk.count, walk.head, broken)
    return ChainVerdict(walk.count, walk.head)


class _Walk:
    """The state of a chain walk: the last two good hashes and the count."""

    def __init__(self) -> None:
        self.head = EMPTY_CHAIN
        self.before_head: str | None = None
        self.count = 0

    def step(
        self, row: StoredEntry, rest: Iterator[StoredEntry], vouched: Mapping[int, str]
    ) -> ChainBreak | None:
        expected = self.head.sequence + 1
        if row.sequence < expected:
            return ChainBreak(row.sequence, BreakKind.INSERTED, "two entries claim this sequence")
        if row.sequence > expected:
            missing = (
                f"{expected}" if row.sequence == expected + 1 else f"{expected}-{row.sequence - 1}"
            )
            return ChainBreak(expected, BreakKind.DELETED, f"entries {missing} are missing")
        computed = entry_hash(self.head.entry_hash, row.entry, row.sequence)
        if computed != row.entry_hash:
            return self._diagnose(row, rest)
        if vouched.get(row.sequence, computed) != computed:
            detail = (
                "the chain was recomputed at or before this entry: it misses a signed checkpoint"
            )
            return ChainBreak(row.sequence, BreakKind.CHANGED, detail)
        self.before_head, self.head = self.head.entry_hash, ChainHead(row.sequence, computed)
        self.count += 1
        return None

    def _diagnose(self, row: StoredEntry, rest: Iterator[StoredEntry]) -> ChainBreak:
        sequence = row.sequence
        if row.previous_hash == self.head.entry_hash:
            return ChainBreak(
                sequence, BreakKind.CHANGED, "the entry differs from what was chained"
            )
        if self.before_head is not None and row.previous_hash == self.before_head:
            detail = "the entry before this one was never chained here"
            return ChainBreak(sequence - 1, BreakKind.INSERTED, detail)
        if any(later.entry_hash == row.previous_hash for later in rest):
            detail = "entries were moved: this one was chained after an entry stored later"
            return ChainBreak(sequence, BreakKind.REORDERED, detail)
        for gap in range(1, RENUMBER_WINDOW + 1):
            if entry_hash(row.previous_hash, row.entry, sequence + gap) == row.entry_hash:
                detail = f"{gap} entr{'y' if gap == 1 else 'ies'} removed, the rest renumbered"
                return ChainBreak(sequence, BreakKind.DELETED, detail)
        return ChainBreak(sequence, BreakKind.CHANGED, "the entry differs from what was chained")


@dataclass(frozen=True, slots=True)
class AccessQuery:
    """What an investigator looks for: entries about a resident, by an operator, in a period
    (``start <= at < end``); any of them may be left open."""

    resident_code: str | None = None
    operator_id: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    limit: int = 1000

    def __post_init__(self) -> None:
        code = self.resident_code
        if code is not None and (len(code) != 11 or not code.isascii() or not code.isdigit()):
            raise InvalidValue("resident", f"a 住民票コード has 11 digits, got {code!r}")
        if self.operator_id is not None and not _WORD.match(self.operator_id):
            raise InvalidValue("operator", f"not an operator id: {self.operator_id!r}")
        for name in ("start", "end"):
            moment = getattr(self, name)
            if moment is not None and moment.tzinfo is None:
                raise InvalidValue(name, "a moment needs a time zone")
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise InvalidValue("end", "the period ends before it starts")
        if not 1 <= self.limit <= 100_000:
            raise InvalidValue("limit", f"between 1 and 100000, got {self.limit}")
