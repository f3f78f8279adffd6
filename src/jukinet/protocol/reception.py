"""The checks every received envelope passes before any of it is applied.

Order matters for the clarity of the refusal and for cost: recipient, sender, freshness and
the signature come first (so unauthenticated input gets no further work), then each message's
type and version, route and body. Replay (an envelope id seen before) is checked by the receiving
node inside the same transaction that applies the messages, so two racing copies cannot both
pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from jukinet.protocol.catalogue import parse_body, require_known
from jukinet.protocol.directory import Directory, NodeEntry
from jukinet.protocol.envelope import Envelope, encode_signature, parse_timestamp
from jukinet.protocol.errors import BadSignature, StaleEnvelope, WrongRecipient

DEFAULT_MAX_SKEW = timedelta(minutes=5)


class SignatureVerifier(Protocol):
    """Checks ``signature`` over ``data`` with the key in ``node``'s certificate."""

    def verify(self, node: NodeEntry, data: bytes, signature: bytes) -> bool: ...


class EnvelopeSigner(Protocol):
    """Signs canonical bytes with this node's private key."""

    node_id: str

    def sign(self, data: bytes) -> bytes: ...


@dataclass(frozen=True, slots=True)
class Received:
    """An envelope that passed every check, with its messages parsed into typed bodies."""

    envelope: Envelope
    sender: NodeEntry
    bodies: tuple[Any, ...]


def check_envelope(
    envelope: Envelope,
    *,
    me: str,
    directory: Directory,
    verifier: SignatureVerifier,
    now: datetime,
    max_skew: timedelta = DEFAULT_MAX_SKEW,
    routed: bool = True,
) -> Received:
    """Return the parsed envelope or raise the :class:`ProtocolError` that refuses it.

    Checks in order: recipient, sender, freshness, signature, then each message's type,
    version, route and body.

    ``routed=False`` is for responses, which answer a request this node sent and so are not
    looked up in the route table.
    """
    if envelope.recipient != me:
        raise WrongRecipient(f"addressed to {envelope.recipient!r}, this node is {me!r}")
    sender = directory.node(envelope.sender)
    created = parse_timestamp("created_at", envelope.created_at)
    if abs(now - created) > max_skew:
        raise StaleEnvelope(
            f"created at {envelope.created_at}, more than {max_skew} from this node's clock"
        )
    # The signature is checked before any body is parsed: unauthenticated input gets no work.
    if not verifier.verify(sender, envelope.signing_bytes(), envelope.signature_bytes()):
        raise BadSignature(f"the signature does not verify with {sender.id}'s certificate")
    bodies = []
    for message in envelope.messages:
        require_known(message.type, message.version)
        if routed:
            directory.require_route(sender, message.type, directory.node(me))
        bodies.append(parse_body(message.type, message.version, message.body))
    return Received(envelope, sender, tuple(bodies))


def seal(signer: EnvelopeSigner, envelope: Envelope) -> Envelope:
    """Return ``envelope`` signed by ``signer`` (whose node id must be the sender)."""
    if envelope.sender != signer.node_id:
        raise ValueError(f"{signer.node_id} cannot sign for {envelope.sender}")
    signature = encode_signature(signer.sign(envelope.signing_bytes()))
    return Envelope(
        envelope.id,
        envelope.sender,
        envelope.recipient,
        envelope.created_at,
        envelope.messages,
        signature,
    )
