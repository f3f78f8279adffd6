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
from dataclasses import dataclass, field

import structlog

from jukinet.adapters.network.peer import SignedPeer
from jukinet.adapters.storage.messaging import OutboxReader, PendingMessage
from jukinet.nodes.ports import PortError
from jukinet.protocol.catalogue import DeliveryReceipt
from jukinet.protocol.envelope import Envelope, utc_timestamp
from jukinet.protocol.ids import uuid7
from jukinet.protocol.reception import seal

log = structlog.get_logger("jukinet.relay")


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


@dataclass
class Relay:
    outbox: OutboxReader
    peer: SignedPeer
    batch: int = 1000
    backoff: Backoff = field(default_factory=Backoff)
    wake: threading.Event = field(default_factory=threading.Event)

    def run_once(self, monotonic: float = 0.0) -> int:
        """Deliver everything pending to every reachable recipient; return how many went."""
        delivered = 0
        for recipient in self.outbox.recipients_with_pending():
            if not self.backoff.ready(recipient, monotonic):
                continue
            try:
                delivered += self._drain(recipient)
                self.backoff.succeeded(recipient)
            except PortError as error:
                self.backoff.failed(recipient, monotonic)
                log.warning("delivery failed", recipient=recipient, error=str(error))
        return delivered

    def _drain(self, recipient: str) -> int:
        sent = 0
        while pending := self.outbox.pending(recipient, self.batch):
            first_type = pending[0].message.type
            chunk = [p for p in pending if p.message.type == first_type]
            chunk = chunk[
                : next(
                    (i for i, p in enumerate(pending) if p.message.type != first_type), len(pending)
                )
            ]
            sent += self._send(recipient, chunk)
        return sent

    def _send(self, recipient: str, chunk: list[PendingMessage]) -> int:
        peer = self.peer
        now = peer.clock.now()
        envelope = seal(
            peer.signer,
            Envelope(
                uuid7(), peer.me, recipient, utc_timestamp(now), tuple(p.message for p in chunk)
            ),
        )
        try:
            raw = peer.poster.post(peer.directory.node(recipient), envelope.to_bytes())
            receipt: DeliveryReceipt = peer.open_response(raw, recipient, DeliveryReceipt.TYPE)
        except PortError:
            self.outbox.note_attempt([p.row_id for p in chunk])
            raise
        done = set(receipt.accepted) | set(receipt.duplicates)
        delivered = [p.row_id for p in chunk if p.message.id in done]
        if delivered:
            self.outbox.mark_delivered(delivered, now)
        if len(delivered) < len(chunk):
            raise PortError(f"{recipient} acknowledged {len(delivered)} of {len(chunk)} messages")
        return len(delivered)

    def serve(self, stop: threading.Event, idle: float = 0.05) -> None:
        """Run until ``stop`` is set; ``wake`` (set after a commit) cuts the idle wait short."""
        import time

        while not stop.is_set():
            try:
                sent = self.run_once(time.monotonic())
            except Exception:  # the relay must outlive any single failure
                log.exception("relay iteration failed")
                sent = 0
            if not sent:
                self.wake.wait(idle)
                self.wake.clear()
