"""Storing received identity updates: shared by the prefecture and national nodes.

Each sender may only speak for its own residents — a municipality for its own code, a
prefecture node for its tenant prefectures — and an envelope that oversteps is refused whole.
Versions already held are reported as duplicates and change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from jukinet.nodes.ports import IdentityStoreUnitOfWork
from jukinet.protocol.catalogue import (
    DeliveryReceipt,
    DigestReport,
    DigestRequest,
    IdentityUpdate,
    Role,
)
from jukinet.protocol.directory import NodeEntry
from jukinet.protocol.envelope import Envelope, Message
from jukinet.protocol.errors import RouteRefused


def speaks_for(sender: NodeEntry, municipality_code: str) -> bool:
    if sender.role is Role.MUNICIPALITY:
        return sender.municipality_code == municipality_code
    if sender.role is Role.PREFECTURE:
        return municipality_code[:2] in sender.prefectures
    return False


def store_updates(
    uow: IdentityStoreUnitOfWork,
    sender: NodeEntry,
    envelope: Envelope,
    bodies: tuple[IdentityUpdate, ...],
    at: datetime,
    serves: Callable[[str], bool],
) -> tuple[DeliveryReceipt, list[tuple[Message, IdentityUpdate]]]:
    """Apply the envelope's updates; return the receipt and the updates that were new."""
    for update in bodies:
        code = update.identity.municipality_code
        if not speaks_for(sender, code):
            raise RouteRefused(f"{sender.id} may not send identity information for {code}")
        if not serves(code):
            raise RouteRefused(f"this node does not hold identity information for {code}")
    versions = [
        (b.stream, b.sequence, b.identity, m.id)
        for m, b in zip(envelope.messages, bodies, strict=True)
    ]
    duplicates = uow.identities.apply_many(versions, at)
    fresh = [
        (m, b) for m, b in zip(envelope.messages, bodies, strict=True) if m.id not in duplicates
    ]
    receipt = DeliveryReceipt(tuple(m.id for m, _ in fresh), tuple(sorted(duplicates)))
    return receipt, fresh


def report_digest(uow: IdentityStoreUnitOfWork, request: DigestRequest) -> DigestReport:
    """This node's digest of one municipality's identity information (整合性確認)."""
    entries = uow.identities.latest(request.municipality_code)
    return DigestReport.fold(request.municipality_code, entries, request.detail)
