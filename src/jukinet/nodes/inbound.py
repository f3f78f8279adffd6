"""Receiving envelopes: the one pipeline every node role runs for every request.

``Receiver.handle`` checks the envelope (protocol/reception.py), then, in one unit of work,
refuses a replayed envelope id, hands the messages to the role's handler for their type and
commits. It answers with a signed envelope carrying the handler's response. Any refusal is
written to the refusal log in its own transaction and raised; nothing of the envelope is
applied.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from jukinet.nodes.ports import Clock, Refusal, RefusalSink, UnitOfWork
from jukinet.protocol.catalogue import RESPONSES
from jukinet.protocol.directory import Directory, NodeEntry
from jukinet.protocol.envelope import Envelope, new_message, utc_timestamp
from jukinet.protocol.errors import MalformedEnvelope, ProtocolError, ReplayedEnvelope
from jukinet.protocol.ids import uuid7
from jukinet.protocol.reception import (
    DEFAULT_MAX_SKEW,
    EnvelopeSigner,
    SignatureVerifier,
    check_envelope,
    seal,
)

MAX_ENVELOPE_BYTES = 32 * 1024 * 1024
FORGET_EVERY = 500  # envelopes between two clean-ups of the replay table


class Handler(Protocol):
    """Applies the messages of one envelope inside ``uow`` and returns the response body."""

    def __call__(
        self, uow: Any, sender: NodeEntry, envelope: Envelope, bodies: tuple[Any, ...]
    ) -> Any: ...


@dataclass
class Receiver:
    me: str
    directory: Directory
    verifier: SignatureVerifier
    signer: EnvelopeSigner
    clock: Clock
    unit_of_work: Callable[[], UnitOfWork]
    refusals: RefusalSink
    handlers: Mapping[str, Handler]
    max_skew: timedelta = field(default=DEFAULT_MAX_SKEW)
    _received: int = field(default=0, init=False)

    def handle(self, raw: bytes) -> Envelope:
        """Apply a received envelope and return the signed response, or raise and log why not."""
        envelope: Envelope | None = None
        try:
            if len(raw) > MAX_ENVELOPE_BYTES:
                raise MalformedEnvelope(f"envelope is larger than {MAX_ENVELOPE_BYTES} bytes")
            envelope = Envelope.from_bytes(raw)
            received = check_envelope(
                envelope,
                me=self.me,
                directory=self.directory,
                verifier=self.verifier,
                now=self.clock.now(),
                max_skew=self.max_skew,
            )
            handler = self._handler_for(envelope)
            _require_distinct_messages(envelope)
            with self.unit_of_work() as uow:
                if not uow.inbox.remember(envelope.id, envelope.sender, self.clock.now()):
                    raise ReplayedEnvelope(f"envelope {envelope.id} was already received")
                response = handler(uow, received.sender, envelope, received.bodies)
                self._forget_old_envelopes(uow)
                uow.commit()
        except ProtocolError as error:
            self._log_refusal(envelope, error)
            raise
        return self._respond(envelope, response)

    def _forget_old_envelopes(self, uow: UnitOfWork) -> None:
        """Now and then, drop envelope ids too old to matter: an envelope older than the
        allowed clock skew is refused as stale before its id is looked up."""
        self._received += 1
        if self._received % FORGET_EVERY == 1:
            uow.inbox.forget_before(self.clock.now() - 2 * self.max_skew)

    def _handler_for(self, envelope: Envelope) -> Handler:
        types = {m.type for m in envelope.messages}
        if len(types) != 1:
            raise MalformedEnvelope("an envelope carries messages of one type only")
        (message_type,) = types
        handler = self.handlers.get(message_type)
        if handler is None:
            raise MalformedEnvelope(f"this node does not accept {message_type}")
        if (
            message_type in RESPONSES
            and RESPONSES[message_type] != "delivery.receipt"
            and len(envelope.messages) != 1
        ):
            raise MalformedEnvelope(f"{message_type} is a request: send one per envelope")
        return handler

    def _respond(self, request: Envelope, body: Any) -> Envelope:
        now = self.clock.now()
        message = new_message(
            body.TYPE, body.VERSION, body.to_body(), stream=request.id, sequence=1, now=now
        )
        response = Envelope(uuid7(), self.me, request.sender, utc_timestamp(now), (message,))
        return seal(self.signer, response)

    def _log_refusal(self, envelope: Envelope | None, error: ProtocolError) -> None:
        self.refusals.record(
            Refusal(
                at=self.clock.now(),
                sender=envelope.sender if envelope else "(unreadable)",
                envelope_id=envelope.id if envelope else "(unreadable)",
                reason=error.reason,
                detail=error.detail,
            )
        )


def _require_distinct_messages(envelope: Envelope) -> None:
    """Refuse an envelope that carries one message twice.

    Handlers tell new messages from duplicates by message id; a message repeated in the same
    envelope would be applied once yet reported a duplicate, and whatever applying it should
    have caused (the prefecture's forward to the national node) would never happen.
    """
    seen: set[str] = set()
    for index, message in enumerate(envelope.messages):
        if message.id in seen:
            raise MalformedEnvelope(f"messages[{index}].id: {message.id} appears twice")
        seen.add(message.id)
