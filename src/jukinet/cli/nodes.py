"""Running a deployment: create it, serve one node per process, verify (operator accounts:
``cli/operators.py``)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import typer
from rich.console import Console
from rich.table import Table

from jukinet.adapters.network.servers import BackgroundServer, TlsFiles, screens_server, server
from jukinet.bootstrap import open_node
from jukinet.deployments import create_deployment, plan_country
from jukinet.domain.errors import DomainError
from jukinet.domain.municipalities import municipality
from jukinet.nodes.national.consistency import MunicipalityCheck
from jukinet.protocol.directory import (
    CARD_ID,
    IMMIGRATION_ID,
    NATIONAL_ID,
    municipality_node_id,
)
from jukinet.settings import Settings

console = Console()
errors = Console(stderr=True)
deploy = typer.Typer(no_args_is_help=True)

HomeOption = Annotated[Path | None, typer.Option("--home", help="deployment folder (JUKINET_HOME)")]


def _settings(home: Path | None) -> Settings:
    return Settings.from_env(home=home)


def fail(message: str, code: int = 1) -> typer.Exit:
    errors.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code)


@deploy.command("init")
def deploy_init(
    municipalities: Annotated[list[str], typer.Argument(help="six-digit codes, e.g. 131016")],
    first_port: Annotated[
        int, typer.Option(help="HTTPS port of the national node; others follow")
    ] = 8440,
    home: HomeOption = None,
) -> None:
    """Create the CA, node certificates and the signed directory for a country of nodes."""
    settings = _settings(home)
    try:
        plans = plan_country(municipalities, first_port)
    except DomainError as error:
        raise fail(f"{error.field}: {error.problem}") from None
    directory = create_deployment(settings, plans)
    table = Table("node", "role", "endpoint")
    for entry in sorted(directory.nodes.values(), key=lambda n: n.id):
        table.add_row(entry.id, entry.role.value, entry.endpoint)
    console.print(table)
    console.print(f"directory signed at {settings.directory_file}")


def _node_id(role: str, code: str | None) -> str:
    if role == "municipality":
        if not code:
            raise fail("serve municipality needs --code, e.g. --code 131016", 2)
        return municipality_node_id(municipality(code, "--code").code.value)
    if role == CARD_ID:
        return CARD_ID
    if role == IMMIGRATION_ID:
        return IMMIGRATION_ID
    if role in ("prefecture", "national", "linkage"):
        return role
    raise fail(
        f"unknown role {role!r}: use municipality, prefecture, national, linkage, card"
        " or immigration",
        2,
    )


def serve(
    role: Annotated[
        str,
        typer.Argument(
            help="municipality, prefecture, national, linkage, card, immigration, agency-portal"
            " or resident-portal"
        ),
    ],
    code: Annotated[str | None, typer.Option("--code", help="the municipality's code")] = None,
    home: HomeOption = None,
    screens_port: Annotated[
        int | None,
        typer.Option(
            "--screens-port",
            help="also serve the screens (/ui/) to browsers on this port: HTTPS with the node's "
            "certificate, no client certificate (staffed nodes only)",
        ),
    ] = None,
    screens_host: Annotated[
        str, typer.Option("--screens-host", help="the address the screens listen on")
    ] = "127.0.0.1",
    credentials: Annotated[
        Path | None,
        typer.Option("--credentials", help="portals: the recipient's credentials folder"),
    ] = None,
    port: Annotated[int | None, typer.Option("--port", help="portals: the browsers' port")] = None,
    tls_cert: Annotated[
        Path | None, typer.Option("--tls-cert", help="portals: the server certificate (PEM)")
    ] = None,
    tls_key: Annotated[
        Path | None, typer.Option("--tls-key", help="portals: the server certificate's key")
    ] = None,
) -> None:
    """Serve one node over HTTPS with mutual TLS, with its outbox relay, until Ctrl-C; or an
    agency's portal (``agency-portal``: --credentials, --port) to its browsers."""
    if role == "agency-portal":
        from jukinet.cli import agency_portal  # it builds on this module's helpers

        agency_portal.serve(credentials, home, port, screens_host, tls_cert, tls_key)
        return
    if role == "resident-portal":
        from jukinet.cli import resident_portal

        resident_portal.serve(credentials, home, port, screens_host, tls_cert, tls_key)
        return
    settings = _settings(home)
    try:
        node_id = _node_id(role, code)
        node = open_node(node_id, settings)
    except DomainError as error:
        raise fail(f"{error.field}: {error.problem}") from None
    except (FileNotFoundError, KeyError) as error:
        raise fail(f"{error}; run 'jukinet deploy init' first") from None
    port = urlsplit(node.entry.endpoint).port or 8443
    pki = settings.pki_dir
    files = TlsFiles(
        pki / "ca.cert.pem",
        pki / "nodes" / f"{node_id}.cert.pem",
        pki / "nodes" / f"{node_id}.key.pem",
    )
    if screens_port is not None and node.operators is None:
        raise fail(f"{node_id} has no operators, so no screens: leave out --screens-port", 2)
    stop = threading.Event()
    workers = node.serve_background_work(stop)
    console.print(f"{node_id} listening on {node.entry.endpoint} (mutual TLS)")
    screens = None
    if screens_port is not None:
        browsers = screens_server(node.app, screens_port, files, screens_host)
        screens = BackgroundServer.run(browsers, screens_port)
        console.print(f"screens on https://{screens_host}:{screens_port}/ui/")
    try:
        server(node.app, port, files).run()
    finally:
        if screens is not None:
            screens.stop()
        stop.set()
        node.relay.wake.set()
        node.batch_wake.set()
        for worker in workers:
            worker.join(timeout=5)


def print_checks(checks: list[MunicipalityCheck]) -> bool:
    table = Table("municipality", "municipal", "prefecture", "national", "result")
    clean = True
    for check in checks:
        place = municipality(check.municipality_code)
        counts = [str(check.counts.get(h, "—")) for h in ("municipality", "prefecture", "national")]
        result = "[green]consistent[/green]" if check.consistent else "[red]differs[/red]"
        clean &= check.consistent
        table.add_row(f"{place.full_name} ({check.municipality_code})", *counts, result)
    console.print(table)
    for check in checks:
        for holder, problem in check.unreachable.items():
            console.print(f"  {check.municipality_code}: {holder} unreachable — {problem}")
        for d in check.discrepancies:
            console.print(
                f"  {check.municipality_code} {d.resident_code}: {d.sequences} — {d.advice}"
            )
    return clean


def verify(
    codes: Annotated[
        list[str] | None, typer.Argument(help="municipalities to check (default: all)")
    ] = None,
    home: HomeOption = None,
) -> None:
    """整合性確認: compare each municipality's identity information at every tier."""
    settings = _settings(home)
    node = open_node(NATIONAL_ID, settings)
    assert node.consistency is not None
    wanted = codes or [n.municipality_code or "" for n in node.directory.municipalities()]
    if not print_checks(node.consistency.run(wanted)):
        raise typer.Exit(1)
