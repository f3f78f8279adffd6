"""``jukinet agency …``: registering recipients at a providing node, and the agency's client.

Operators of the national (or prefecture) node run ``register`` and ``revoke`` in the
deployment folder. An agency runs ``query`` with the credentials folder it was given; a
resident portal runs ``provisions`` the same way.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from jukinet.adapters.network.recipient_client import (
    RecipientClient,
    RecipientCredentials,
    RecipientRequestFailed,
)
from jukinet.bootstrap import RECIPIENT_KINDS, open_node, register_recipient
from jukinet.cli.nodes import HomeOption, _settings, console, fail

app = typer.Typer(no_args_is_help=True)

CredentialsOption = Annotated[
    Path, typer.Option("--credentials", help="the folder 'jukinet agency register' wrote")
]
OperatorOption = Annotated[
    str, typer.Option("--operator", help="who is operating, written into the provision log")
]
NodeOption = Annotated[
    str, typer.Option("--node", help="the providing node: national or prefecture")
]


def _providing_node(node_id: str) -> str:
    if node_id not in ("national", "prefecture"):
        raise fail(f"--node must be national or prefecture, got {node_id!r}", 2)
    return node_id


@app.command("register")
def register(
    recipient: Annotated[str, typer.Argument(help="the recipient's id in the legal registry")],
    out: Annotated[Path, typer.Option("--out", help="folder to write the credentials to")],
    operator: OperatorOption,
    kind: Annotated[str, typer.Option(help="agency, or portal for a resident portal")] = "agency",
    node: NodeOption = "national",
    home: HomeOption = None,
) -> None:
    """Issue a recipient its client certificate and register it (logged)."""
    if kind not in RECIPIENT_KINDS:
        raise fail(f"--kind must be one of {', '.join(RECIPIENT_KINDS)}", 2)
    if (out / "recipient.json").exists():
        raise fail(f"{out} already holds credentials; choose another folder")
    settings = _settings(home)
    provider = open_node(_providing_node(node), settings)
    credentials = register_recipient(provider, recipient, kind, operator, out, settings.pki_dir)
    console.print(f"registered {kind} {recipient} at {node}: fingerprint {credentials.fingerprint}")
    console.print(f"credentials written to {out} (keep client.key.pem secret)")


@app.command("revoke")
def revoke(
    recipient: Annotated[str, typer.Argument(help="the recipient whose credentials end now")],
    operator: OperatorOption,
    node: NodeOption = "national",
    home: HomeOption = None,
) -> None:
    """Revoke every credential of a recipient (refused within seconds; logged)."""
    provider = open_node(_providing_node(node), _settings(home))
    assert provider.credentials is not None
    revoked = provider.credentials.revoke(recipient, operator, provider.clock.now())
    if not revoked:
        raise fail(f"{recipient} has no active credential at {node}")
    console.print(f"revoked {revoked} credential(s) of {recipient}")


def _client(credentials: Path, operator: str) -> RecipientClient:
    try:
        loaded = RecipientCredentials.load(credentials)
    except FileNotFoundError as error:
        raise fail(f"{error.filename} is missing; is {credentials} a credentials folder?") from None
    return RecipientClient(loaded, operator, loaded.https_client())


def _call(client: RecipientClient, path: str, payload: dict[str, Any]) -> dict[str, Any]:
    try:
        return client.post(path, payload)
    except RecipientRequestFailed as failure:
        raise fail(str(failure)) from None
    finally:
        client.close()


@app.command("query")
def query(
    affair: Annotated[str, typer.Option("--affair", help="the affair's id, e.g. kokumin-nenkin")],
    credentials: CredentialsOption,
    operator: OperatorOption,
    resident_code: Annotated[str | None, typer.Option("--resident-code")] = None,
    my_number: Annotated[str | None, typer.Option("--my-number")] = None,
    name: Annotated[str | None, typer.Option("--name", help="full name, e.g. '髙橋 一郎'")] = None,
    kana: Annotated[str | None, typer.Option("--kana", help="furigana of the full name")] = None,
    birth_date: Annotated[str | None, typer.Option("--birth-date", help="YYYY-MM-DD")] = None,
    sex: Annotated[str | None, typer.Option("--sex", help="male or female")] = None,
    address: Annotated[str | None, typer.Option("--address")] = None,
    history: Annotated[bool, typer.Option("--history", help="every version held")] = False,
) -> None:
    """即時提供: look one person up for an affair, by one of the four permitted keys."""
    key = {
        "resident_code": resident_code,
        "my_number": my_number,
        "name": name,
        "kana": kana,
        "birth_date": birth_date,
        "sex": sex,
        "address": address,
    }
    payload = {
        "affair": affair,
        "key": {k: v for k, v in key.items() if v is not None},
        "history": history,
    }
    answer = _call(_client(credentials, operator), "/provision/v1/identity-queries", payload)
    console.print_json(json.dumps(answer, ensure_ascii=False))


@app.command("provisions")
def provisions(
    credentials: CredentialsOption,
    operator: OperatorOption,
    my_number: Annotated[str, typer.Option("--my-number", help="the resident's 個人番号")],
) -> None:
    """提供状況の開示 (portal credentials): who received a resident's information."""
    answer = _call(
        _client(credentials, operator),
        "/resident/v1/provision-records",
        {"my_number": my_number},
    )
    console.print_json(json.dumps(answer, ensure_ascii=False))
