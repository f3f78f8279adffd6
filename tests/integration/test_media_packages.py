"""Encrypted, signed packages carried on media between an agency and J-LIS (一括提供)."""

from __future__ import annotations

import hashlib
import io
import stat
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from jukinet.adapters.crypto.ca import (
    DeploymentCA,
    NodeCredentials,
    PublicKey,
    UnreadableKeyMaterial,
    load_private_key,
)
from jukinet.adapters.crypto.packages import (
    CHUNK_SIZE,
    MAGIC,
    HeaderValue,
    MediaKey,
    NotAPackage,
    NotForThisKey,
    PackageTampered,
    SignerNotTrusted,
    ca_trust,
    load_media_public_key,
    open_sealed,
    open_sealed_file,
    seal,
)

RECORD = 4 + CHUNK_SIZE + 16
SIGNATURE = 64
REQUEST_FIELDS: dict[str, HeaderValue] = {
    "kind": "batch-request",
    "agency": "agency-nenkin",
    "request_id": "req-0001",
    "rows": 17000,
    "note": None,
}


@pytest.fixture
def ca(tmp_path: Path) -> DeploymentCA:
    return DeploymentCA.init(tmp_path / "pki")


@pytest.fixture
def agency(ca: DeploymentCA) -> NodeCredentials:
    return ca.issue_node("agency-nenkin")


@pytest.fixture
def jlis_key() -> MediaKey:
    return MediaKey.generate()


def resident_csv(rows: int) -> bytes:
    lines = ["住民票コード,氏名,生年月日,住所\n"]
    for row in range(rows):
        lines.append(f"{row:011d},渡辺 花子,1985-04-01,東京都千代田区永田町一丁目{row}番\n")
    return "".join(lines).encode("shift_jis")


def seal_bytes(
    payload: bytes,
    sender: NodeCredentials,
    recipient: MediaKey,
    fields: dict[str, HeaderValue] = REQUEST_FIELDS,
) -> bytes:
    package = io.BytesIO()
    seal(
        io.BytesIO(payload),
        package,
        header=fields,
        recipient=recipient.public_key,
        signer_key=load_private_key(sender.key_path),
        signer_cert_pem=sender.cert_pem.encode(),
    )
    return package.getvalue()


def open_bytes(
    package: bytes, key: MediaKey, trust: Callable[[bytes], PublicKey]
) -> tuple[bytes, dict[str, HeaderValue]]:
    plaintext = io.BytesIO()
    fields = open_sealed(io.BytesIO(package), plaintext, recipient_key=key, trust=trust)
    return plaintext.getvalue(), fields


def body_start(package: bytes) -> int:
    header_length = int.from_bytes(package[len(MAGIC) : len(MAGIC) + 4], "big")
    return len(MAGIC) + 4 + header_length


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# Round trips


def test_an_agency_request_reaches_jlis_intact_and_unreadable_on_the_media(
    ca: DeploymentCA, agency: NodeCredentials, jlis_key: MediaKey
) -> None:
    payload = resident_csv(17000)
    presented: list[bytes] = []

    def trust(cert_pem: bytes) -> PublicKey:
        presented.append(cert_pem)
        return ca_trust(ca.cert_pem)(cert_pem)

    package = seal_bytes(payload, agency, jlis_key)
    plaintext, fields = open_bytes(package, jlis_key, trust)

    assert len(payload) > 15 * CHUNK_SIZE
    assert plaintext == payload
    assert fields == REQUEST_FIELDS
    assert presented == [agency.cert_pem.encode()]
    assert "永田町".encode("shift_jis") not in package
    assert "渡辺".encode("shift_jis") not in package


