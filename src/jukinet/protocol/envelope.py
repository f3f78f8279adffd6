"""Envelopes: the signed unit that travels between nodes.

An envelope carries one or more messages from one sender to one recipient. Each message has
its own id (UUIDv7), type and schema version, stream and per-stream sequence number; the
envelope has its own id, the sender and recipient node ids, its creation time and one
signature over the canonical bytes of everything else. Carrying several messages under one
signature is what lets a municipality push thousands of identity updates a second without
spending a signature and a verification on each (docs/adr/0003-batched-envelopes.md).

Receivers refuse a replayed envelope id, and apply each message at most once by its id.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from jukinet.protocol.canonical import canonical_bytes, loads
from jukinet.protocol.errors import MalformedEnvelope
from jukinet.protocol.ids import uuid7

MAX_MESSAGES = 5_000


def utc_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_timestamp(field_name: str, value: object) -> datetime:
    if not isinstance(value, str):
        raise MalformedEnvelope(f"{field_name}: expected an ISO 8601 UTC timestamp")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise MalformedEnvelope(f"{field_name}: {value!r} is not an ISO 8601 timestamp") from None
    if moment.tzinfo is None:
        raise MalformedEnvelope(f"{field_name}: must carry a time zone (use Z for UTC)")
    return moment


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    type: str
    version: int
    stream: str
    sequence: int
    created_at: str
    body: dict[str, Any]

    def to_wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "version": self.version,
            "stream": self.stream,
            "sequence": self.sequence,
            "created_at": self.created_at,
            "body": self.body,
        }

    @classmethod
    def from_wire(cls, index: int, data: object) -> Message:
        where = f"messages[{index}]"
        if not isinstance(data, dict):
            raise MalformedEnvelope(f"{where}: expected an object")
        values: dict[str, Any] = {}
        for name, kind in (
            ("id", str),
            ("type", str),
            ("version", int),
            ("stream", str),
            ("sequence", int),
            ("created_at", str),
            ("body", dict),
        ):
            value = data.get(name)
            if not isinstance(value, kind) or isinstance(value, bool):
                raise MalformedEnvelope(f"{where}.{name}: is missing or has the wrong type")
            values[name] = value
        extra = set(data) - set(values)
        if extra:
            raise MalformedEnvelope(f"{where}: unexpected fields {sorted(extra)}")
        parse_timestamp(f"{where}.created_at", values["created_at"])
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Envelope:
    id: str
    sender: str
    recipient: str
    created_at: str
    messages: tuple[Message, ...]
    signature: str = field(default="")

    def signing_bytes(self) -> bytes:
        # Bodies were checked for floats when first encoded (the sender's outbox) or read
        # (``loads`` refuses them), so the walk is not repeated for every signature.
        return canonical_bytes(self._unsigned(), check_floats=False)

    def _unsigned(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "sender": self.sender,
            "recipient": self.recipient,
            "created_at": self.created_at,
            "messages": [m.to_wire() for m in self.messages],
        }

    def to_wire(self) -> dict[str, Any]:
        return {**self._unsigned(), "signature": self.signature}

    def to_bytes(self) -> bytes:
        return canonical_bytes(self.to_wire(), check_floats=False)

    def signature_bytes(self) -> bytes:
        try:
            return base64.urlsafe_b64decode(self.signature.encode() + b"==")
        except ValueError:
            raise MalformedEnvelope("signature: is not base64url") from None

    @classmethod
    def from_bytes(cls, raw: bytes) -> Envelope:
        try:
            data = loads(raw)
        except (UnicodeDecodeError, ValueError) as error:
            raise MalformedEnvelope(f"not a JSON envelope: {error}") from None
        if not isinstance(data, dict):
            raise MalformedEnvelope("an envelope is a JSON object")
        for name in ("id", "sender", "recipient", "created_at", "signature"):
            if not isinstance(data.get(name), str) or not data[name]:
                raise MalformedEnvelope(f"{name}: is missing or not a string")
        messages = data.get("messages")
        if not isinstance(messages, list) or not 1 <= len(messages) <= MAX_MESSAGES:
            raise MalformedEnvelope(f"messages: expected a list of 1 to {MAX_MESSAGES} messages")
        extra = set(data) - {"id", "sender", "recipient", "created_at", "signature", "messages"}
        if extra:
            raise MalformedEnvelope(f"unexpected fields {sorted(extra)}")
        parse_timestamp("created_at", data["created_at"])
        return cls(
            id=data["id"],
            sender=data["sender"],
            recipient=data["recipient"],
            created_at=data["created_at"],
            messages=tuple(Message.from_wire(i, m) for i, m in enumerate(messages)),
            signature=data["signature"],
        )


def new_message(
    body_type: str, version: int, body: dict[str, Any], *, stream: str, sequence: int, now: datetime
) -> Message:
    return Message(uuid7(), body_type, version, stream, sequence, utc_timestamp(now), body)


def encode_signature(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
