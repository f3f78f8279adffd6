"""Envelope signatures with node keys, and their verification against the deployment CA.

:class:`NodeSigner` is the :class:`~jukinet.protocol.reception.EnvelopeSigner` a node signs
its envelopes with. :class:`CertificateVerifier` is the
:class:`~jukinet.protocol.reception.SignatureVerifier` a receiver checks them with: it trusts a
directory entry's certificate only when the deployment CA issued it, it is within its validity
period and its CN is the entry's node id. Each certificate is parsed and checked against the CA
once; later envelopes from the same node cost one signature verification and a date check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.x509.oid import NameOID

from jukinet.adapters.crypto.ca import PrivateKey, PublicKey, load_private_key
from jukinet.protocol.directory import NodeEntry


class NodeSigner:
    """Signs canonical bytes with one node's private key."""

    __slots__ = ("_key", "node_id")

    def __init__(self, node_id: str, key: PrivateKey) -> None:
        self.node_id = node_id
        self._key = key

    @classmethod
    def from_files(cls, node_id: str, key_path: Path) -> NodeSigner:
        """Load the node's PEM key; raises :class:`UnreadableKeyMaterial` naming the file."""
        return cls(node_id, load_private_key(key_path))

    def sign(self, data: bytes) -> bytes:
        return self._key.sign(data)

    @property
    def private_key(self) -> PrivateKey:
        """The key itself, for signatures outside envelopes (sealed media results)."""
        return self._key


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class _TrustedCertificate:
    """What a CA-issued certificate lets a receiver check cheaply on every envelope."""

    key: PublicKey
    common_name: str
    not_before: datetime
    not_after: datetime

    def vouches_for(self, node_id: str, moment: datetime) -> bool:
        return self.common_name == node_id and self.not_before <= moment <= self.not_after


class CertificateVerifier:
    """Verifies envelope signatures with directory certificates the deployment CA issued.

    ``verify`` returns False, never raises, for a bad signature or an untrusted certificate.
    Raises ``ValueError`` at construction if ``ca_cert_pem`` is not a PEM certificate.
    """

    def __init__(self, ca_cert_pem: bytes, *, clock: Callable[[], datetime] = _utc_now) -> None:
        self._ca = x509.load_pem_x509_certificate(ca_cert_pem)
        self._clock = clock
        # Keyed by PEM text from the directory, which is signed and bounded, so this stays small.
        self._checked: dict[str, _TrustedCertificate | None] = {}

    def verify(self, node: NodeEntry, data: bytes, signature: bytes) -> bool:
        trusted = self._trusted(node.certificate)
        if trusted is None or not trusted.vouches_for(node.id, self._clock()):
            return False
        try:
            trusted.key.verify(signature, data)
        except InvalidSignature:
            return False
        return True

    def _trusted(self, certificate_pem: str) -> _TrustedCertificate | None:
        if certificate_pem not in self._checked:
            self._checked[certificate_pem] = self._check(certificate_pem)
        return self._checked[certificate_pem]

    def _check(self, certificate_pem: str) -> _TrustedCertificate | None:
        try:
            certificate = x509.load_pem_x509_certificate(certificate_pem.encode())
            certificate.verify_directly_issued_by(self._ca)
        except (ValueError, TypeError, InvalidSignature):
            return None
        key = certificate.public_key()
        names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        if not isinstance(key, PublicKey) or len(names) != 1:
            return None
        return _TrustedCertificate(
            key,
            str(names[0].value),
            certificate.not_valid_before_utc,
            certificate.not_valid_after_utc,
        )