@pytest.mark.parametrize(
    "size",
    [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, 3 * CHUNK_SIZE, 3 * CHUNK_SIZE + 5],
    ids=["empty", "one-byte", "just-under-a-chunk", "one-chunk", "whole-chunks", "ragged"],
)
def test_payloads_of_any_size_round_trip(
    ca: DeploymentCA, agency: NodeCredentials, jlis_key: MediaKey, size: int
) -> None:
    payload = bytes(range(256)) * (size // 256) + bytes(size % 256)

    plaintext, fields = open_bytes(
        seal_bytes(payload, agency, jlis_key), jlis_key, ca_trust(ca.cert_pem)
    )

    assert plaintext == payload
    assert fields == REQUEST_FIELDS


def test_jlis_seals_the_result_to_the_media_key_the_agency_sent_with_its_request(
    ca: DeploymentCA, tmp_path: Path
) -> None:
    jlis = ca.issue_node("jlis")
    request_key = MediaKey.generate()
    (tmp_path / "request.pub.pem").write_bytes(request_key.public_pem())
    result_key_at_jlis = load_media_public_key(tmp_path / "request.pub.pem")
    result = resident_csv(100)

    package = io.BytesIO()
    seal(
        io.BytesIO(result),
        package,
        header={"kind": "batch-result", "request_id": "req-0001"},
        recipient=result_key_at_jlis,
        signer_key=load_private_key(jlis.key_path),
        signer_cert_pem=jlis.cert_pem.encode(),
    )
    plaintext, fields = open_bytes(package.getvalue(), request_key, ca_trust(ca.cert_pem))

    assert result_key_at_jlis.public_bytes_raw() == request_key.public_bytes()
    assert plaintext == result
    assert fields == {"kind": "batch-result", "request_id": "req-0001"}


# Refusals


def test_a_package_sealed_to_another_media_key_says_so(
    ca: DeploymentCA, agency: NodeCredentials, jlis_key: MediaKey
) -> None:
    other_key = MediaKey.generate()
    package = seal_bytes(b"data", agency, other_key)

    with pytest.raises(NotForThisKey, match=f"sealed to the media key {other_key.key_id}") as error:
        open_bytes(package, jlis_key, ca_trust(ca.cert_pem))

    assert error.value.key_id == jlis_key.key_id


def flip_ciphertext(package: bytes) -> bytes:
    at = body_start(package) + RECORD + 100
    return package[:at] + bytes([package[at] ^ 1]) + package[at + 1 :]


def edit_header_field(package: bytes) -> bytes:
    return package.replace(b'"request_id":"req-0001"', b'"request_id":"req-0002"', 1)


def flip_signature(package: bytes) -> bytes:
    return package[:-1] + bytes([package[-1] ^ 1])


def flip_record_length(package: bytes) -> bytes:
    at = body_start(package) + 2
    return package[:at] + bytes([package[at] ^ 1]) + package[at + 1 :]


def cut_inside_last_chunk(package: bytes) -> bytes:
    return package[: -SIGNATURE - 10]


def drop_last_chunk(package: bytes) -> bytes:
    full_records = (len(package) - body_start(package) - SIGNATURE) // RECORD
    return package[: body_start(package) + full_records * RECORD]


def drop_signature(package: bytes) -> bytes:
    return package[:-SIGNATURE]


def swap_first_two_chunks(package: bytes) -> bytes:
    start = body_start(package)
    first, second = package[start : start + RECORD], package[start + RECORD : start + 2 * RECORD]
    return package[:start] + second + first + package[start + 2 * RECORD :]


def append_bytes(package: bytes) -> bytes:
    return package + b"\n"


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (flip_ciphertext, "chunk 1 fails authentication"),
        (edit_header_field, "chunk 0 fails authentication"),
        (flip_signature, "signature does not verify"),
        (flip_record_length, "chunk 0"),
        (cut_inside_last_chunk, "ends inside chunk 3"),
        (drop_last_chunk, "ends before chunk 3"),
        (drop_signature, "ends inside its signature"),
        (swap_first_two_chunks, "chunk 0 fails authentication"),
        (append_bytes, "bytes follow its signature"),
    ],
)
def test_a_package_altered_on_the_way_is_refused(
    ca: DeploymentCA,
    agency: NodeCredentials,
    jlis_key: MediaKey,
    tamper: Callable[[bytes], bytes],
    reason: str,
) -> None:
    package = seal_bytes(resident_csv(3500), agency, jlis_key)  # three full chunks and a part
    tampered = tamper(package)

    assert tampered != package
    with pytest.raises(PackageTampered, match=reason):
        open_bytes(tampered, jlis_key, ca_trust(ca.cert_pem))


