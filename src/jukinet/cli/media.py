"""磁気媒体による一括提供: batch requests and results carried on media, sealed end to end.

The agency packs its file of keys (``jukinet agency batch pack``): encrypted to J-LIS's media
key, which came with its credentials, and signed with its own key. A fresh key pair for the
answer is kept beside the package. At J-LIS an operator loads the package (``jukinet batch
load``): the signer must hold a registered, unrevoked agency credential, the law must allow
the affair on media, and the rows are matched and logged like any batch. The result is
encrypted to the agency's answer key and signed by the national node; the agency opens it
with ``jukinet agency batch unpack``. Nothing readable is left on disk at either end except
the final plaintext each side asked for.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from cryptography import x509
from rich.progress import Progress

from jukinet.adapters.crypto.ca import PublicKey
from jukinet.adapters.crypto.packages import (
    MediaKey,
    SignerNotTrusted,
    ca_trust,
    load_media_public_key,
    open_sealed_file,
    seal,
)
from jukinet.adapters.crypto.request_signatures import certificate_fingerprint
from jukinet.adapters.network.recipient_client import RecipientCredentials
from jukinet.bootstrap import MEDIA_PUBLIC_KEY, Node, media_key, open_node
from jukinet.cli.nodes import HomeOption, _settings, console
from jukinet.domain.provision import Channel
from jukinet.nodes.provision.batch_input import BatchFormat
from jukinet.nodes.provision.batches import (
    BatchRequest,
    batch_results,
    match_next_chunk,
    receive_batch,
)
from jukinet.nodes.provision.providers import Caller
from jukinet.settings import Settings

app = typer.Typer(no_args_is_help=True)


def pack_request(
    credentials: RecipientCredentials,
    source: Path,
    target: Path,
    request: BatchRequest,
    operator: str,
) -> Path:
    """Seal ``source`` for J-LIS; returns the answer key's path (``<target>.key``)."""
    answer_key = MediaKey.generate()
    key_path = target.with_name(target.name + ".key")
    answer_key.save(key_path)
    header: dict[str, str | int | None] = {
        "kind": "batch-request",
        "recipient": credentials.recipient_id,
        "operator": operator,
        "affair": request.affair,
        "format": request.format.value,
        "encoding": request.encoding,
        "history": int(request.history),
        "answer_key": answer_key.public_pem().decode(),
    }
    recipient = load_media_public_key(credentials.folder / MEDIA_PUBLIC_KEY)
    cert_pem = (credentials.folder / "client.cert.pem").read_bytes()
    with source.open("rb") as plain, target.open("wb") as sealed:
        seal(
            plain,
            sealed,
            header=header,
            recipient=recipient,
            signer_key=credentials.key,
            signer_cert_pem=cert_pem,
        )
    return key_path


def load_request(
    node: Node, package: Path, target: Path, progress: Callable[[int, int], None] | None = None
) -> dict[str, object]:
    """Open, match and answer a media request at the national node; write the sealed result."""
    provider = node.provider
    assert provider is not None
    signers: list[str] = []
    with tempfile.TemporaryDirectory(prefix="jukinet-media-") as work:
        plain = Path(work) / "request"
        header = open_sealed_file(
            package,
            plain,
            recipient_key=media_key(_settings_of(node)),
            trust=_registered_agency(node, signers),
        )
        if header["recipient"] != signers[0]:  # a credential speaks only for its own agency
            raise SignerNotTrusted(
                f"the package names {header['recipient']!r} but is signed by {signers[0]!r}"
            )
        caller = Caller(signers[0], str(header["operator"]))
        request = BatchRequest(
            str(header["affair"]),
            Channel.MEDIA_BATCH,
            BatchFormat(str(header["format"])),
            None if header["encoding"] is None else str(header["encoding"]),
            bool(header["history"]),
        )
        with plain.open("rb") as rows:
            ticket = receive_batch(request, rows, caller, provider)
        done = 0
        while (matched := match_next_chunk(ticket.batch_id, provider)) is not None:
            done += matched
            if progress is not None:
                progress(done, ticket.rows_total)
        answers = Path(work) / "answers"
        _write_answers(ticket.batch_id, caller, node, answers)
        _seal_answers(node, answers, target, str(header["answer_key"]), ticket.batch_id)
    return {"batch_id": ticket.batch_id, "rows": ticket.rows_total, **header}


