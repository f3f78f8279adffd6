"""Protocol errors: why a node refused an envelope. Each is logged and changes nothing.

ProtocolError
├── MalformedEnvelope     not JSON, a missing or mistyped field, a body that breaks its schema
├── UnknownMessageType    a type or schema version the catalogue does not have
├── UnknownSender         the sender is not in the directory
├── WrongRecipient        the envelope is addressed to another node
├── RouteRefused          the directory does not let the sender's role send this type here
├── BadSignature          the signature does not verify with the sender's certificate
├── ReplayedEnvelope      this envelope id was already received
└── StaleEnvelope         created too long ago, or in the future, for the receiver's clock
"""

from __future__ import annotations


class ProtocolError(Exception):
    """An envelope was refused; ``reason`` is a stable machine-readable word."""

    reason = "protocol-error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class MalformedEnvelope(ProtocolError):
    reason = "malformed"


class UnknownMessageType(ProtocolError):
    reason = "unknown-type"


class UnknownSender(ProtocolError):
    reason = "unknown-sender"


class WrongRecipient(ProtocolError):
    reason = "wrong-recipient"


class RouteRefused(ProtocolError):
    reason = "route-refused"


class BadSignature(ProtocolError):
    reason = "bad-signature"


class ReplayedEnvelope(ProtocolError):
    reason = "replayed"


class StaleEnvelope(ProtocolError):
    reason = "stale"