def test_a_package_re_signed_by_someone_else_over_the_same_header_is_refused(
    ca: DeploymentCA, agency: NodeCredentials, jlis_key: MediaKey
) -> None:
    intruder = ca.issue_node("intruder")
    package = seal_bytes(b"data", agency, jlis_key)
    forged_signature = load_private_key(intruder.key_path).sign(package[:-SIGNATURE])

    with pytest.raises(PackageTampered, match="signature does not verify"):
        open_bytes(package[:-SIGNATURE] + forged_signature, jlis_key, ca_trust(ca.cert_pem))


def test_a_signer_certified_by_another_ca_is_refused_before_anything_is_decrypted(
    ca: DeploymentCA, tmp_path: Path, jlis_key: MediaKey
) -> None:
    other_ca = DeploymentCA.init(tmp_path / "other-pki", "another deployment CA")
    impostor = other_ca.issue_node("agency-nenkin")
    package = seal_bytes(b"data", impostor, jlis_key)
    plaintext = io.BytesIO()

    with pytest.raises(SignerNotTrusted, match="deployment CA did not issue 'CN=agency-nenkin'"):
        ca_trust(ca.cert_pem)(impostor.cert_pem.encode())
    with pytest.raises(SignerNotTrusted):
        open_sealed(
            io.BytesIO(package), plaintext, recipient_key=jlis_key, trust=ca_trust(ca.cert_pem)
        )
    assert plaintext.getvalue() == b""


def test_an_expired_signer_certificate_is_refused(
    ca: DeploymentCA, agency: NodeCredentials
) -> None:
    three_years_on = datetime.now(UTC) + timedelta(days=3 * 365)

    with pytest.raises(SignerNotTrusted, match="is valid from"):
        ca_trust(ca.cert_pem, clock=lambda: three_years_on)(agency.cert_pem.encode())


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "does not start with"),
        ("住民票コード,氏名\n".encode("shift_jis"), "does not start with"),
        (MAGIC + (10).to_bytes(4, "big") + b'{"vers', "ends inside its header"),
        (MAGIC + (2**20).to_bytes(4, "big"), "header length"),
        (MAGIC + (13).to_bytes(4, "big") + b'{"version":2}', "format version 2"),
        (MAGIC + (14).to_bytes(4, "big") + b'{"version":1.0', "not UTF-8 JSON"),
        (MAGIC + (13).to_bytes(4, "big") + b'{"version":1}', "exactly the keys"),
    ],
    ids=["empty", "plain-csv", "cut-header", "huge-header", "version-2", "float", "keys"],
)
def test_a_file_that_is_not_a_package_is_named_so(
    ca: DeploymentCA, jlis_key: MediaKey, content: bytes, reason: str
) -> None:
    with pytest.raises(NotAPackage, match=reason):
        open_bytes(content, jlis_key, ca_trust(ca.cert_pem))


def test_sealing_refuses_a_certificate_of_another_key_and_non_text_header_values(
    ca: DeploymentCA, agency: NodeCredentials, jlis_key: MediaKey
) -> None:
    other = ca.issue_node("other-agency")

    with pytest.raises(ValueError, match="certifies another key"):
        seal(
            io.BytesIO(b"data"),
            io.BytesIO(),
            header={},
            recipient=jlis_key.public_key,
            signer_key=load_private_key(agency.key_path),
            signer_cert_pem=other.cert_pem.encode(),
        )
    with pytest.raises(ValueError, match="'urgent'"):
        seal_bytes(b"data", agency, jlis_key, fields={"urgent": True})


# Files on disk


