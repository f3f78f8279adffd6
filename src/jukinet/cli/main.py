"""``jukinet``: the command line of every role.

Errors end the command with one clear line on stderr and a non-zero exit code (1 for a
refusal or a failed check, 2 for a usage error), never a traceback.
"""

from __future__ import annotations

import typer

from jukinet.cli import (
    agency,
    agency_portal,
    audit,
    cards,
    codes,
    demo,
    immigration,
    media,
    nodes,
    operators,
    pki,
    reports,
)
from jukinet.domain.errors import DomainError
from jukinet.nodes.ports import PortError

app = typer.Typer(
    help="jukinet — the open Resident Basic Register Network (住基ネット).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(
    codes.app, name="code", help="Check and complete 住民票コード, 個人番号 and LG codes."
)
app.add_typer(pki.app, name="pki", help="The deployment CA and node certificates.")
app.command("demo")(demo.run)
app.add_typer(nodes.deploy, name="deploy", help="Create a deployment: PKI, directory, stores.")
app.command("serve")(nodes.serve)
app.add_typer(
    operators.app, name="operator", help="Operator accounts: second factor, roles, lock-outs."
)
app.command("verify")(nodes.verify)
app.add_typer(
    agency.app, name="agency", help="Recipients of identity information: credentials, queries."
)
app.add_typer(
    agency_portal.app, name="agency-portal", help="An agency's own portal: its operator accounts."
)
app.add_typer(reports.app, name="report", help="Published reports: notice, disclosures.")
app.add_typer(cards.app, name="card", help="The card node's counter: 個人番号カード, PINs.")
app.add_typer(media.app, name="batch", help="J-LIS operators: batch requests brought on media.")
app.add_typer(
    immigration.app, name="immigration", help="ISA operators: notices about foreign residents."
)
app.add_typer(
    audit.app, name="audit", help="The access log: verify its chain, search it, anomalies."
)


def main() -> None:
    try:
        app()
    except DomainError as error:
        nodes.errors.print(f"[red]error:[/red] {error.field}: {error.problem}", highlight=False)
        raise SystemExit(1) from None
    except PortError as error:
        nodes.errors.print(f"[red]error:[/red] {error}", highlight=False)
        raise SystemExit(1) from None
