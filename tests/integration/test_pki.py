"""The deployment CA, node certificates, envelope signatures and the signed directory."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from typer.testing import CliRunner

from jukinet.adapters.crypto.ca import (
    CertificateAuthorityExists,
    CertificateAuthorityMissing,
    DeploymentCA,
    InvalidHost,
    InvalidNodeId,
    NodeAlreadyIssued,
    NodeCredentials,
)
from jukinet.adapters.crypto.directory_files import (
    DirectoryTampered,
    load_signed_directory,
    write_signed_directory,
)
from jukinet.adapters.crypto.signers import CertificateVerifier, NodeSigner
from jukinet.cli.pki import app
from jukinet.protocol.catalogue import DigestRequest, Role
from jukinet.protocol.directory import Directory, NodeEntry
from jukinet.protocol.envelope import Envelope, new_message, utc_timestamp
from jukinet.protocol.errors import BadSignature
from jukinet.protocol.reception import check_envelope, seal

NOW = datetime.now(UTC)


@pytest.fixture
def ca(tmp_path: Path) -> DeploymentCA:
    return DeploymentCA.init(tmp_path / "pki")


@pytest.fixture
def other_ca(tmp_path: Path) -> DeploymentCA:
    return DeploymentCA.init(tmp_path / "other-pki", "another deployment CA")


def entry(credentials: NodeCredentials, role: Role, node_id: str | None = None) -> NodeEntry:
    return NodeEntry(
        id=node_id or credentials.node_id,
        role=role,
        endpoint=f"https://{credentials.node_id}.example:8443",
        certificate=credentials.cert_pem,
        prefectures=("13",) if role is Role.PREFECTURE else (),
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# The CA


def test_init_creates_a_ten_year_ca_whose_key_only_the_owner_can_read(ca: DeploymentCA) -> None:
    certificate = x509.load_pem_x509_certificate((ca.folder / "ca.cert.pem").read_bytes())

    assert mode(ca.folder / "ca.key.pem") == 0o600
    assert certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign
    assert usage.crl_sign
    certificate.verify_directly_issued_by(certificate)  # self-signed
    lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert timedelta(days=3649) < lifetime < timedelta(days=3651)


def test_init_refuses_to_overwrite_an_existing_ca(ca: DeploymentCA) -> None:
    key_before = (ca.folder / "ca.key.pem").read_bytes()

    with pytest.raises(CertificateAuthorityExists, match="already exists"):
        DeploymentCA.init(ca.folder)

    assert (ca.folder / "ca.key.pem").read_bytes() == key_before


def test_a_loaded_ca_issues_certificates_the_original_certificate_vouches_for(
    ca: DeploymentCA,
) -> None:
    loaded = DeploymentCA.load(ca.folder)
    issued = loaded.issue_node("national")

    assert loaded.cert_pem == ca.cert_pem
    issued.certificate.verify_directly_issued_by(ca.certificate)


def test_loading_a_folder_without_a_ca_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(CertificateAuthorityMissing, match="jukinet pki init"):
        DeploymentCA.load(tmp_path)


# Node certificates


def test_a_node_certificate_names_the_node_and_the_hosts_it_serves(ca: DeploymentCA) -> None:
    issued = ca.issue_node("municipality-131016", ["muni.example.jp", "10.0.0.7"])
    certificate = x509.load_pem_x509_certificate(issued.cert_path.read_bytes())
    san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    eku = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value

    assert issued.key_path == ca.folder / "nodes" / "municipality-131016.key.pem"
    assert mode(issued.key_path) == 0o600
    assert certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == (
        "municipality-131016"
    )
    assert san.get_values_for_type(x509.DNSName) == ["muni.example.jp"]
    assert [str(ip) for ip in san.get_values_for_type(x509.IPAddress)] == ["10.0.0.7"]
    assert san.get_values_for_type(x509.UniformResourceIdentifier) == [
        "urn:jukinet:node:municipality-131016"
    ]
    assert set(eku) == {ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH}
    lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert timedelta(days=729) < lifetime < timedelta(days=731)


@pytest.mark.parametrize(
    "node_id",
    ["Municipality-131016", "national_1", "-national", "national-", "a--b", "../ca", "", "a" * 65],
)
def test_a_malformed_node_id_is_refused_before_anything_is_written(
    ca: DeploymentCA, node_id: str
) -> None:
    with pytest.raises(InvalidNodeId, match="lowercase letters and digits"):
        ca.issue_node(node_id)

    assert not (ca.folder / "nodes").exists()


def test_a_host_that_is_neither_ip_nor_dns_name_is_refused(ca: DeploymentCA) -> None:
    with pytest.raises(InvalidHost, match="'bad host'"):
        ca.issue_node("national", ["localhost", "bad host"])


def test_reissuing_a_node_needs_replace_and_then_gives_it_a_new_key(ca: DeploymentCA) -> None:
    first = ca.issue_node("national")

    with pytest.raises(NodeAlreadyIssued, match="national"):
        ca.issue_node("national")
    second = ca.issue_node("national", replace=True)

    assert second.cert_pem != first.cert_pem
    assert [node.cert_pem for node in ca.issued()] == [second.cert_pem]


# Envelope signatures


def test_a_signature_verifies_only_over_the_signed_bytes_and_with_the_signers_certificate(
    ca: DeploymentCA,
) -> None:
    national = ca.issue_node("national")
    prefecture = ca.issue_node("prefecture")
    signature = NodeSigner.from_files("national", national.key_path).sign(b"payload")
    verifier = CertificateVerifier(ca.cert_pem)

    assert verifier.verify(entry(national, Role.NATIONAL), b"payload", signature)
    assert not verifier.verify(entry(national, Role.NATIONAL), b"payloaD", signature)
    assert not verifier.verify(entry(national, Role.NATIONAL), b"payload", b"\0" * 64)
    assert not verifier.verify(entry(prefecture, Role.PREFECTURE), b"payload", signature)


def test_a_sealed_envelope_passes_reception_and_a_tampered_one_is_refused(
    ca: DeploymentCA,
) -> None:
    national, prefecture = ca.issue_node("national"), ca.issue_node("prefecture")
    directory = Directory.of([entry(national, Role.NATIONAL), entry(prefecture, Role.PREFECTURE)])
    request = DigestRequest(municipality_code="131016", detail=False)
    message = new_message(
        request.TYPE, request.VERSION, request.to_body(), stream="digest", sequence=1, now=NOW
    )
    envelope = Envelope("env-1", "national", "prefecture", utc_timestamp(NOW), (message,))
    sealed = seal(NodeSigner.from_files("national", national.key_path), envelope)
    verifier = CertificateVerifier(ca.cert_pem)

    received = check_envelope(
        Envelope.from_bytes(sealed.to_bytes()),
        me="prefecture",
        directory=directory,
        verifier=verifier,
        now=NOW,
    )
    tampered = Envelope.from_bytes(sealed.to_bytes().replace(b"131016", b"131024"))

    assert received.bodies == (request,)
    with pytest.raises(BadSignature):
        check_envelope(tampered, me="prefecture", directory=directory, verifier=verifier, now=NOW)


def test_a_certificate_from_another_ca_is_not_trusted(
    ca: DeploymentCA, other_ca: DeploymentCA
) -> None:
    impostor = other_ca.issue_node("national")
    signature = NodeSigner.from_files("national", impostor.key_path).sign(b"payload")

    assert not CertificateVerifier(ca.cert_pem).verify(
        entry(impostor, Role.NATIONAL), b"payload", signature
    )


def test_a_certificate_issued_for_another_node_id_is_not_trusted(ca: DeploymentCA) -> None:
    prefecture = ca.issue_node("prefecture")
    signature = NodeSigner.from_files("prefecture", prefecture.key_path).sign(b"payload")

    assert not CertificateVerifier(ca.cert_pem).verify(
        entry(prefecture, Role.NATIONAL, node_id="national"), b"payload", signature
    )


@pytest.mark.parametrize(
    "clock",
    [lambda: NOW + timedelta(days=731), lambda: NOW - timedelta(days=1)],
    ids=["expired", "not-yet-valid"],
)
def test_a_certificate_outside_its_validity_period_is_not_trusted(
    ca: DeploymentCA, clock: Callable[[], datetime]
) -> None:
    national = ca.issue_node("national")
    signature = NodeSigner.from_files("national", national.key_path).sign(b"payload")

    assert not CertificateVerifier(ca.cert_pem, clock=clock).verify(
        entry(national, Role.NATIONAL), b"payload", signature
    )


def test_an_entry_whose_certificate_is_not_pem_fails_verification_without_raising(
    ca: DeploymentCA,
) -> None:
    node = NodeEntry("national", Role.NATIONAL, "https://national:8443", "not a certificate")

    assert not CertificateVerifier(ca.cert_pem).verify(node, b"payload", b"\0" * 64)


# The signed directory


@pytest.fixture
def directory(ca: DeploymentCA) -> Directory:
    return Directory.of(
        [
            entry(ca.issue_node("national"), Role.NATIONAL),
            entry(ca.issue_node("prefecture"), Role.PREFECTURE),
        ]
    )


def test_a_signed_directory_loads_back_unchanged(
    ca: DeploymentCA, directory: Directory, tmp_path: Path
) -> None:
    path = tmp_path / "directory.json"
    write_signed_directory(directory, ca, path)

    assert load_signed_directory(path, ca.cert_pem) == directory


def test_a_directory_edited_after_signing_is_refused(
    ca: DeploymentCA, directory: Directory, tmp_path: Path
) -> None:
    path = tmp_path / "directory.json"
    write_signed_directory(directory, ca, path)
    document = json.loads(path.read_text())
    document["directory"]["nodes"][0]["endpoint"] = "https://attacker.example:8443"
    path.write_text(json.dumps(document))

    with pytest.raises(DirectoryTampered, match="signature does not verify"):
        load_signed_directory(path, ca.cert_pem)


def test_a_directory_signed_by_another_ca_is_refused(
    ca: DeploymentCA, other_ca: DeploymentCA, directory: Directory, tmp_path: Path
) -> None:
    path = tmp_path / "directory.json"
    write_signed_directory(directory, other_ca, path)

    with pytest.raises(DirectoryTampered, match="signature does not verify"):
        load_signed_directory(path, ca.cert_pem)


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"[]",
        b'{"directory": {}, "signed_at": "2026-01-01T00:00:00.000Z"}',
        b'{"directory": {}, "signed_at": "2026-01-01T00:00:00.000Z", "signature": 7}',
        b'{"directory": {}, "signed_at": "2026-01-01T00:00:00.000Z", "signature": "a"}',
    ],
    ids=["not-json", "not-object", "unsigned", "signature-not-string", "signature-not-base64"],
)
def test_a_malformed_directory_file_is_refused(
    ca: DeploymentCA, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "directory.json"
    path.write_bytes(content)

    with pytest.raises(DirectoryTampered, match=r"Refusing the directory file .*directory\.json"):
        load_signed_directory(path, ca.cert_pem)


# The command line

runner = CliRunner()


def test_the_cli_creates_a_ca_issues_a_node_and_lists_it(tmp_path: Path) -> None:
    folder = str(tmp_path / "pki")

    created = runner.invoke(app, ["init", "--dir", folder])
    issued = runner.invoke(
        app, ["issue", "municipality-131016", "--dir", folder, "--host", "muni.example.jp"]
    )
    shown = runner.invoke(app, ["show", "--dir", folder])

    assert created.exit_code == 0, created.output
    assert "ca.cert.pem" in created.stdout
    assert issued.exit_code == 0, issued.output
    assert "municipality-131016.key.pem" in issued.stdout
    assert "municipality-131016.cert.pem" in issued.stdout
    fingerprint = issued.stdout.split("fingerprint")[1].split()[0]
    assert len(fingerprint.split(":")) == 32  # SHA-256
    certificate = DeploymentCA.load(Path(folder)).issued()[0].certificate
    san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["muni.example.jp"]
    assert shown.exit_code == 0, shown.output
    assert "jukinet deployment CA" in shown.stdout
    expiry = f"expires {certificate.not_valid_after_utc:%Y-%m-%d}"
    assert "municipality-131016" in shown.stdout
    assert expiry in shown.stdout
    assert fingerprint in shown.stdout


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        (["init"], "already exists"),
        (["issue", "Bad_Id"], "'Bad_Id' is invalid"),
        (["issue", "national", "--host", "bad host"], "'bad host'"),
    ],
)
def test_the_cli_reports_a_refusal_in_one_line_and_exits_1(
    ca: DeploymentCA, arguments: list[str], problem: str
) -> None:
    result = runner.invoke(app, [*arguments, "--dir", str(ca.folder)])

    assert result.exit_code == 1
    assert result.stdout == ""
    assert problem in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_the_cli_says_how_to_create_a_missing_ca(tmp_path: Path) -> None:
    result = runner.invoke(app, ["show", "--dir", str(tmp_path)])

    assert result.exit_code == 1
    assert "jukinet pki init" in result.stderr