def test_a_media_key_file_is_readable_by_its_owner_only_and_never_overwritten(
    tmp_path: Path,
) -> None:
    key = MediaKey.generate()
    path = tmp_path / "jlis-media.key.pem"

    key.save(path)
    with pytest.raises(FileExistsError):
        MediaKey.generate().save(path)

    assert mode(path) == 0o600
    assert MediaKey.load(path).public_bytes() == key.public_bytes()


def test_a_node_key_or_a_public_key_is_not_taken_for_a_media_key(
    agency: NodeCredentials, tmp_path: Path
) -> None:
    (tmp_path / "media.pub.pem").write_bytes(MediaKey.generate().public_pem())

    with pytest.raises(UnreadableKeyMaterial, match="not an X25519 media key"):
        MediaKey.load(agency.key_path)
    with pytest.raises(UnreadableKeyMaterial, match="not an unencrypted PEM private key"):
        MediaKey.load(tmp_path / "media.pub.pem")
    with pytest.raises(UnreadableKeyMaterial, match="not an unencrypted PEM public key"):
        load_media_public_key(agency.cert_path)


def test_opening_to_a_file_leaves_no_plaintext_behind_when_the_package_was_altered(
    ca: DeploymentCA, agency: NodeCredentials, jlis_key: MediaKey, tmp_path: Path
) -> None:
    package = seal_bytes(resident_csv(3500), agency, jlis_key)
    (tmp_path / "good.pkg").write_bytes(package)
    (tmp_path / "cut.pkg").write_bytes(cut_inside_last_chunk(package))
    trust = ca_trust(ca.cert_pem)

    fields = open_sealed_file(
        tmp_path / "good.pkg", tmp_path / "good.csv", recipient_key=jlis_key, trust=trust
    )
    with pytest.raises(PackageTampered):
        open_sealed_file(
            tmp_path / "cut.pkg", tmp_path / "cut.csv", recipient_key=jlis_key, trust=trust
        )

    assert fields == REQUEST_FIELDS
    assert (tmp_path / "good.csv").read_bytes() == resident_csv(3500)
    assert mode(tmp_path / "good.csv") == 0o600
    assert sorted(path.name for path in tmp_path.iterdir() if path.suffix == ".csv") == ["good.csv"]
    assert not list(tmp_path.glob(".*.partial"))


# Memory


class GeneratedStream(io.RawIOBase):
    """``size`` bytes of CSV made on demand, like a pipe: reads may return fewer bytes than
    asked. Refuses the whole-file reads that would load it all."""

    def __init__(self, size: int) -> None:
        self._left = size
        self._block = "01234567890,渡辺 花子,東京都\n".encode("shift_jis") * 2000
        self._at = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0 or size > 1024 * 1024:
            raise AssertionError(f"read({size}) would load the stream whole")
        data = self._block[self._at : self._at + min(size, self._left)]
        self._at = (self._at + len(data)) % len(self._block)
        self._left -= len(data)
        return data


class DigestSink(io.RawIOBase):
    """Keeps only the SHA-256 and length of what is written."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return len(data)


def test_sealing_and_opening_50_mb_use_a_bounded_amount_of_memory(
    ca: DeploymentCA, agency: NodeCredentials, jlis_key: MediaKey, tmp_path: Path
) -> None:
    size = 50 * 1024 * 1024
    expected = DigestSink()
    source = GeneratedStream(size)
    while chunk := source.read(CHUNK_SIZE):
        expected.write(chunk)
    package_path, plaintext = tmp_path / "big.pkg", DigestSink()

    tracemalloc.start()
    try:
        with package_path.open("wb") as package:
            seal(
                GeneratedStream(size),
                package,
                header={"rows": size},
                recipient=jlis_key.public_key,
                signer_key=load_private_key(agency.key_path),
                signer_cert_pem=agency.cert_pem.encode(),
            )
        with package_path.open("rb") as package:
            open_sealed(package, plaintext, recipient_key=jlis_key, trust=ca_trust(ca.cert_pem))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert plaintext.size == size
    assert plaintext.digest.digest() == expected.digest.digest()
    assert peak < 1024 * 1024  # 50 MB went through; a few chunks were held at a time
