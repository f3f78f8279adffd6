"""``jukinet agency-portal …`` and ``jukinet serve agency-portal``: an agency's own portal.

The portal runs at the agency, in a folder of its own (``--home``: its store and its
``secrets/operators.key``; ``JUKINET_DATABASE_URL`` names PostgreSQL instead of SQLite). Its
operators are accounts of kind ``agency-portal`` (roles ``agency-operator`` and
``administrator``), made here by whoever runs the portal's host, as ``jukinet operator``
does for a node; they act as ``cli:<login name>`` in the operators' log.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.table import Table

from jukinet.adapters.clock import SystemClock
from jukinet.adapters.network.servers import TlsFiles, screens_server
from jukinet.cli.nodes import HomeOption, console, fail
from jukinet.cli.operators import OperatorArgument, PasswordFile, _actor, _password
from jukinet.domain.errors import DomainError
from jukinet.nodes.operators import accounts
from jukinet.nodes.operators.offices import OperatorOffice
from jukinet.portals.agency.wiring import (
    NotAProvider,
    open_agency_portal,
    open_portal_store,
    operator_office,
)
from jukinet.settings import Settings

app = typer.Typer(no_args_is_help=True)
operators = typer.Typer(no_args_is_help=True)
app.add_typer(operators, name="operator", help="The portal's operator accounts.")

LOOPBACK = ("127.0.0.1", "localhost", "::1")
Result = TypeVar("Result")


def _office(home: Path | None) -> OperatorOffice:
    settings = Settings.from_env(home=home)
    return operator_office(settings, open_portal_store(settings), SystemClock())


def _run(step: Callable[..., Result], *args: Any) -> Result:
    """Run a use case; a domain refusal becomes one clear line and exit code 1."""
    try:
        return step(*args)
    except DomainError as error:
        raise fail(f"{error.field}: {error.problem}") from None


@operators.command("add")
def add(
    operator_id: OperatorArgument,
    matching_id: Annotated[str, typer.Option("--matching-id", help="照合ID, one per person")],
    name: Annotated[str, typer.Option("--name", help="the person's name, e.g. 髙橋 一郎")],
    role: Annotated[list[str], typer.Option("--role", help="agency-operator or administrator")],
    password_file: PasswordFile = None,
    home: HomeOption = None,
) -> None:
    """Create an account; prints the TOTP secret and its otpauth:// URI once."""
    office = _office(home)
    cmd = accounts.CreateAccount(
        operator_id, matching_id, name, tuple(role), _password(password_file)
    )
    made = _run(accounts.create_account, cmd, _actor(), office)
    console.print(f"TOTP secret (shown once): {made.code_secret}", highlight=False)
    console.print(made.provisioning_uri, highlight=False, soft_wrap=True)


@operators.command("passwd")
def passwd(
    operator_id: OperatorArgument, password_file: PasswordFile = None, home: HomeOption = None
) -> None:
    """Set (reset) an operator's password."""
    office = _office(home)
    _run(accounts.set_password, operator_id, _password(password_file), _actor(), office)
    console.print(f"password of {operator_id} set")


@operators.command("unlock")
def unlock(operator_id: OperatorArgument, home: HomeOption = None) -> None:
    """Lift a lock-out after repeated failed sign-ins."""
    _run(accounts.unlock_account, operator_id, _actor(), _office(home))
    console.print(f"{operator_id} unlocked")


@operators.command("disable")
def disable(operator_id: OperatorArgument, home: HomeOption = None) -> None:
    """Disable an account for good; its session ends now, its IDs are never reused."""
    _run(accounts.disable_account, operator_id, _actor(), _office(home))
    console.print(f"{operator_id} disabled")


@operators.command("list")
def every(home: HomeOption = None) -> None:
    """Every account of the portal, with its roles and state."""
    found = accounts.list_accounts(_office(home))
    table = Table("operator", "照合ID", "name", "roles", "state")
    for account in found:
        state = "disabled" if account.disabled_at else "locked" if account.locked_at else "active"
        roles = ", ".join(sorted(account.roles))
        table.add_row(account.operator_id, account.matching_id, account.name, roles, state)
    console.print(table)


def serve(
    credentials: Path | None,
    home: Path | None,
    port: int | None,
    host: str,
    tls_cert: Path | None,
    tls_key: Path | None,
) -> None:
    """Serve the portal to the agency's browsers until Ctrl-C: HTTPS with the agency's own
    server certificate, or plain HTTP to a browser on this machine only."""
    if credentials is None or port is None:
        raise fail("serve agency-portal needs --credentials DIR and --port N", 2)
    if (tls_cert is None) != (tls_key is None):
        raise fail("give both --tls-cert and --tls-key, or neither", 2)
    if tls_cert is None and host not in LOOPBACK:
        raise fail(f"plain HTTP only on this machine: give --tls-cert and --tls-key for {host}", 2)
    try:
        portal = open_agency_portal(credentials, Settings.from_env(home=home))
    except FileNotFoundError as error:
        raise fail(f"{error.filename} is missing; is {credentials} a credentials folder?") from None
    except NotAProvider as error:
        raise fail(str(error)) from None
    tls = None
    if tls_cert is not None and tls_key is not None:
        tls = TlsFiles(credentials / "ca.cert.pem", tls_cert, tls_key)
    scheme = "http" if tls is None else "https"
    console.print(
        f"agency portal of {portal.credentials.recipient_id} on {scheme}://{host}:{port}/ui/"
        f" (asking {portal.credentials.node_id} at {portal.credentials.endpoint})"
    )
    try:
        screens_server(portal.app, port, tls, host).run()
    finally:
        portal.close()
