"""The resident's session: who signed in with which card, sealed in a cookie.

After the card node accepted the card and its PIN, the portal keeps no server-side state: the
browser holds the session in the ``jukinet_resident`` cookie, encrypted and authenticated
with AES-256-GCM under the portal's own key (``resident-portal.key``, 32 random bytes created
on first use with mode 0600), HttpOnly, SameSite=Strict, Secure over HTTPS. A cookie that was
changed, or sealed under another key, does not open. The session ends after
:data:`IDLE` without a request (each request renews the cookie), after :data:`LIFETIME` in
any case, or when the resident signs out (the cookie is cleared).

Every form that changes something carries the session's CSRF token, an HMAC of the session's
random id under the portal's key: a page of another site cannot know it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from contextlib import suppress
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

COOKIE = "jukinet_resident"
IDLE = timedelta(minutes=15)
LIFETIME = timedelta(hours=2)
KEY_FILE = "resident-portal.key"
_NONCE = 12
_CONTEXT = b"jukinet-resident-session/1"


@dataclass(frozen=True, slots=True)
class ResidentSession:
    """What the card node told us about the card holder, and the session's own times."""

    session_id: str
    card_number: str
    resident_code: str
    name: str
    municipality_code: str
    card_expires_on: str
    started_at: datetime
    seen_at: datetime

    @property
    def operator(self) -> str:
        """How the nodes' logs name this session's requests (no personal data)."""
        return f"resident:{self.session_id[:12]}"

    def live(self, now: datetime) -> bool:
        return now - self.seen_at <= IDLE and now - self.started_at <= LIFETIME

    def seen(self, now: datetime) -> ResidentSession:
        return replace(self, seen_at=now)


def new_session(
    card_number: str, holder: dict[str, str], municipality_code: str, expires_on: str, now: datetime
) -> ResidentSession:
    return ResidentSession(
        secrets.token_hex(16),
        card_number,
        holder["resident_code"],
        holder["name"],
        municipality_code,
        expires_on,
        now,
        now,
    )


class SessionSeal:
    """Seals a session into a cookie value and opens it again (AES-GCM)."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the portal's session key must be 32 bytes")
        self._aead = AESGCM(key)
        self._csrf_key = hashlib.sha256(b"jukinet-resident-csrf\0" + key).digest()

    def seal(self, session: ResidentSession) -> str:
        values = asdict(session)
        values["started_at"] = session.started_at.isoformat()
        values["seen_at"] = session.seen_at.isoformat()
        nonce = os.urandom(_NONCE)
        sealed = self._aead.encrypt(nonce, json.dumps(values).encode(), _CONTEXT)
        return base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")

    def open(self, cookie: str, now: datetime) -> ResidentSession | None:
        """The live session the cookie holds, or None (absent, altered, expired)."""
        if not cookie or len(cookie) > 4096:
            return None
        try:
            raw = base64.urlsafe_b64decode(cookie + "=" * (-len(cookie) % 4))
            plain = self._aead.decrypt(raw[:_NONCE], raw[_NONCE:], _CONTEXT)
            values = json.loads(plain)
            values["started_at"] = datetime.fromisoformat(values["started_at"])
            values["seen_at"] = datetime.fromisoformat(values["seen_at"])
            session = ResidentSession(**values)
        except (ValueError, InvalidTag, KeyError, TypeError):
            return None
        return session if session.live(now) else None

    def csrf(self, session: ResidentSession) -> str:
        digest = hmac.new(self._csrf_key, session.session_id.encode(), hashlib.sha256)
        return digest.hexdigest()[:32]


def portal_key(path: Path) -> bytes:
    """The portal's session key, created on first use with mode 0600 (never in a database)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # A process that loses the race to create it reads the winner's key.
        with suppress(FileExistsError):
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(secrets.token_bytes(32))
    return path.read_bytes()
