"""Encrypted, signed packages for batch provision on media (磁気媒体による一括提供).

An agency seals its batch request to J-LIS's media key and signs it with its own key; J-LIS
seals the result to the fresh media key the agency sent with that request and signs it with
its node key. Only the recipient can read a package, the recipient can tell who sealed it,
and any change to the file is detected. Both sides stream: memory use does not grow with the
size of the file.

Format, version 1 (integers are unsigned big-endian)::

    magic       22 bytes   b"JUKINET-MEDIA-PACKAGE\\n"
    header_len   4 bytes   length of the header, 1 to 65,536
    header      header_len bytes of JSON (below)
    records     one or more: a 4-byte length n, then n bytes of AES-256-GCM output
    signature   64 bytes   Ed25519; nothing may follow it

The header is canonical JSON (UTF-8, keys sorted, no whitespace; see
:mod:`jukinet.protocol.canonical`), an object with exactly these keys; binary values are
lowercase hex. A reader hashes and signs the header bytes as they are, never re-encoded.

    ``version``             1
    ``fields``              the sealer's own fields: an object of text, integers and nulls
    ``ephemeral_key``       E, the sealer's one-use X25519 public key (32 bytes)
    ``recipient_key_id``    SHA-256 of R, the recipient's raw X25519 public key (32 bytes)
    ``key_commitment``      C (32 bytes, below)
    ``nonce_prefix``        7 random bytes
    ``signer_certificate``  the sealer's X.509 certificate, PEM text

Keys. With s the X25519 shared secret of E and R, and HKDF-SHA256 with salt E ‖ R (raw)::

    C   = HKDF(s, info = "jukinet-media-package/1 key commitment", 32 bytes)
    key = HKDF(s, info = "jukinet-media-package/1 payload key" ‖ SHA-256(header), 32 bytes)

C lets a recipient tell "sealed to another key" from "altered"; binding the key to the header
digest means an edited header also fails the first chunk's tag.

Records (the STREAM construction). The payload is cut into 65,536-byte chunks; the last chunk
holds 0 to 65,535 bytes, so a payload whose size is a multiple of 64 KiB, the empty one
included, ends with an empty chunk. Chunk i (from 0) is encrypted with AES-256-GCM under
``key``, no associated data, nonce = nonce_prefix ‖ uint32(i) ‖ (0x01 if last else 0x00). Every
record but the last is 65,552 bytes of ciphertext and tag; a reader takes the first record
shorter than that as the last. Removing, reordering or swapping chunks, or cutting the file
after any of them, changes some chunk's nonce and fails its tag.

Signature: Ed25519 by the key in ``signer_certificate`` over
magic ‖ header_len ‖ header ‖ SHA-256(records), where records is every byte from the end of
the header to the start of the signature.

Reading checks, in this order: magic, header, version; the recipient key (key id and C); the
caller's trust in the signer certificate; each chunk's tag as it is decrypted; and last the
signature. Plaintext is written out before the signature is checked, so a caller of
:func:`open_sealed` must discard its target when it raises; :func:`open_sealed_file` does so.

Errors::

    PackageError
    ├── NotAPackage        no magic line, unknown version, header cut short or malformed
    ├── NotForThisKey      sealed to another media key
    ├── PackageTampered    bad signature or tag, cut short, chunks moved, bytes appended
    └── SignerNotTrusted   ca_trust refused the signer's certificate
"""

# Errors name the situation (STYLE.md), not "...Error".

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from cryptography import x509
from cryptography.exceptions import InvalidSignature, InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from jukinet.adapters.crypto.ca import PrivateKey, PublicKey, UnreadableKeyMaterial
from jukinet.protocol.canonical import canonical_bytes, loads

MAGIC = b"JUKINET-MEDIA-PACKAGE\n"
VERSION = 1
CHUNK_SIZE = 64 * 1024

HeaderValue = str | int | None
Trust = Callable[[bytes], PublicKey]

_TAG_SIZE = 16
_FULL_RECORD = CHUNK_SIZE + _TAG_SIZE
_MAX_CHUNKS = 2**32
_MAX_HEADER = 64 * 1024
_SIGNATURE_SIZE = 64
_NONCE_PREFIX_SIZE = 7
_COMMITMENT_INFO = b"jukinet-media-package/1 key commitment"
_PAYLOAD_KEY_INFO = b"jukinet-media-package/1 payload key"
_HEADER_KEYS = {
    "version",
    "fields",
    "ephemeral_key",
    "recipient_key_id",
    "key_commitment",
    "nonce_prefix",
    "signer_certificate",
}
_LOWER_HEX = re.compile(r"[0-9a-f]*")


