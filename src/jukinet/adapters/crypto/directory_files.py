"""The directory as a file signed by the deployment CA, which every node loads at start.

The file is JSON ``{"directory": ..., "signed_at": ..., "signature": ...}``; the signature is
the CA key's over the canonical bytes of the other two fields, base64url without padding. The
JSON is indented for people to read, since only the canonical bytes are signed.

A node refuses a file that does not verify or does not parse with :class:`DirectoryTampered`,
so a directory edited by hand, or signed by another deployment's CA, never routes a message.
"""

# DirectoryTampered names the situation (STYLE.md), not "...Error".

from __future__ import annotations

import base64
import binascii
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature

from jukinet.adapters.crypto.ca import DeploymentCA, PublicKey
from jukinet.protocol.canonical import canonical_bytes, loads
from jukinet.protocol.directory import Directory
from jukinet.protocol.envelope import utc_timestamp

_FIELDS = {"directory", "signed_at", "signature"}


class DirectoryTampered(Exception):
    """The directory file at ``path`` is not the one the deployment CA signed."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"Refusing the directory file {path}: {problem}.")
        self.path = path
        self.problem = problem


def write_signed_directory(
    directory: Directory, ca: DeploymentCA, path: Path, *, now: datetime | None = None
) -> None:
    """Sign ``directory`` with the CA key and write it to ``path`` in one atomic replace."""
    signed: dict[str, Any] = {
        "directory": directory.to_wire(),
        "signed_at": utc_timestamp(now or datetime.now(UTC)),
    }
    signature = base64.urlsafe_b64encode(ca.sign(canonical_bytes(signed))).rstrip(b"=")
    document = {**signed, "signature": signature.decode()}
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)  # a node starting now reads the old file or the new, never half


def load_signed_directory(path: Path, ca_cert_pem: bytes) -> Directory:
    """Read the directory at ``path`` after checking the deployment CA's signature.

    Raises :class:`DirectoryTampered` when the file is malformed or the signature does not
    verify, ``OSError`` when it cannot be read, and ``ValueError`` when ``ca_cert_pem`` is not
    an Ed25519 PEM certificate.
    """
    document = _parse(path)
    signed = {"directory": document["directory"], "signed_at": document["signed_at"]}
    try:
        _ca_key(ca_cert_pem).verify(_signature(path, document), canonical_bytes(signed))
    except InvalidSignature:
        raise DirectoryTampered(path, "the deployment CA's signature does not verify") from None
    try:
        return Directory.from_wire(document["directory"])
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise DirectoryTampered(path, f"the signed directory does not parse ({error})") from None


def _parse(path: Path) -> dict[str, Any]:
    try:
        document = loads(path.read_bytes())
    except (UnicodeDecodeError, ValueError):
        raise DirectoryTampered(path, "it is not UTF-8 JSON without floats") from None
    if not isinstance(document, dict) or set(document) != _FIELDS:
        raise DirectoryTampered(path, f"expected a JSON object with exactly {sorted(_FIELDS)}")
    if not isinstance(document["directory"], dict) or not isinstance(document["signed_at"], str):
        raise DirectoryTampered(path, "'directory' must be an object and 'signed_at' a string")
    return document


def _signature(path: Path, document: dict[str, Any]) -> bytes:
    value = document["signature"]
    if not isinstance(value, str):
        raise DirectoryTampered(path, "'signature' must be a base64url string")
    try:
        return base64.urlsafe_b64decode(value.encode() + b"==")
    except (binascii.Error, ValueError):
        raise DirectoryTampered(path, "'signature' is not base64url") from None


def _ca_key(ca_cert_pem: bytes) -> PublicKey:
    key = x509.load_pem_x509_certificate(ca_cert_pem).public_key()
    if not isinstance(key, PublicKey):
        raise ValueError(f"the CA certificate holds a {type(key).__name__}, not an Ed25519 key")
    return key
