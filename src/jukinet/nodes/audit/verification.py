"""Verifying a node's access log: every checkpoint's signature, then the chain through them.

The chain must pass through every checkpoint whose signature is the node's, the newest of
them kept outside the database included, and must reach the newest; a checkpoint whose
signature is not the node's is a break of its own (``forged-checkpoint``). The report names
the break with the lowest sequence.
"""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass

from jukinet.domain.access_log import (
    BreakKind,
    ChainBreak,
    ChainVerdict,
    Checkpoint,
    verify_chain,
)
from jukinet.nodes.ports import AccessLogArchive, CheckpointSignatures


@dataclass(frozen=True, slots=True)
class AuditVerdict:
    """The outcome of ``jukinet audit verify``: the chain's verdict, the newest checkpoint it
    was held to, and the first break (None when intact)."""

    chain: ChainVerdict
    last_checkpoint: Checkpoint | None
    broken: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def verify_log(archive: AccessLogArchive, signatures: CheckpointSignatures) -> AuditVerdict:
    """Check every checkpoint's signature, then walk the chain (streamed) through them."""
    checkpoints = archive.checkpoints()
    kept_apart = archive.newest_kept_apart()
    if kept_apart is not None:
        checkpoints.append(kept_apart)
    trusted = [c for c in checkpoints if signatures.valid(c)]
    forged = [_forged(c) for c in checkpoints if c not in trusted]
    with closing(archive.stored()) as stored:
        chain = verify_chain(stored, {c.sequence: c.entry_hash for c in trusted})
    breaks = [b for b in (chain.broken, *forged) if b is not None]
    first = min(breaks, key=lambda b: b.sequence, default=None)
    newest = max(trusted, key=lambda c: c.sequence, default=None)
    return AuditVerdict(chain, newest, first)


def _forged(checkpoint: Checkpoint) -> ChainBreak:
    detail = "this checkpoint's signature was not made with the node's key"
    return ChainBreak(checkpoint.sequence, BreakKind.FORGED_CHECKPOINT, detail)
