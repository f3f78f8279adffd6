"""The deployment CA: one key that certifies every node and signs the directory.

A folder holds the CA and everything it issued::

    ca.key.pem  ca.cert.pem  nodes/<node_id>.key.pem  nodes/<node_id>.cert.pem

Private keys are written with mode 0600. A node certificate names its node three ways: the
subject CN and the SAN URI ``urn:jukinet:node:<node_id>`` carry the node id, the SAN DNS
names and IP addresses carry the hosts it serves TLS on. The same certificate is the node's
TLS identity (server and client) and the key its envelope signatures verify against.

Key type: Ed25519 for the CA and every node. Envelope signatures are fast and deterministic,
and OpenSSL 3.0 negotiates TLS 1.3 mutual authentication with Ed25519 certificates through
Python's ``ssl`` module for both uvicorn and httpx (tested in
``tests/integration/test_mutual_tls.py``). The choice lives here only: :data:`PrivateKey`,
:data:`PublicKey`, :func:`generate_key` and :data:`_DIGEST`; the signers import them.

Errors::

    PkiError
    ├── CertificateAuthorityExists    init would overwrite an existing CA
    ├── CertificateAuthorityMissing   load found no CA in the folder
    ├── InvalidNodeId                 not lowercase letters, digits and single hyphens
    ├── InvalidHost                   neither an IP address nor a DNS name
    ├── NodeAlreadyIssued             issue would overwrite a node's key and certificate
    └── UnreadableKeyMaterial         a file is not a PEM key or certificate of the right type
"""

# Errors name the situation (STYLE.md), not "...Error".

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PrivateKey = ed25519.Ed25519PrivateKey
PublicKey = ed25519.Ed25519PublicKey
_DIGEST = None  # Ed25519 hashes internally; an ECDSA fallback would put hashes.SHA256() here.

CA_VALIDITY = timedelta(days=3650)
NODE_VALIDITY = timedelta(days=730)
CLIENT_VALIDITY = timedelta(days=365)
# Certificates start a little in the past so a node whose clock lags does not refuse them.
_BACKDATE = timedelta(minutes=5)

NODE_URI_PREFIX = "urn:jukinet:node:"
_NODE_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_DNS_NAME = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*")


class PkiError(Exception):
    """The CA could not do what was asked; the message says what and where."""


class CertificateAuthorityExists(PkiError):
    def __init__(self, folder: Path) -> None:
        super().__init__(f"A deployment CA already exists in {folder}; refusing to overwrite it.")
        self.folder = folder


class CertificateAuthorityMissing(PkiError):
    def __init__(self, folder: Path) -> None:
        super().__init__(f"No deployment CA in {folder}: run 'jukinet pki init --dir {folder}'.")
        self.folder = folder


class InvalidNodeId(PkiError):
    def __init__(self, node_id: str) -> None:
        super().__init__(
            f"Node id {node_id!r} is invalid: use lowercase letters and digits joined by single"
            " hyphens, at most 64 characters (e.g. 'municipality-131016')."
        )
        self.node_id = node_id


class InvalidHost(PkiError):
    def __init__(self, host: str) -> None:
        super().__init__(f"Host {host!r} is neither an IP address nor a DNS name.")
        self.host = host


class NodeAlreadyIssued(PkiError):
    def __init__(self, node_id: str, cert_path: Path) -> None:
        super().__init__(
            f"Node {node_id!r} already has a certificate at {cert_path}; pass replace to reissue."
        )
        self.node_id = node_id
        self.cert_path = cert_path


class UnreadableKeyMaterial(PkiError):
    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def generate_key() -> PrivateKey:
    return PrivateKey.generate()


def load_private_key(path: Path) -> PrivateKey:
    """Read an unencrypted PEM private key of the deployment's key type."""
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as error:
        raise UnreadableKeyMaterial(path, f"cannot read the key ({error.strerror})") from error
    except (ValueError, TypeError) as error:
        raise UnreadableKeyMaterial(path, "is not an unencrypted PEM private key") from error
    if not isinstance(key, PrivateKey):
        raise UnreadableKeyMaterial(path, f"is a {type(key).__name__}, expected an Ed25519 key")
    return key


