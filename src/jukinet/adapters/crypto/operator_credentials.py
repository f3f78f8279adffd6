"""Operators' credentials: argon2id password hashes, TOTP codes, and the box that keeps TOTP
secrets encrypted at rest with the node's ``operators.key``.

* :class:`Argon2PasswordHasher` — argon2id with OWASP's smallest recommended cost (2 passes,
  19 MiB); each hash carries its parameters, so a later cost change keeps old hashes valid.
* :class:`TotpCodes` — RFC 6238 (SHA-1, 6 digits, 30 s, what authenticator apps expect), one
  step of drift either way; it reports the step a code belongs to so that the use case can
  refuse a code used before.
* :class:`SecretBox` — AES-256-GCM, the operator ID as associated data: a secret copied to
  another account's row does not decrypt.
"""

from __future__ import annotations

import base64
import hmac
import os
from datetime import datetime

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

DRIFT_STEPS = 1
_NONCE = 12


class Argon2PasswordHasher:
    def __init__(self) -> None:
        self._argon2 = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
        # Checked when there is no account, so that a wrong ID costs as much as a wrong password.
        self._decoy = self._argon2.hash(os.urandom(16).hex())

    def hash(self, password: str) -> str:
        return self._argon2.hash(password)

    def verify(self, stored: str, password: str) -> bool:
        try:
            return self._argon2.verify(stored or self._decoy, password) and bool(stored)
        except (VerificationError, InvalidHashError):
            return False


class TotpCodes:
    def new_secret(self) -> str:
        return pyotp.random_base32(32)

    def provisioning_uri(self, secret: str, operator_id: str, issuer: str) -> str:
        return pyotp.TOTP(secret).provisioning_uri(name=operator_id, issuer_name=issuer)

    def step_of(self, secret: str, code: str, at: datetime) -> int | None:
        if len(code) != 6 or not code.isascii() or not code.isdigit():
            return None
        totp = pyotp.TOTP(secret)
        now = totp.timecode(at)
        for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
            if hmac.compare_digest(totp.generate_otp(step), code):
                return step
        return None


class SecretBox:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("operators.key must hold 32 bytes")
        self._aead = AESGCM(key)

    def seal(self, secret: str, operator_id: str) -> str:
        nonce = os.urandom(_NONCE)
        sealed = self._aead.encrypt(nonce, secret.encode(), operator_id.encode())
        return base64.b64encode(nonce + sealed).decode()

    def open(self, sealed: str, operator_id: str) -> str:
        raw = base64.b64decode(sealed)
        return self._aead.decrypt(raw[:_NONCE], raw[_NONCE:], operator_id.encode()).decode()
