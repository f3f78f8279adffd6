"""The outbox relay: delivers what the node committed to send, at least once, in order.

For each recipient it takes the oldest pending messages (up to ``batch``) of one type, seals
them in one envelope and posts it. The signed receipt names the messages the recipient applied
now or had applied before; those are marked delivered. Anything else stays pending and is sent
again — in a new envelope with the same message ids — after a back-off that doubles up to a
ceiling. A crash at any point loses nothing: pending rows survive, and a message delivered
twice is a duplicate the recipient ignores.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

import structlog

from jukinet.adapters.network.peer import SignedPeer
from jukinet.adapters.storage.messaging import OutboxReader, PendingMessage
from jukinet.nodes.ports import PeerRejected, PortError
from jukinet.protocol.catalogue import RECEIPTS, DeliveryReceipt
from jukinet.protocol.envelope import Envelope, utc_timestamp
from jukinet.protocol.errors import MalformedEnvelope, ProtocolError
from jukinet.protocol.ids import uuid7
from jukinet.protocol.reception import seal

log = structlog.get_logger("jukinet.relay")

# Refusals that are about one message's content: the relay isolates and sets those aside.
MESSAGE_REFUSALS = frozenset({MalformedEnvelope.reason})


@dataclass
class _Count:
    value: int = 0


@dataclass
class Backoff:
    initial: float = 0.2
    ceiling: float = 30.0
    delays: dict[str, float] = field(default_factory=dict)
    not_before: dict[str, float] = field(default_factory=dict)

    def ready(self, recipient: str, now: float) -> bool:
        return now >= self.not_before.get(recipient, 0.0)

    def failed(self, recipient: str, now: float) -> None:
        delay = min(self.delays.get(recipient, self.initial / 2) * 2, self.ceiling)
        self.delays[recipient] = delay
        self.not_before[recipient] = now + delay

    def succeeded(self, recipient: str) -> None:
        self.delays.pop(recipient, None)
        self.not_before.pop(recipient, None)


class ReceiptSink(Protocol):
    """Keeps what a typed receipt (catalogue ``RECEIPTS``) says about the messages ``sent`` to
    ``recipient``, and returns the ids of those it settles (they are then marked delivered)."""

    def __call__(self, receipt: Any, recipient: str, sent: frozenset[str]) -> set[str]: ...


@dataclass
class Relay:
    outbox: OutboxReader
    peer: SignedPeer
    batch: int = 1000
    backoff: Backoff = field(default_factory=Backoff)
    wake: threading.Event = field(default_factory=threading.Event)
    # Message type → the sink of its typed receipt; other types are answered delivery.receipt.
    receipts: dict[str, ReceiptSink] = field(default_factory=dict)

    def run_once(self, monotonic: float = 0.0) -> int:
        """Deliver everything pending to every reachable recipient; return how many went."""
        delivered = 0
        for recipient in self.outbox.recipients_with_pending():
            if not self.backoff.ready(recipient, monotonic):
                continue
            drained = _Count()
            try:
                self._drain(recipient, drained)
                self.backoff.succeeded(recipient)
            except (PortError, ProtocolError) as error:
                self.backoff.failed(recipient, monotonic)
                log.warning("delivery failed", recipient=recipient, error=str(error))
            delivered += drained.value
        return delivered

    def _drain(self, recipient: str, drained: _Count) -> None:
        while pending := self.outbox.pending(recipient, self.batch):
            first_type = pending[0].message.type
            end = next((i for i, p in enumerate(pending) if p.message.type != first_type), None)
            drained.value += self._send_or_isolate(recipient, pending[:end])

    def _send_or_isolate(self, recipient: str, chunk: list[PendingMessage]) -> int:
        """Send ``chunk``; if the recipient refuses it as malformed, find the culprit by halves.

        A message refused on its own is set aside (``refused`` in the outbox, with the reason)
        so that one bad message cannot hold back everything queued after it. Refusals that
        are not about a message's content (a bad signature, a clock out of step, a route the
        directory forbids) concern every message alike: they are retried with back-off.
        """
        try:
            return self._send(recipient, chunk)
        except PeerRejected as refusal:
            if refusal.reason not in MESSAGE_REFUSALS:
                raise
            if len(chunk) == 1:
                self.outbox.set_aside(chunk[0].row_id, f"{refusal.reason}: {refusal.detail}")
                log.error(
                    "message refused",
                    recipient=recipient,
                    message=chunk[0].message.id,
                    reason=refusal.reason,
                    detail=refusal.detail,
                )
                return 0
            middle = len(chunk) // 2
            return self._send_or_isolate(recipient, chunk[:middle]) + self._send_or_isolate(
                recipient, chunk[middle:]
            )

    def _send(self, recipient: str, chunk: list[PendingMessage]) -> int:
        peer = self.peer
        now = peer.clock.now()
        envelope = seal(
            peer.signer,
            Envelope(
                uuid7(), peer.me, recipient, utc_timestamp(now), tuple(p.message for p in chunk)
            ),
        )
        sink = self.receipts.get(chunk[0].message.type)
        expected = DeliveryReceipt.TYPE if sink is None else RECEIPTS[chunk[0].message.type]
        try:
            raw = peer.poster.post(peer.directory.node(recipient), envelope.to_bytes())
            receipt = peer.open_response(raw, recipient, expected)
        except (PortError, ProtocolError):
            self.outbox.note_attempt([p.row_id for p in chunk])
            raise
        if sink is None:
            done = set(receipt.accepted) | set(receipt.duplicates)
        else:
            done = sink(receipt, recipient, frozenset(p.message.id for p in chunk))
        delivered = [p.row_id for p in chunk if p.message.id in done]
        if delivered:
            self.outbox.mark_delivered(delivered, now)
        if len(delivered) < len(chunk):
            raise PortError(f"{recipient} acknowledged {len(delivered)} of {len(chunk)} messages")
        return len(delivered)

    def serve(self, stop: threading.Event, idle: float = 0.05) -> None:
        """Run until ``stop`` is set; ``wake`` (set after a commit) cuts the idle wait short."""
        while not stop.is_set():
            try:
                sent = self.run_once(time.monotonic())
            except Exception:  # the relay must outlive any single failure
                log.exception("relay iteration failed")
                sent = 0
            if not sent:
                self.wake.wait(idle)
                self.wake.clear()