def load_certificate(path: Path) -> x509.Certificate:
    try:
        pem = path.read_bytes()
    except OSError as error:
        raise UnreadableKeyMaterial(
            path, f"cannot read the certificate ({error.strerror})"
        ) from error
    return _parse_certificate(path, pem)


def _parse_certificate(path: Path, pem: bytes) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(pem)
    except ValueError as error:
        raise UnreadableKeyMaterial(path, "is not a PEM certificate") from error


def validate_node_id(node_id: str) -> str:
    if len(node_id) > 64 or not _NODE_ID.fullmatch(node_id):
        raise InvalidNodeId(node_id)
    return node_id


def fingerprint(certificate: x509.Certificate) -> str:
    """The SHA-256 fingerprint as colon-separated hex, the form operators compare by eye."""
    return certificate.fingerprint(hashes.SHA256()).hex(":").upper()


@dataclass(frozen=True, slots=True)
class NodeCredentials:
    """Where a node's key and certificate are, and the certificate itself (PEM text)."""

    node_id: str
    key_path: Path
    cert_path: Path
    cert_pem: str

    @property
    def certificate(self) -> x509.Certificate:
        """The parsed certificate; raises :class:`UnreadableKeyMaterial` if it is not PEM."""
        return _parse_certificate(self.cert_path, self.cert_pem.encode())


