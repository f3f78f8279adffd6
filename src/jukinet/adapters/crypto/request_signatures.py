"""Signed HTTP requests of recipients (agencies, resident portals) to a providing node.

The recipient's credential is a client certificate issued by the deployment CA (``jukinet
agency register``). Over HTTPS it opens the mutual-TLS connection; on every request it also
signs what the request means, so the node knows which registered credential asks — whether
TLS ends at the node or at a proxy in front of it, and in the in-process mode of the tests.

    Authorization: JKN-Ed25519 fingerprint=<hex>, created=<unix seconds>, signature=<base64url>
    X-Jukinet-Recipient: nenkin
    X-Jukinet-Operator: op-0042

The signature is Ed25519 over the UTF-8 lines (joined by ``\\n``)::

    jukinet-request-v1
    <METHOD>
    <path and query>
    <created>
    <recipient>
    <operator>
    <SHA-256 of the body, hex>

A request is accepted when the fingerprint names a registered, unrevoked, unexpired
credential of that recipient, ``created`` is within the allowed skew of the node's clock and
the signature verifies. A captured request can be replayed only within the skew, and only by
someone who can also open the mutual-TLS connection.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.x509 import Certificate

SCHEME = "JKN-Ed25519"
_PARAMETER = re.compile(r'\s*([a-z]+)="?([^",\s]*)"?\s*(?:,|$)')


class AuthenticationFailed(Exception):
    """The request does not prove a registered credential; ``reason`` says what is wrong."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def certificate_fingerprint(certificate: Certificate) -> str:
    """SHA-256 of the certificate's DER bytes, lower-case hex: the credential's id."""
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def raw_public_key(certificate: Certificate) -> bytes:
    key = certificate.public_key()
    if not isinstance(key, ed25519.Ed25519PublicKey):
        raise ValueError("recipient credentials must carry an Ed25519 key")
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def signing_bytes(
    method: str, target: str, created: int, recipient: str, operator: str, body: bytes
) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    lines = ("jukinet-request-v1", method.upper(), target, str(created), recipient, operator)
    return "\n".join((*lines, digest)).encode()


def sign_request(
    key: ed25519.Ed25519PrivateKey,
    fingerprint: str,
    recipient: str,
    operator: str,
    method: str,
    target: str,
    body: bytes,
    now: datetime,
) -> dict[str, str]:
    """The headers that authenticate one request."""
    created = int(now.timestamp())
    signature = key.sign(signing_bytes(method, target, created, recipient, operator, body))
    encoded = base64.urlsafe_b64encode(signature).decode().rstrip("=")
    return {
        "Authorization": f'{SCHEME} fingerprint="{fingerprint}", created="{created}", '
        f'signature="{encoded}"',
        "X-Jukinet-Recipient": recipient,
        "X-Jukinet-Operator": operator,
    }


@dataclass(frozen=True, slots=True)
class SignedRequest:
    """The parts of an incoming request that its signature covers."""

    authorization: str | None
    recipient: str | None
    operator: str | None
    method: str
    target: str
    body: bytes


@dataclass(frozen=True, slots=True)
class Credential:
    fingerprint: str
    recipient_id: str
    kind: str
    public_key: bytes  # raw Ed25519
    not_after: datetime
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class Authorization:
    """The parts of a request's Authorization header."""

    fingerprint: str
    created: int
    signature: bytes


def parse_authorization(header: str | None) -> Authorization:
    """The fingerprint, creation time and signature in the Authorization header."""
    scheme, _, rest = (header or "").partition(" ")
    if scheme != SCHEME:
        raise AuthenticationFailed(f"use 'Authorization: {SCHEME} …' (see docs/provision.md)")
    values = dict(_PARAMETER.findall(rest))
    try:
        padded = values["signature"] + "=" * (-len(values["signature"]) % 4)
        signature = base64.urlsafe_b64decode(padded)
        return Authorization(values["fingerprint"], int(values["created"]), signature)
    except (KeyError, ValueError):
        raise AuthenticationFailed(
            "the Authorization header lacks fingerprint, created or signature"
        ) from None


# A recipient's key, loaded once: loading costs as much as a third of a verification.
_public_key = lru_cache(maxsize=4096)(ed25519.Ed25519PublicKey.from_public_bytes)


def verify_request(
    request: SignedRequest,
    authorization: Authorization,
    credential: Credential | None,
    now: datetime,
    max_skew: timedelta,
) -> None:
    """Raise ``AuthenticationFailed`` unless ``credential`` signed ``request`` (whose header
    says ``authorization``) just now."""
    created = authorization.created
    if credential is None or credential.recipient_id != request.recipient:
        raise AuthenticationFailed(
            "no registered credential of this recipient has that fingerprint"
        )
    if credential.revoked_at is not None:
        raise AuthenticationFailed("the credential was revoked")
    if credential.not_after < now:
        raise AuthenticationFailed(f"the credential expired on {credential.not_after.date()}")
    if abs(now.timestamp() - created) > max_skew.total_seconds():
        raise AuthenticationFailed("the request's 'created' time is too far from the node's clock")
    message = signing_bytes(
        request.method,
        request.target,
        created,
        credential.recipient_id,
        request.operator or "",
        request.body,
    )
    try:
        _public_key(credential.public_key).verify(authorization.signature, message)
    except InvalidSignature:
        raise AuthenticationFailed("the signature does not match the request") from None
