"""The recipients a providing node serves, as its operators look them over: who the law in
force names, for which affairs (with the law and the schedule) and by which methods; which
credentials each holds (valid, expiring, expired or revoked); and the registry's change log.

Credentials are registered and revoked with ``jukinet agency register|revoke``; this module
only reads them, through :class:`CredentialBook`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from jukinet.domain.errors import InvalidValue, NotFound
from jukinet.domain.provision import LegalRegistry, Recipient
from jukinet.nodes.provision.providers import Provider

EXPIRY_WARNING = timedelta(days=30)
CHANGES_SHOWN = 50
MOST_TEXT = 100


class CredentialState(StrEnum):
    VALID = "valid"
    EXPIRING = "expiring"  # valid, but for less than EXPIRY_WARNING
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class CredentialLine:
    """A recipient's registered client certificate (never its key: only the fingerprint)."""

    fingerprint: str
    recipient_id: str
    kind: str  # agency | portal
    not_after: datetime
    registered_at: datetime
    registered_by: str
    revoked_at: datetime | None = None
    revoked_by: str | None = None

    def state(self, now: datetime) -> CredentialState:
        if self.revoked_at is not None:
            return CredentialState.REVOKED
        if self.not_after <= now:
            return CredentialState.EXPIRED
        if self.not_after - now < EXPIRY_WARNING:
            return CredentialState.EXPIRING
        return CredentialState.VALID


@dataclass(frozen=True, slots=True)
class RegistryChange:
    """One line of the registry's change log (``registry_changes``)."""

    at: datetime
    operator: str
    action: str  # register | revoke
    subject: str  # the recipient
    detail: str


class CredentialBook(Protocol):
    """The node's registered credentials and the log of their changes."""

    def listed(self) -> list[CredentialLine]:
        """Every credential ever registered, by recipient, the newest last."""
        ...

    def latest_changes(self, limit: int, subject: str | None = None) -> list[RegistryChange]:
        """The last ``limit`` changes (of one recipient, when given), the newest first."""
        ...


@dataclass(frozen=True, slots=True)
class RecipientLine:
    recipient: Recipient
    credentials: list[CredentialLine]


@dataclass(frozen=True, slots=True)
class RegistryOverview:
    law: LegalRegistry
    lines: list[RecipientLine]
    portals: list[CredentialLine]  # resident portals: credentials the law does not name
    changes: list[RegistryChange]
    now: datetime


def registry_overview(provider: Provider, book: CredentialBook, text: str = "") -> RegistryOverview:
    """The recipients of the law in force whose id or name contains ``text`` (all when
    empty), each with its credentials; the portals; the latest registry changes."""
    wanted = text.strip()
    if len(wanted) > MOST_TEXT:
        raise InvalidValue("q", f"at most {MOST_TEXT} characters, got {len(wanted)}")
    law = provider.law()
    listed = book.listed()
    held = _by_recipient(listed)
    lines = [
        RecipientLine(recipient, held.get(recipient.id, []))
        for recipient in sorted(law.recipients.values(), key=lambda r: r.id)
        if not wanted or wanted in recipient.id or wanted in recipient.name
    ]
    portals = [line for line in listed if line.kind == "portal"]
    changes = book.latest_changes(CHANGES_SHOWN)
    return RegistryOverview(law, lines, portals, changes, provider.clock.now())


@dataclass(frozen=True, slots=True)
class RecipientDetail:
    law: LegalRegistry
    recipient: Recipient
    credentials: list[CredentialLine]
    changes: list[RegistryChange]
    now: datetime


def recipient_detail(
    provider: Provider, book: CredentialBook, recipient_id: str
) -> RecipientDetail:
    """One recipient of the law in force: its affairs, credentials and registry changes;
    ``NotFound`` on ``recipient`` for an id the law does not name."""
    law = provider.law()
    recipient = law.recipients.get(recipient_id)
    if recipient is None:
        raise NotFound("recipient", f"{recipient_id!r} is not named in registry {law.version}")
    credentials = _by_recipient(book.listed()).get(recipient_id, [])
    changes = book.latest_changes(CHANGES_SHOWN, subject=recipient_id)
    return RecipientDetail(law, recipient, credentials, changes, provider.clock.now())


def _by_recipient(lines: Sequence[CredentialLine]) -> dict[str, list[CredentialLine]]:
    held: dict[str, list[CredentialLine]] = {}
    for line in lines:
        held.setdefault(line.recipient_id, []).append(line)
    return held