class DeploymentCA:
    """The CA of one deployment, loaded from its folder with its private key."""

    def __init__(self, folder: Path, key: PrivateKey, certificate: x509.Certificate) -> None:
        self.folder = folder
        self._key = key
        self.certificate = certificate

    @classmethod
    def init(cls, folder: Path, name: str = "jukinet deployment CA") -> DeploymentCA:
        """Create a CA key and a self-signed 10-year certificate; refuse to overwrite one."""
        key_path, cert_path = _ca_paths(folder)
        if key_path.exists() or cert_path.exists():
            raise CertificateAuthorityExists(folder)
        folder.mkdir(parents=True, exist_ok=True)
        key = generate_key()
        certificate = _self_signed(key, name)
        _write_private_key(key_path, key)
        cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        return cls(folder, key, certificate)

    @classmethod
    def load(cls, folder: Path) -> DeploymentCA:
        key_path, cert_path = _ca_paths(folder)
        if not key_path.exists() or not cert_path.exists():
            raise CertificateAuthorityMissing(folder)
        key, certificate = load_private_key(key_path), load_certificate(cert_path)
        if certificate.public_key() != key.public_key():
            raise UnreadableKeyMaterial(key_path, f"does not belong to the certificate {cert_path}")
        return cls(folder, key, certificate)

    @property
    def cert_path(self) -> Path:
        return _ca_paths(self.folder)[1]

    @property
    def cert_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def sign(self, data: bytes) -> bytes:
        """Sign with the CA key (the signed directory uses this)."""
        return self._key.sign(data)

    def issue_node(
        self,
        node_id: str,
        hosts: Sequence[str] = ("localhost", "127.0.0.1"),
        *,
        replace: bool = False,
    ) -> NodeCredentials:
        """Create a key and a 2-year certificate for ``node_id``, valid for TLS on ``hosts``.

        Raises :class:`InvalidNodeId`, :class:`InvalidHost`, or :class:`NodeAlreadyIssued`
        when the node has a certificate and ``replace`` is false.
        """
        validate_node_id(node_id)
        names = [_host_name(host) for host in hosts]
        key_path, cert_path = self._node_paths(node_id)
        if cert_path.exists() and not replace:
            raise NodeAlreadyIssued(node_id, cert_path)
        key = generate_key()
        certificate = self._node_certificate(node_id, key.public_key(), names)
        cert_pem = certificate.public_bytes(serialization.Encoding.PEM)
        cert_path.parent.mkdir(parents=True, exist_ok=True)
        _write_private_key(key_path, key)
        cert_path.write_bytes(cert_pem)
        return NodeCredentials(node_id, key_path, cert_path, cert_pem.decode())

    def issue_client(
        self, common_name: str, folder: Path, validity: timedelta = CLIENT_VALIDITY
    ) -> NodeCredentials:
        """A key and a TLS-client certificate for a body outside the network of nodes — an
        agency or a resident portal — written to ``folder`` as ``client.key.pem`` and
        ``client.cert.pem``. It can open a mutual-TLS connection, but no directory entry
        names it, so it can never sign envelopes as a node."""
        folder.mkdir(parents=True, exist_ok=True)
        key_path, cert_path = folder / "client.key.pem", folder / "client.cert.pem"
        key = generate_key()
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
        certificate = (
            _builder(subject, self.certificate.subject, key.public_key(), validity)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(digital_signature=True), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .add_extension(_authority_key_id(self._key), critical=False)
            .sign(self._key, _DIGEST)
        )
        cert_pem = certificate.public_bytes(serialization.Encoding.PEM)
        _write_private_key(key_path, key)
        cert_path.write_bytes(cert_pem)
        return NodeCredentials(common_name, key_path, cert_path, cert_pem.decode())

    def issued(self) -> list[NodeCredentials]:
        """Every node certificate in the folder, by node id."""
        found = []
        for cert_path in sorted((self.folder / "nodes").glob("*.cert.pem")):
            node_id = cert_path.name.removesuffix(".cert.pem")
            key_path = self._node_paths(node_id)[0]
            cert_pem = load_certificate(cert_path).public_bytes(serialization.Encoding.PEM)
            found.append(NodeCredentials(node_id, key_path, cert_path, cert_pem.decode()))
        return found

    def _node_paths(self, node_id: str) -> tuple[Path, Path]:
        nodes = self.folder / "nodes"
        return nodes / f"{node_id}.key.pem", nodes / f"{node_id}.cert.pem"

    def _node_certificate(
        self, node_id: str, public_key: PublicKey, names: list[x509.GeneralName]
    ) -> x509.Certificate:
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, node_id)])
        san = [*names, x509.UniformResourceIdentifier(NODE_URI_PREFIX + node_id)]
        eku = [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
        return (
            _builder(subject, self.certificate.subject, public_key, NODE_VALIDITY)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(digital_signature=True), critical=True)
            .add_extension(x509.ExtendedKeyUsage(eku), critical=False)
            .add_extension(x509.SubjectAlternativeName(san), critical=False)
            .add_extension(_authority_key_id(self._key), critical=False)
            .sign(self._key, _DIGEST)
        )


def _ca_paths(folder: Path) -> tuple[Path, Path]:
    return folder / "ca.key.pem", folder / "ca.cert.pem"


def _self_signed(key: PrivateKey, name: str) -> x509.Certificate:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    return (
        _builder(subject, subject, key.public_key(), CA_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .sign(key, _DIGEST)
    )


def _builder(
    subject: x509.Name, issuer: x509.Name, public_key: PublicKey, validity: timedelta
) -> x509.CertificateBuilder:
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        .not_valid_after(now + validity)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _authority_key_id(ca_key: PrivateKey) -> x509.AuthorityKeyIdentifier:
    return x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key())


def _key_usage(
    *, digital_signature: bool = False, key_cert_sign: bool = False, crl_sign: bool = False
) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=key_cert_sign,
        crl_sign=crl_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _host_name(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        pass
    if len(host) > 253 or not _DNS_NAME.fullmatch(host):
        raise InvalidHost(host)
    return x509.DNSName(host)


def _write_private_key(path: Path, key: PrivateKey) -> None:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        os.fchmod(file.fileno(), 0o600)  # a replaced key file may have had looser bits
        file.write(pem)
