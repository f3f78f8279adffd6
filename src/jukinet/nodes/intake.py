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
from jukinet.protocol.errors import MalformedEnvelope, RouteRefused


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
    """Apply the envelope's updates; return the receipt and the updates that were new.

    Refused whole (``RouteRefused``) if the sender speaks for a municipality it does not
    represent, or for a record that another municipality's versions already hold.
    """
    for message, update in zip(envelope.messages, bodies, strict=True):
        code = update.identity.municipality_code
        if not speaks_for(sender, code):
            raise RouteRefused(f"{sender.id} may not send identity information for {code}")
        if not serves(code):
            raise RouteRefused(f"this node does not hold identity information for {code}")
        if (message.stream, message.sequence) != (update.stream, update.sequence):
            raise MalformedEnvelope(
                f"message {message.id}: stream and sequence differ from its body"
            )
    owners = uow.identities.owners({b.stream for b in bodies})
    for update in bodies:
        owner = owners.get(update.stream, update.identity.municipality_code)
        if owner != update.identity.municipality_code:
            raise RouteRefused(f"record {update.stream} is held for {owner}, not for this sender")
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