class PackageError(Exception):
    """A media package could not be opened; the message says why."""


class NotAPackage(PackageError):
    def __init__(self, problem: str) -> None:
        super().__init__(f"This file is not a jukinet media package: {problem}.")
        self.problem = problem


class NotForThisKey(PackageError):
    def __init__(self, sealed_to: str, key_id: str) -> None:
        super().__init__(
            f"This package is sealed to the media key {sealed_to}, not to the key loaded here"
            f" ({key_id}); open it with the key it was sealed to."
        )
        self.sealed_to = sealed_to
        self.key_id = key_id


class PackageTampered(PackageError):
    def __init__(self, problem: str) -> None:
        super().__init__(
            f"Refusing the package: {problem}. Discard anything decrypted from it and ask the"
            " sender for a new one."
        )
        self.problem = problem


class SignerNotTrusted(PackageError):
    def __init__(self, problem: str) -> None:
        super().__init__(f"Refusing the package's signer: {problem}.")
        self.problem = problem


# Media keys


class MediaKey:
    """An X25519 key pair that packages are sealed to.

    J-LIS's node keeps one as a secret and hands its public half to agencies with their
    credentials; an agency makes a fresh one for each request so that only it can read the
    result.
    """

    __slots__ = ("_private",)

    def __init__(self, private_key: X25519PrivateKey) -> None:
        self._private = private_key

    @classmethod
    def generate(cls) -> MediaKey:
        return cls(X25519PrivateKey.generate())

    @classmethod
    def load(cls, path: Path) -> MediaKey:
        """Read a key :meth:`save` wrote; raises :class:`UnreadableKeyMaterial` naming the file."""
        key = _load_pem(path, serialization.load_pem_private_key, "private key", password=None)
        if not isinstance(key, X25519PrivateKey):
            raise UnreadableKeyMaterial(path, f"is a {type(key).__name__}, not an X25519 media key")
        return cls(key)

    def save(self, path: Path) -> None:
        """Write the private key as PEM with mode 0600.

        Raises ``FileExistsError`` rather than replace a key: what was sealed to it would
        become unreadable.
        """
        pem = self._private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        with _create_private_file(path, exclusive=True) as file:
            file.write(pem)

    @property
    def public_key(self) -> X25519PublicKey:
        return self._private.public_key()

    @property
    def key_id(self) -> str:
        return media_key_id(self.public_key)

    def public_bytes(self) -> bytes:
        """The raw 32-byte public key."""
        return _raw(self.public_key)

    def public_pem(self) -> bytes:
        """The public key as a PEM file that :func:`load_media_public_key` reads."""
        return self.public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def exchange(self, peer: X25519PublicKey) -> bytes:
        """The X25519 shared secret with ``peer``; ``ValueError`` for a low-order point."""
        return self._private.exchange(peer)


def load_media_public_key(path: Path) -> X25519PublicKey:
    """Read a public key :meth:`MediaKey.public_pem` wrote; raises :class:`UnreadableKeyMaterial`."""
    key = _load_pem(path, serialization.load_pem_public_key, "public key")
    if not isinstance(key, X25519PublicKey):
        raise UnreadableKeyMaterial(path, f"is a {type(key).__name__}, not an X25519 media key")
    return key


def media_key_id(public_key: X25519PublicKey) -> str:
    """The SHA-256 of the raw public key in lowercase hex: how packages and people name it."""
    return hashlib.sha256(_raw(public_key)).hexdigest()


def _load_pem(path: Path, load: Callable[..., Any], what: str, **options: Any) -> Any:
    try:
        return load(path.read_bytes(), **options)
    except OSError as error:
        raise UnreadableKeyMaterial(path, f"cannot read the {what} ({error.strerror})") from error
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise UnreadableKeyMaterial(path, f"is not an unencrypted PEM {what}") from error


