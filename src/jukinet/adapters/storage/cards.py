"""The card node's store: cards, their event log, and the stored form of a PIN.

A PIN is never stored. What is stored is argon2id over an HMAC-SHA256 of the PIN, keyed with
the node's secret (``card.key`` in the deployment's secrets folder) and bound to the card
number. There are only 10,000 four-digit PINs, so argon2 alone would fall to a search of all
of them in minutes once the database leaked; without the key, which lives in a file beside
the node and never in the database, the search cannot even begin. The argon2 layer still
makes each guess costly for someone who has both. Its cost is a setting (see
:class:`PinHashCost`), kept modest because each PIN check pays it once.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import MetaData, insert, select, update
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.exc import IntegrityError

from jukinet.adapters.storage.moments import as_utc
from jukinet.domain.cards import Card, CardAction, CardEvent, CardHolder, CardState
from jukinet.domain.errors import Conflict

_HMAC_CONTEXT = b"jukinet-card-pin/1\x00"


@dataclass(frozen=True, slots=True)
class PinHashCost:
    """argon2id's cost for PIN hashes, from the environment of the node's process.

    | variable | meaning | default |
    |---|---|---|
    | ``JUKINET_CARD_PIN_TIME_COST`` | argon2 passes over memory | ``2`` |
    | ``JUKINET_CARD_PIN_MEMORY_KIB`` | memory per hash, in KiB | ``19456`` (19 MiB) |
    | ``JUKINET_CARD_PIN_PARALLELISM`` | lanes | ``1`` |

    The defaults are OWASP's smallest recommended argon2id setting; hashes made with other
    costs keep verifying, since each hash carries its own parameters.
    """

    time_cost: int = 2
    memory_kib: int = 19456
    parallelism: int = 1

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> PinHashCost:
        cost = cls(
            _positive(environ, "JUKINET_CARD_PIN_TIME_COST", 2),
            _positive(environ, "JUKINET_CARD_PIN_MEMORY_KIB", 19456),
            _positive(environ, "JUKINET_CARD_PIN_PARALLELISM", 1),
        )
        if cost.memory_kib < 8 * cost.parallelism:
            raise ValueError("JUKINET_CARD_PIN_MEMORY_KIB must be at least 8 per lane")
        return cost


def _positive(environ: Mapping[str, str], name: str, default: int) -> int:
    value = environ.get(name, str(default))
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}")
    return int(value)


class Argon2PinHasher:
    """argon2id over HMAC-SHA256(node key, card number, PIN): see the module docstring."""

    def __init__(self, key: bytes, cost: PinHashCost = PinHashCost()) -> None:
        if len(key) < 32:
            raise ValueError("the card key needs at least 32 bytes")
        self._key = key
        self._argon2 = PasswordHasher(
            time_cost=cost.time_cost,
            memory_cost=cost.memory_kib,
            parallelism=cost.parallelism,
            type=Type.ID,
        )

    def protect(self, card_number: str, pin: str) -> str:
        return self._argon2.hash(self._peppered(card_number, pin))

    def matches(self, card_number: str, pin: str, stored: str) -> bool:
        try:
            return self._argon2.verify(stored, self._peppered(card_number, pin))
        except (VerificationError, InvalidHashError):
            return False

    def _peppered(self, card_number: str, pin: str) -> bytes:
        message = _HMAC_CONTEXT + card_number.encode() + b"\x00" + pin.encode()
        return hmac.new(self._key, message, hashlib.sha256).digest()


class SqlCards:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._table = metadata.tables["cards"]

    def add(self, card: Card) -> None:
        """Store a new card; a card number taken, or a second live card for the holder (two
        counters issuing at once), is a :class:`Conflict`, never a crash."""
        try:  # the unit of work rolls back as the Conflict leaves it: nothing is written
            self._connection.execute(insert(self._table).values(**_row(card)))
        except IntegrityError:
            raise Conflict(
                "card_number",
                f"card {card.number} exists, or {card.holder.resident_code} already holds "
                "a card that is not revoked",
            ) from None

    def get(self, card_number: str) -> Card | None:
        t = self._table
        query = select(t).where(t.c.card_number == card_number).with_for_update()
        row = self._connection.execute(query).mappings().first()
        return None if row is None else _card(row)

    def update(self, card: Card) -> None:
        t = self._table
        values = _row(card)
        del values["card_number"]
        self._connection.execute(update(t).where(t.c.card_number == card.number).values(**values))

    def held_by(self, resident_code: str) -> list[Card]:
        t = self._table
        query = select(t).where(t.c.resident_code == resident_code).order_by(t.c.issued_on)
        return [_card(row) for row in self._connection.execute(query).mappings()]


def _row(card: Card) -> dict[str, Any]:
    return {
        "card_number": card.number,
        "resident_code": card.holder.resident_code,
        "holder_name": card.holder.name,
        "birth_date": card.holder.birth_date,
        "municipality_code": card.municipality_code,
        "issued_on": card.issued_on,
        "expires_on": card.expires_on,
        "state": card.state.value,
        "failed_attempts": card.failed_attempts,
        "pin_hash": card.pin_hash,
    }


def _card(row: RowMapping) -> Card:
    return Card(
        number=row["card_number"],
        holder=CardHolder(row["resident_code"], row["holder_name"], row["birth_date"]),
        municipality_code=row["municipality_code"],
        issued_on=row["issued_on"],
        expires_on=row["expires_on"],
        pin_hash=row["pin_hash"],
        state=CardState(row["state"]),
        failed_attempts=row["failed_attempts"],
    )


class SqlCardEvents:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._table = metadata.tables["card_events"]

    def record(self, event: CardEvent) -> None:
        self._connection.execute(
            insert(self._table).values(
                at=event.at,
                card_number=event.card_number,
                action=event.action.value,
                actor=event.actor,
                outcome=event.outcome,
                detail=event.detail,
            )
        )

    def of_card(self, card_number: str, limit: int) -> list[CardEvent]:
        """The card's latest ``limit`` events, newest first."""
        t = self._table
        query = select(t).where(t.c.card_number == card_number).order_by(t.c.id.desc()).limit(limit)
        return [
            CardEvent(
                as_utc(row["at"]),
                row["card_number"],
                CardAction(row["action"]),
                row["actor"],
                row["outcome"],
                row["detail"],
            )
            for row in self._connection.execute(query).mappings()
        ]
