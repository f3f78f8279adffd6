"""``jukinet operator …``: operator accounts of a municipality (``--code``) or of the national
or prefecture node's staff (``--node``), worked from the node's host.

Whoever runs these has the host (and its secrets folder) in hand, so they act as
``cli:<login name>`` in the operators' log; this is also how the first administrator is made.
Passwords are read from a hidden prompt typed twice, or from the first line of
``--password-file``.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.table import Table

from jukinet.bootstrap import Node, open_node
from jukinet.cli.nodes import HomeOption, console, fail
from jukinet.domain.errors import DomainError
from jukinet.nodes.operators import accounts
from jukinet.nodes.operators.offices import OperatorOffice
from jukinet.protocol.directory import municipality_node_id
from jukinet.settings import Settings

app = typer.Typer(no_args_is_help=True)

CodeOption = Annotated[str | None, typer.Option("--code", help="the municipality's code")]
StaffNodeOption = Annotated[
    str | None,
    typer.Option("--node", help="national or prefecture, for their staff (instead of --code)"),
]

Result = TypeVar("Result")
OperatorArgument = Annotated[str, typer.Argument(help="the operator ID, e.g. clerk-001")]
PasswordFile = Annotated[
    Path | None,
    typer.Option("--password-file", help="read the password from this file's first line"),
]


def _staff_node(code: str | None, node: str | None) -> str:
    """The node whose operators these are: a municipality, or a providing node's staff."""
    if (code is None) == (node is None):
        raise fail("give either --code (a municipality) or --node (national or prefecture)", 2)
    if node is not None and node not in ("national", "prefecture"):
        raise fail(f"--node must be national or prefecture, got {node!r}", 2)
    return node or municipality_node_id(code or "")


def _actor() -> str:
    return f"cli:{getpass.getuser()}"[:64]


def _office(
    code: str | None, node_name: str | None, home: Path | None
) -> tuple[Node, OperatorOffice]:
    node = open_node(_staff_node(code, node_name), Settings.from_env(home=home))
    if node.operators is None:
        raise fail(f"{node.entry.id} has no operators")
    return node, node.operators


def _run(node: Node, step: Callable[..., Result], *args: Any) -> Result:
    """Run a use case; a domain refusal becomes one clear line and exit code 1."""
    try:
        return step(*args)
    except DomainError as error:
        raise fail(f"{error.field}: {error.problem}") from None
    finally:
        node.engine.dispose()


def _password(password_file: Path | None) -> str:
    if password_file is not None:
        lines = password_file.read_text(encoding="utf-8").splitlines()
        return lines[0] if lines else ""
    return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))


@app.command("add")
def add(
    operator_id: OperatorArgument,
    matching_id: Annotated[str, typer.Option("--matching-id", help="照合ID, one per person")],
    name: Annotated[str, typer.Option("--name", help="the person's name, e.g. 髙橋 一郎")],
    role: Annotated[list[str], typer.Option("--role", help="window-clerk, supervisor, …")],
    code: CodeOption = None,
    node_name: StaffNodeOption = None,
    password_file: PasswordFile = None,
    home: HomeOption = None,
) -> None:
    """Create an account; prints the TOTP secret and its otpauth:// URI once, for the
    operator's authenticator app."""
    node, office = _office(code, node_name, home)
    cmd = accounts.CreateAccount(
        operator_id, matching_id, name, tuple(role), _password(password_file)
    )
    made = _run(node, accounts.create_account, cmd, _actor(), office)
    console.print(f"TOTP secret (shown once): {made.code_secret}", highlight=False)
    console.print(made.provisioning_uri, highlight=False, soft_wrap=True)


@app.command("passwd")
def passwd(
    operator_id: OperatorArgument,
    code: CodeOption = None,
    node_name: StaffNodeOption = None,
    password_file: PasswordFile = None,
    home: HomeOption = None,
) -> None:
    """Set (reset) an operator's password."""
    node, office = _office(code, node_name, home)
    _run(node, accounts.set_password, operator_id, _password(password_file), _actor(), office)
    console.print(f"password of {operator_id} set")


@app.command("roles")
def roles(
    operator_id: OperatorArgument,
    grant: Annotated[list[str] | None, typer.Option("--grant", help="a role to add")] = None,
    revoke: Annotated[list[str] | None, typer.Option("--revoke", help="a role to take")] = None,
    code: CodeOption = None,
    node_name: StaffNodeOption = None,
    home: HomeOption = None,
) -> None:
    """Grant and revoke roles (effective on the operator's next request)."""
    node, office = _office(code, node_name, home)
    changed = _run(
        node, accounts.change_roles, operator_id, grant or [], revoke or [], _actor(), office
    )
    console.print(f"{operator_id}: {', '.join(sorted(changed.roles)) or 'no roles'}")


@app.command("disable")
def disable(
    operator_id: OperatorArgument,
    code: CodeOption = None,
    node_name: StaffNodeOption = None,
    home: HomeOption = None,
) -> None:
    """Disable an account for good; its session ends now, its IDs are never reused."""
    node, office = _office(code, node_name, home)
    _run(node, accounts.disable_account, operator_id, _actor(), office)
    console.print(f"{operator_id} disabled")


@app.command("unlock")
def unlock(
    operator_id: OperatorArgument,
    code: CodeOption = None,
    node_name: StaffNodeOption = None,
    home: HomeOption = None,
) -> None:
    """Lift a lock-out after repeated failed sign-ins."""
    node, office = _office(code, node_name, home)
    _run(node, accounts.unlock_account, operator_id, _actor(), office)
    console.print(f"{operator_id} unlocked")


@app.command("list")
def every(
    code: CodeOption = None,
    node_name: StaffNodeOption = None,
    home: HomeOption = None,
) -> None:
    """Every account of the node, with its roles and state."""
    node, office = _office(code, node_name, home)
    found = _run(node, accounts.list_accounts, office)
    table = Table("operator", "照合ID", "name", "roles", "state")
    for account in found:
        state = "disabled" if account.disabled_at else "locked" if account.locked_at else "active"
        table.add_row(
            account.operator_id,
            account.matching_id,
            account.name,
            ", ".join(sorted(account.roles)),
            state,
        )
    console.print(table)


@app.command("events")
def events(
    operator_id: Annotated[str | None, typer.Option("--operator", help="only this one")] = None,
    limit: Annotated[int, typer.Option(help="how many, newest first")] = 50,
    code: CodeOption = None,
    node_name: StaffNodeOption = None,
    home: HomeOption = None,
) -> None:
    """The operators' log: sign-ins, refusals, lock-outs, unlocks, account changes."""
    node, office = _office(code, node_name, home)
    found = _run(node, accounts.recent_events, operator_id, limit, office)
    for event in found:  # one line each, so that the log can be searched and piped
        where = f" at {event.terminal}" if event.terminal else ""
        detail = f": {event.detail}" if event.detail else ""
        line = f"{event.at.isoformat(timespec='seconds')}  {event.kind.value}  {event.operator_id}"
        console.print(f"{line}  by {event.actor}{where}{detail}", highlight=False, soft_wrap=True)