def _raw(public_key: X25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


# Trust in signers


def _utc_now() -> datetime:
    return datetime.now(UTC)


def ca_trust(ca_cert_pem: bytes, *, clock: Callable[[], datetime] = _utc_now) -> Trust:
    """A ``trust`` for :func:`open_sealed`: the signer's Ed25519 key, if the deployment CA
    issued its certificate and the certificate is valid now.

    It checks nothing else; wrap it to require the agency or node you expect. The returned
    function raises :class:`SignerNotTrusted`; this one raises ``ValueError`` at once if
    ``ca_cert_pem`` is not a PEM certificate.
    """
    ca = x509.load_pem_x509_certificate(ca_cert_pem)

    def trust(cert_pem: bytes) -> PublicKey:
        try:
            certificate = x509.load_pem_x509_certificate(cert_pem)
        except ValueError:
            raise SignerNotTrusted("its certificate is not a PEM certificate") from None
        subject = certificate.subject.rfc4514_string()
        try:
            certificate.verify_directly_issued_by(ca)
        except (ValueError, TypeError, InvalidSignature):
            raise SignerNotTrusted(f"the deployment CA did not issue {subject!r}") from None
        now = clock()
        start, end = certificate.not_valid_before_utc, certificate.not_valid_after_utc
        if not start <= now <= end:
            raise SignerNotTrusted(
                f"the certificate of {subject!r} is valid from {start:%Y-%m-%d %H:%M} to"
                f" {end:%Y-%m-%d %H:%M} UTC, not at {now:%Y-%m-%d %H:%M} UTC"
            )
        key = certificate.public_key()
        if not isinstance(key, PublicKey):
            raise SignerNotTrusted(f"{subject!r} holds a {type(key).__name__}, not Ed25519")
        return key

    return trust


# Sealing and opening


def seal(
    source: BinaryIO,
    target: BinaryIO,
    *,
    header: Mapping[str, HeaderValue],
    recipient: X25519PublicKey,
    signer_key: PrivateKey,
    signer_cert_pem: bytes,
) -> None:
    """Encrypt ``source`` to ``recipient``, sign it, and write the package to ``target``.

    ``header`` travels in clear text but signed: put no personal data in it. Reads 64 KiB at
    a time. Raises ``ValueError`` when a header value is not text, an integer or None, when
    ``signer_cert_pem`` does not certify ``signer_key``, or when ``recipient`` is a
    low-order point. If reading ``source`` fails part way, ``target`` holds a cut-short
    package, which :func:`open_sealed` refuses; delete it all the same.
    """
    fields = dict(header)
    if problem := _fields_problem(fields):
        raise ValueError(problem)
    _check_certifies(signer_cert_pem, signer_key)
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(recipient)
    salt = _raw(ephemeral.public_key()) + _raw(recipient)
    sealed_header = _Header(
        fields=fields,
        ephemeral_key=_raw(ephemeral.public_key()),
        recipient_key_id=media_key_id(recipient),
        key_commitment=_derive(shared, salt, _COMMITMENT_INFO),
        nonce_prefix=os.urandom(_NONCE_PREFIX_SIZE),
        signer_certificate=signer_cert_pem.decode("ascii"),
    )
    header_bytes = sealed_header.to_bytes()
    if len(header_bytes) > _MAX_HEADER:
        raise ValueError(f"The header takes {len(header_bytes)} bytes, more than {_MAX_HEADER}.")
    signed_start = _signed_start(header_bytes)
    target.write(signed_start)
    cipher = _ChunkCipher(_payload_key(shared, salt, header_bytes), sealed_header.nonce_prefix)
    records_digest = _seal_chunks(source, target, cipher)
    target.write(signer_key.sign(signed_start + records_digest))


def open_sealed(
    source: BinaryIO, target: BinaryIO, *, recipient_key: MediaKey, trust: Trust
) -> dict[str, HeaderValue]:
    """Decrypt the package in ``source`` to ``target`` and return the sealer's header fields.

    ``trust`` receives the signer's certificate PEM before anything is decrypted and returns
    its public key, or raises (its exception passes through). Plaintext reaches ``target``
    chunk by chunk, before the signature at the end is checked: if this raises, anything in
    ``target`` is unverified and must be deleted (:func:`open_sealed_file` does that).

    Raises :class:`NotAPackage`, :class:`NotForThisKey` or :class:`PackageTampered`.
    """
    header_bytes, header = _read_header(source)
    shared, salt = _check_addressed_to(header, recipient_key)
    signer = trust(header.signer_certificate.encode("ascii"))
    cipher = _ChunkCipher(_payload_key(shared, salt, header_bytes), header.nonce_prefix)
    records_digest = _open_chunks(source, target, cipher)
    _check_signature(source, signer, _signed_start(header_bytes) + records_digest)
    return dict(header.fields)


def open_sealed_file(
    package: Path, target: Path, *, recipient_key: MediaKey, trust: Trust
) -> dict[str, HeaderValue]:
    """:func:`open_sealed` from file to file: ``target`` appears only once every check passed.

    Decrypts into a hidden partial file beside ``target``, mode 0600 since it holds personal
    data, and renames it into place; on any error the partial file is removed.
    """
    partial = target.with_name(f".{target.name}.partial")
    try:
        with package.open("rb") as source, _create_private_file(partial) as plaintext:
            fields = open_sealed(source, plaintext, recipient_key=recipient_key, trust=trust)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return fields


@dataclass(frozen=True, slots=True)
class _Header:
    fields: dict[str, HeaderValue]
    ephemeral_key: bytes
    recipient_key_id: str
    key_commitment: bytes
    nonce_prefix: bytes
    signer_certificate: str

    def to_bytes(self) -> bytes:
        return canonical_bytes(
            {
                "version": VERSION,
                "fields": self.fields,
                "ephemeral_key": self.ephemeral_key.hex(),
                "recipient_key_id": self.recipient_key_id,
                "key_commitment": self.key_commitment.hex(),
                "nonce_prefix": self.nonce_prefix.hex(),
                "signer_certificate": self.signer_certificate,
            }
        )

    @classmethod
    def parse(cls, data: bytes) -> _Header:
        """Raises :class:`NotAPackage` for anything but a version 1 header."""
        try:
            document = loads(data)
        except ValueError:  # UnicodeDecodeError included
            raise NotAPackage("its header is not UTF-8 JSON without floats") from None
        if not isinstance(document, dict):
            raise NotAPackage("its header is not a JSON object")
        version = document.get("version")
        if type(version) is not int or version != VERSION:
            raise NotAPackage(f"it has format version {version!r}; this jukinet reads {VERSION}")
        if set(document) != _HEADER_KEYS:
            raise NotAPackage(f"its header must have exactly the keys {sorted(_HEADER_KEYS)}")
        if problem := _fields_problem(document["fields"]):
            raise NotAPackage(problem)
        certificate = document["signer_certificate"]
        if not isinstance(certificate, str) or not certificate.isascii():
            raise NotAPackage("its header's 'signer_certificate' is not PEM text")
        return cls(
            fields=document["fields"],
            ephemeral_key=_hex_value(document, "ephemeral_key", 32),
            recipient_key_id=_hex_value(document, "recipient_key_id", 32).hex(),
            key_commitment=_hex_value(document, "key_commitment", 32),
            nonce_prefix=_hex_value(document, "nonce_prefix", _NONCE_PREFIX_SIZE),
            signer_certificate=certificate,
        )


def _fields_problem(fields: object) -> str | None:
    if not isinstance(fields, dict):
        return "the header fields are not an object"
    for name, value in fields.items():
        valid_value = isinstance(value, str | int | None) and not isinstance(value, bool)
        if not isinstance(name, str) or not valid_value:
            return f"header field {name!r}: names are text, values text, integers or null"
    return None


def _hex_value(document: dict[str, Any], name: str, size: int) -> bytes:
    value = document[name]
    if not isinstance(value, str) or len(value) != 2 * size or not _LOWER_HEX.fullmatch(value):
        raise NotAPackage(f"its header's {name!r} is not {size} bytes in lowercase hex")
    return bytes.fromhex(value)


def _check_certifies(cert_pem: bytes, key: PrivateKey) -> None:
    certificate = x509.load_pem_x509_certificate(cert_pem)
    if certificate.public_key() != key.public_key():
        subject = certificate.subject.rfc4514_string()
        raise ValueError(f"The certificate of {subject!r} certifies another key than signer_key.")


def _derive(shared: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(shared)


def _payload_key(shared: bytes, salt: bytes, header_bytes: bytes) -> bytes:
    return _derive(shared, salt, _PAYLOAD_KEY_INFO + hashlib.sha256(header_bytes).digest())


def _signed_start(header_bytes: bytes) -> bytes:
    return MAGIC + len(header_bytes).to_bytes(4, "big") + header_bytes


def _read_header(source: BinaryIO) -> tuple[bytes, _Header]:
    if _read_up_to(source, len(MAGIC)) != MAGIC:
        raise NotAPackage("it does not start with the line 'JUKINET-MEDIA-PACKAGE'")
    length_bytes = _read_up_to(source, 4)
    length = int.from_bytes(length_bytes, "big")
    if len(length_bytes) < 4 or not 0 < length <= _MAX_HEADER:
        raise NotAPackage(f"its header length is not between 1 and {_MAX_HEADER} bytes")
    header_bytes = _read_up_to(source, length)
    if len(header_bytes) < length:
        raise NotAPackage("the file ends inside its header")
    return header_bytes, _Header.parse(header_bytes)


def _check_addressed_to(header: _Header, key: MediaKey) -> tuple[bytes, bytes]:
    """The shared secret and HKDF salt, once the header shows it was sealed to ``key``."""
    ephemeral = X25519PublicKey.from_public_bytes(header.ephemeral_key)
    try:
        shared = key.exchange(ephemeral)
    except ValueError:
        raise PackageTampered("its ephemeral key is not a usable X25519 key") from None
    salt = header.ephemeral_key + key.public_bytes()
    committed = hmac.compare_digest(_derive(shared, salt, _COMMITMENT_INFO), header.key_commitment)
    addressed = header.recipient_key_id == key.key_id
    if not committed and not addressed:
        raise NotForThisKey(header.recipient_key_id, key.key_id)
    if not addressed:
        raise PackageTampered("its recipient key id was altered")
    if not committed:
        raise PackageTampered("its key commitment or ephemeral key was altered")
    return shared, salt


class _ChunkCipher:
    """AES-256-GCM under STREAM: chunk i's nonce is the prefix, i, and whether it is last."""

    __slots__ = ("_aead", "_prefix", "index")

    def __init__(self, key: bytes, nonce_prefix: bytes) -> None:
        self._aead = AESGCM(key)
        self._prefix = nonce_prefix
        self.index = 0

    def seal(self, plaintext: bytes, *, last: bool) -> bytes:
        return self._aead.encrypt(self._next_nonce(last), plaintext, None)

    def open(self, ciphertext: bytes, *, last: bool) -> bytes:
        index = self.index
        try:
            return self._aead.decrypt(self._next_nonce(last), ciphertext, None)
        except InvalidTag:
            raise PackageTampered(
                f"chunk {index} fails authentication (altered, moved, or the file was cut)"
            ) from None

    def _next_nonce(self, last: bool) -> bytes:
        if self.index >= _MAX_CHUNKS:
            raise ValueError(f"A package holds at most {_MAX_CHUNKS} chunks of {CHUNK_SIZE}.")
        nonce = self._prefix + self.index.to_bytes(4, "big") + (b"\x01" if last else b"\x00")
        self.index += 1
        return nonce


def _seal_chunks(source: BinaryIO, target: BinaryIO, cipher: _ChunkCipher) -> bytes:
    records = hashlib.sha256()
    while True:
        plaintext = _read_up_to(source, CHUNK_SIZE)
        last = len(plaintext) < CHUNK_SIZE
        ciphertext = cipher.seal(plaintext, last=last)
        length = len(ciphertext).to_bytes(4, "big")
        for part in (length, ciphertext):
            records.update(part)
            target.write(part)
        if last:
            return records.digest()


def _open_chunks(source: BinaryIO, target: BinaryIO, cipher: _ChunkCipher) -> bytes:
    records = hashlib.sha256()
    while True:
        length_bytes = _read_up_to(source, 4)
        if len(length_bytes) < 4:
            raise PackageTampered(f"the file ends before chunk {cipher.index}, cut short")
        length = int.from_bytes(length_bytes, "big")
        if not _TAG_SIZE <= length <= _FULL_RECORD:
            raise PackageTampered(f"chunk {cipher.index} claims {length} bytes")
        ciphertext = _read_up_to(source, length)
        if len(ciphertext) < length:
            raise PackageTampered(f"the file ends inside chunk {cipher.index}, cut short")
        last = length < _FULL_RECORD
        target.write(cipher.open(ciphertext, last=last))
        records.update(length_bytes)
        records.update(ciphertext)
        if last:
            return records.digest()


def _check_signature(source: BinaryIO, signer: PublicKey, signed: bytes) -> None:
    signature = _read_up_to(source, _SIGNATURE_SIZE)
    if len(signature) < _SIGNATURE_SIZE:
        raise PackageTampered("the file ends inside its signature, cut short")
    if source.read(1):
        raise PackageTampered("bytes follow its signature")
    try:
        signer.verify(signature, signed)
    except InvalidSignature:
        raise PackageTampered("the sender's signature does not verify") from None


def _read_up_to(stream: BinaryIO, size: int) -> bytes:
    """``size`` bytes, fewer only at the end of the stream: pipes may return less per read."""
    data = stream.read(size)
    while data and len(data) < size:
        more = stream.read(size - len(data))
        if not more:
            break
        data += more
    return data


def _create_private_file(path: Path, *, exclusive: bool = False) -> BinaryIO:
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    file = os.fdopen(os.open(path, flags, 0o600), "wb")
    os.fchmod(file.fileno(), 0o600)  # a file left from before may have had looser bits
    return file
