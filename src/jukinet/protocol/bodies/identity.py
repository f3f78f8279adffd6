"""Identity updates, and the receipt any receiver gives for the messages it applied."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from jukinet.domain.identity import IDENTITY_FIELDS, IdentityInfo
from jukinet.protocol.envelope import Message, new_message
from jukinet.protocol.errors import MalformedEnvelope
from jukinet.protocol.fields import message_ids, require, via_domain


@dataclass(frozen=True, slots=True)
class IdentityUpdate:
    """A new version of one person's 本人確認情報.

    ``stream`` identifies the municipal record (one stay of one person) and ``sequence``
    numbers its versions from 1, so receivers apply them idempotently and in order.
    """

    TYPE: ClassVar[str] = "identity.update"
    VERSION: ClassVar[int] = 1

    stream: str
    sequence: int
    recorded_at: str
    identity: IdentityInfo

    def message(self, now: datetime) -> Message:
        """This update as a new message of its record's stream (a fresh id, same sequence)."""
        return new_message(
            self.TYPE,
            self.VERSION,
            self.to_body(),
            stream=self.stream,
            sequence=self.sequence,
            now=now,
        )

    def to_body(self) -> dict[str, Any]:
        return {
            "stream": self.stream,
            "sequence": self.sequence,
            "recorded_at": self.recorded_at,
            "identity": self.identity.to_wire(),
        }

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> IdentityUpdate:
        identity = require(body, "identity", dict)
        extra = set(identity) - IDENTITY_FIELDS
        if extra:
            raise MalformedEnvelope(f"body.identity: fields not allowed here: {sorted(extra)}")
        sequence = require(body, "sequence", int)
        if sequence < 1:
            raise MalformedEnvelope("body.sequence: must be 1 or more")
        recorded_at = require(body, "recorded_at", str)
        moment = via_domain(
            "recorded_at", lambda: datetime.fromisoformat(recorded_at.replace("Z", "+00:00"))
        )
        if moment.tzinfo is None:
            raise MalformedEnvelope("body.recorded_at: must carry a time zone (use Z for UTC)")
        return cls(
            stream=require(body, "stream", str),
            sequence=sequence,
            recorded_at=recorded_at,
            identity=via_domain("identity", lambda: IdentityInfo.from_wire(identity)),
        )


@dataclass(frozen=True, slots=True)
class DeliveryReceipt:
    """The receiver's answer to one-way messages: applied now, or already applied before."""

    TYPE: ClassVar[str] = "delivery.receipt"
    VERSION: ClassVar[int] = 1

    accepted: tuple[str, ...]
    duplicates: tuple[str, ...]

    def to_body(self) -> dict[str, Any]:
        return {"accepted": list(self.accepted), "duplicates": list(self.duplicates)}

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> DeliveryReceipt:
        return cls(message_ids(body, "accepted"), message_ids(body, "duplicates"))