def unpack_result(
    credentials: RecipientCredentials, package: Path, key_path: Path, target: Path
) -> dict[str, object]:
    """Open J-LIS's answer with the key kept when the request was packed."""
    trust = _node_named(credentials.node_id, (credentials.folder / "ca.cert.pem").read_bytes())
    return dict(
        open_sealed_file(package, target, recipient_key=MediaKey.load(key_path), trust=trust)
    )


def _write_answers(batch_id: str, caller: Caller, node: Node, target: Path) -> None:
    assert node.provider is not None
    after = 0
    with target.open("w", encoding="utf-8") as out:
        while page := batch_results(batch_id, caller, node.provider, after):
            out.writelines(row.content + "\n" for row in page)
            after = page[-1].number


def _seal_answers(
    node: Node, answers: Path, target: Path, answer_key_pem: str, batch_id: str
) -> None:
    key_file = answers.with_name("answer.pub.pem")
    key_file.write_text(answer_key_pem, "ascii")
    assert node.signer is not None
    with answers.open("rb") as plain, target.open("wb") as sealed:
        seal(
            plain,
            sealed,
            header={"kind": "batch-result", "batch_id": batch_id},
            recipient=load_media_public_key(key_file),
            signer_key=node.signer.private_key,
            signer_cert_pem=node.entry.certificate.encode(),
        )


def _settings_of(node: Node) -> Settings:
    assert node.settings is not None
    return node.settings


def _registered_agency(node: Node, signers: list[str]) -> Callable[[bytes], PublicKey]:
    """Trust a request's signer only if the CA issued its certificate and it is a registered,
    unrevoked agency credential; the agency it belongs to is appended to ``signers``."""
    # Certificates are checked against real time, as envelope signatures are (signers.py).
    by_ca = ca_trust((_settings_of(node).pki_dir / "ca.cert.pem").read_bytes())

    def trust(cert_pem: bytes) -> PublicKey:
        key = by_ca(cert_pem)
        assert node.credentials is not None
        fingerprint = certificate_fingerprint(x509.load_pem_x509_certificate(cert_pem))
        credential = node.credentials.get(fingerprint)
        if credential is None or credential.kind != "agency" or credential.revoked_at:
            raise SignerNotTrusted("the signer is not a registered, unrevoked agency credential")
        signers.append(credential.recipient_id)
        return key

    return trust


def _node_named(node_id: str, ca_pem: bytes) -> Callable[[bytes], PublicKey]:
    by_ca = ca_trust(ca_pem)

    def trust(cert_pem: bytes) -> PublicKey:
        key = by_ca(cert_pem)
        subject = x509.load_pem_x509_certificate(cert_pem).subject.rfc4514_string()
        if subject != f"CN={node_id}":
            raise SignerNotTrusted(f"the result was signed by {subject}, not by {node_id}")
        return key

    return trust


@app.command("load")
def load(
    package: Annotated[Path, typer.Argument(help="the agency's sealed request (.jkp)")],
    out: Annotated[Path, typer.Option("--out", help="where to write the sealed result")],
    home: HomeOption = None,
) -> None:
    """Load a batch request brought on media, answer it, and write the sealed result."""
    node = open_node("national", _settings(home))
    with Progress(console=console) as bar:
        task = bar.add_task("matching", total=None)
        summary = load_request(
            node, package, out, lambda d, t: bar.update(task, completed=d, total=t)
        )
    console.print(
        f"batch {summary['batch_id']} of {summary['recipient']} ({summary['affair']}): "
        f"{summary['rows']:,} rows answered; result sealed to {out}"
    )
