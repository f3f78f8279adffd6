"""``jukinet pki``: run the deployment CA from the command line.

``init`` creates the CA, ``issue`` gives a node its key and certificate, ``show`` lists what
the CA issued and when each certificate expires. A refusal prints one line to stderr and exits
with status 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from cryptography import x509

from jukinet.adapters.crypto.ca import DeploymentCA, PkiError, fingerprint

app = typer.Typer(
    help="Run the deployment CA: create it, issue node certificates, list what it issued.",
    no_args_is_help=True,
)

Folder = Annotated[
    Path, typer.Option("--dir", help="The CA folder (holds ca.key.pem, ca.cert.pem, nodes/).")
]


@contextmanager
def _refusals() -> Iterator[None]:
    """Turn a refusal into one line on stderr and exit status 1."""
    try:
        yield
    except PkiError as error:
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(1) from None


@app.command()
def init(
    folder: Folder,
    name: Annotated[str, typer.Option(help="The CA certificate's common name.")] = (
        "jukinet deployment CA"
    ),
) -> None:
    """Create the deployment CA (an Ed25519 key and a 10-year certificate)."""
    with _refusals():
        ca = DeploymentCA.init(folder, name)
    typer.echo(f"Created the deployment CA in {ca.folder}")
    typer.echo(f"  certificate  {ca.cert_path}")
    typer.echo(f"  fingerprint  {fingerprint(ca.certificate)}")


@app.command()
def issue(
    node_id: Annotated[str, typer.Argument(help="e.g. national, municipality-131016")],
    folder: Folder,
    host: Annotated[
        list[str] | None,
        typer.Option(help="A DNS name or IP address the node serves on (repeatable)."),
    ] = None,
    replace: Annotated[bool, typer.Option(help="Reissue a node that has a certificate.")] = False,
) -> None:
    """Issue a node key and a 2-year certificate for TLS and envelope signatures."""
    with _refusals():
        ca = DeploymentCA.load(folder)
        hosts = host if host else ("localhost", "127.0.0.1")
        issued = ca.issue_node(node_id, hosts, replace=replace)
    typer.echo(f"Issued a certificate for {issued.node_id}")
    typer.echo(f"  key          {issued.key_path}")
    typer.echo(f"  certificate  {issued.cert_path}")
    typer.echo(f"  fingerprint  {fingerprint(issued.certificate)}")


@app.command()
def show(folder: Folder) -> None:
    """List the CA and every node certificate it issued, with expiry dates."""
    now = datetime.now(UTC)
    with _refusals():
        ca = DeploymentCA.load(folder)
        lines = [f"CA  {ca.certificate.subject.rfc4514_string()}  {_expiry(ca.certificate, now)}"]
        for node in ca.issued():
            certificate = node.certificate
            expiry = _expiry(certificate, now)
            lines.append(f"{node.node_id:<24}  {expiry}  {fingerprint(certificate)}")
    if len(lines) == 1:
        lines.append("No node certificates issued yet.")
    typer.echo("\n".join(lines))


def _expiry(certificate: x509.Certificate, now: datetime) -> str:
    not_after = certificate.not_valid_after_utc
    verb = "expired" if not_after < now else "expires"
    return f"{verb} {not_after:%Y-%m-%d}"
