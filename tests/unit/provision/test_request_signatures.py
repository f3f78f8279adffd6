"""Signed recipient requests: what the node accepts, and why it refuses the rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from jukinet.adapters.crypto.request_signatures import (
    AuthenticationFailed,
    Credential,
    SignedRequest,
    parse_authorization,
    sign_request,
    verify_request,
)

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
SKEW = timedelta(minutes=5)
BODY = b'{"affair":"kokumin-nenkin","key":{"resident_code":"47182059362"}}'
PATH = "/provision/v1/identity-queries"
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
RAW = KEY.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def credential(**changes: object) -> Credential:
    values: dict[str, object] = {
        "fingerprint": "f" * 64,
        "recipient_id": "nenkin",
        "kind": "agency",
        "public_key": RAW,
        "not_after": NOW + timedelta(days=365),
        "revoked_at": None,
    }
    return Credential(**{**values, **changes})  # type: ignore[arg-type]


def request(body: bytes = BODY, signed_at: datetime = NOW, **headers: str) -> SignedRequest:
    signed = sign_request(KEY, "f" * 64, "nenkin", "op-1", "POST", PATH, BODY, signed_at)
    signed.update(headers)
    return SignedRequest(
        signed["Authorization"],
        signed["X-Jukinet-Recipient"],
        signed["X-Jukinet-Operator"],
        "POST",
        PATH,
        body,
    )


def refusal(signed: SignedRequest, held: Credential | None) -> str:
    with pytest.raises(AuthenticationFailed) as failed:
        verify_request(signed, parse_authorization(signed.authorization), held, NOW, SKEW)
    return failed.value.reason


def test_a_request_signed_with_the_registered_key_is_accepted() -> None:
    signed = request()
    verify_request(signed, parse_authorization(signed.authorization), credential(), NOW, SKEW)


@pytest.mark.parametrize(
    ("signed", "held", "reason"),
    [
        (request(), credential(not_after=NOW - timedelta(days=1)), "the credential expired on"),
        (request(), credential(revoked_at=NOW), "the credential was revoked"),
        (request(), None, "no registered credential"),
        (request(), credential(recipient_id="kkr"), "no registered credential"),
        (
            request(body=BODY.replace(b"47182059362", b"47182059363")),
            credential(),
            "does not match",
        ),
        (request(**{"X-Jukinet-Operator": "op-2"}), credential(), "does not match"),
        (
            request(signed_at=NOW - timedelta(minutes=6)),
            credential(),
            "too far from the node's clock",
        ),
        (request(Authorization="Bearer abc"), credential(), "use 'Authorization: JKN-Ed25519"),
        (request(Authorization='JKN-Ed25519 fingerprint="x"'), credential(), "lacks fingerprint"),
    ],
)
def test_a_request_is_refused_with_the_reason(
    signed: SignedRequest, held: Credential | None, reason: str
) -> None:
    assert reason in refusal(signed, held)
