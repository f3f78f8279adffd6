"""Request and response between nodes, both signed: the ``Peer`` the use cases call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jukinet.adapters.network.transports import EnvelopePoster
from jukinet.nodes.ports import Clock, PeerRejected
from jukinet.protocol.catalogue import RESPONSES
from jukinet.protocol.directory import Directory
from jukinet.protocol.envelope import Envelope, new_message, utc_timestamp
from jukinet.protocol.errors import ProtocolError
from jukinet.protocol.ids import uuid7
from jukinet.protocol.reception import EnvelopeSigner, SignatureVerifier, check_envelope, seal


@dataclass
class SignedPeer:
    me: str
    directory: Directory
    poster: EnvelopePoster
    signer: EnvelopeSigner
    verifier: SignatureVerifier
    clock: Clock

    def request(self, recipient: str, body: Any) -> Any:
        now = self.clock.now()
        message = new_message(
            body.TYPE, body.VERSION, body.to_body(), stream="request", sequence=1, now=now
        )
        envelope = seal(
            self.signer, Envelope(uuid7(), self.me, recipient, utc_timestamp(now), (message,))
        )
        raw = self.poster.post(self.directory.node(recipient), envelope.to_bytes())
        return self.open_response(raw, recipient, RESPONSES[body.TYPE])

    def open_response(self, raw: bytes, recipient: str, expected_type: str) -> Any:
        """Verify a response envelope from ``recipient`` and return its single typed body."""
        try:
            response = Envelope.from_bytes(raw)
            if response.sender != recipient:
                raise PeerRejected(
                    "wrong-sender", f"answer signed by {response.sender}, not {recipient}"
                )
            received = check_envelope(
                response,
                me=self.me,
                directory=self.directory,
                verifier=self.verifier,
                now=self.clock.now(),
                routed=False,
            )
        except ProtocolError as error:
            raise PeerRejected(
                error.reason, f"the answer of {recipient} was refused: {error}"
            ) from error
        (message,) = response.messages
        if message.type != expected_type:
            raise PeerRejected("unexpected-answer", f"{recipient} answered {message.type}")
        return received.bodies[0]
