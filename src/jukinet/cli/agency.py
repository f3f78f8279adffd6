"""``jukinet agency …``: registering recipients at a providing node, and the agency's client.

Operators of the national (or prefecture) node run ``register`` and ``revoke`` in the
deployment folder. An agency runs ``query`` with the credentials folder it was given; a
resident portal runs ``provisions`` the same way.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress

from jukinet.adapters.network.agency_gateway import HttpProvisionGateway
from jukinet.adapters.network.recipient_client import (
    RecipientClient,
    RecipientCredentials,
    RecipientRequestFailed,
)
from jukinet.bootstrap import RECIPIENT_KINDS, open_node, register_recipient
from jukinet.cli import households
from jukinet.cli.media import pack_request, unpack_result
from jukinet.cli.nodes import HomeOption, _settings, console, fail
from jukinet.domain.errors import DomainError
from jukinet.domain.provision import Channel
from jukinet.nodes.agency.ports import BatchFile
from jukinet.nodes.provision.batch_input import BatchFormat
from jukinet.nodes.provision.batches import BatchRequest

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
RecipientNodeOption = Annotated[
    str,
    typer.Option(
        "--node",
        help="national, prefecture, or linkage (where agencies collect 機関別符号); for a "
        "resident portal also card and municipality-<code>",
    ),
]
# Where a recipient may be registered: besides the providing nodes, the linkage node for
# agencies, and the card node and the municipalities for resident portals.
REGISTERING_NODES = ("linkage", "card", "municipality-")


def _providing_node(node_id: str, also: tuple[str, ...] = ()) -> str:
    allowed = ("national", "prefecture", *also)
    if "municipality-" in also and re.fullmatch(r"municipality-[0-9]{6}", node_id):
        return node_id  # a resident portal registered at a municipality
    if node_id not in allowed:
        raise fail(f"--node must be one of {', '.join(allowed)}, got {node_id!r}", 2)
    return node_id


@app.command("register")
def register(
    recipient: Annotated[str, typer.Argument(help="the recipient's id in the legal registry")],
    out: Annotated[Path, typer.Option("--out", help="folder to write the credentials to")],
    operator: OperatorOption,
    kind: Annotated[str, typer.Option(help="agency, or portal for a resident portal")] = "agency",
    node: RecipientNodeOption = "national",
    home: HomeOption = None,
) -> None:
    """Issue a recipient its client certificate and register it (logged)."""
    if kind not in RECIPIENT_KINDS:
        raise fail(f"--kind must be one of {', '.join(RECIPIENT_KINDS)}", 2)
    if (out / "recipient.json").exists():
        raise fail(f"{out} already holds credentials; choose another folder")
    settings = _settings(home)
    provider = open_node(_providing_node(node, REGISTERING_NODES), settings)
    try:
        credentials = register_recipient(provider, recipient, kind, operator, out, settings.pki_dir)
    except DomainError as refusal:
        raise fail(f"{refusal.field}: {refusal.problem}") from None
    except ValueError as refusal:  # e.g. an agency at a node that takes portals only
        raise fail(str(refusal), 2) from None
    console.print(f"registered {kind} {recipient} at {node}: fingerprint {credentials.fingerprint}")
    console.print(f"credentials written to {out} (keep client.key.pem secret)")


@app.command("revoke")
def revoke(
    recipient: Annotated[str, typer.Argument(help="the recipient whose credentials end now")],
    operator: OperatorOption,
    node: RecipientNodeOption = "national",
    home: HomeOption = None,
) -> None:
    """Revoke every credential of a recipient (refused within seconds; logged)."""
    provider = open_node(_providing_node(node, REGISTERING_NODES), _settings(home))
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
    client = _client(credentials, operator)
    try:
        given = {k: v for k, v in key.items() if v is not None}
        answer = HttpProvisionGateway(client).identity_query(affair, given, history)
    finally:
        client.close()
    document = {"provision_id": answer.provision_id, "matches": answer.matches}
    console.print_json(json.dumps(document, ensure_ascii=False))


@app.command("code-request")
def code_request(
    affair: Annotated[str, typer.Option("--affair")],
    acquisition_number: Annotated[
        str, typer.Option("--acquisition-number", help="取得番号: your own number for the person")
    ],
    credentials: CredentialsOption,
    operator: OperatorOption,
    resident_code: Annotated[str | None, typer.Option("--resident-code")] = None,
    my_number: Annotated[str | None, typer.Option("--my-number")] = None,
) -> None:
    """機関別符号 (at J-LIS): have the provision network make your code for one person."""
    key = {"resident_code": resident_code, "my_number": my_number}
    payload = {
        "affair": affair,
        "key": {k: v for k, v in key.items() if v is not None},
        "acquisition_number": acquisition_number,
    }
    answer = _call(_client(credentials, operator), "/provision/v1/agency-codes", payload)
    console.print_json(json.dumps(answer, ensure_ascii=False))


@app.command("code-collect")
def code_collect(
    acquisition_numbers: Annotated[list[str], typer.Argument(help="the 取得番号 you used")],
    credentials: Annotated[
        Path, typer.Option("--credentials", help="credentials registered at the linkage node")
    ],
    operator: OperatorOption,
) -> None:
    """機関別符号 (at the provision network): collect the codes made for you, once."""
    answer = _call(
        _client(credentials, operator),
        "/linkage/v1/codes/collect",
        {"acquisition_numbers": acquisition_numbers},
    )
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


batch = typer.Typer(no_args_is_help=True)
app.add_typer(batch, name="batch", help="一括提供: files of keys, over the network or on media.")

FormatOption = Annotated[BatchFormat, typer.Option("--format", help="csv or jsonl")]
EncodingOption = Annotated[
    str | None, typer.Option("--encoding", help="utf-8, shift_jis or cp932 (detected if absent)")
]


@batch.command("submit")
def batch_submit(
    source: Annotated[Path, typer.Argument(help="the file of keys")],
    affair: Annotated[str, typer.Option("--affair")],
    credentials: CredentialsOption,
    operator: OperatorOption,
    fmt: FormatOption = BatchFormat.CSV,
    encoding: EncodingOption = None,
    history: Annotated[bool, typer.Option("--history")] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="wait, then write the answers (JSON Lines) here")
    ] = None,
) -> None:
    """Send a batch over the network; with --out, wait for it with a progress bar."""
    client = _client(credentials, operator)
    gateway = HttpProvisionGateway(client)
    try:
        batch = BatchFile(affair, source.read_bytes(), fmt, encoding, history, source.name)
        ticket = gateway.submit_batch(batch)
        console.print(f"batch {ticket.batch_id}: {ticket.rows_total:,} rows received")
        if out is not None:
            _wait_and_fetch(gateway, ticket.batch_id, out)
    finally:
        client.close()


@batch.command("fetch")
def batch_fetch(
    batch_id: Annotated[str, typer.Argument()],
    credentials: CredentialsOption,
    operator: OperatorOption,
    out: Annotated[Path, typer.Option("--out", help="where to write the answers")],
) -> None:
    """Wait for a batch (progress bar) and write its answers as JSON Lines."""
    client = _client(credentials, operator)
    try:
        _wait_and_fetch(HttpProvisionGateway(client), batch_id, out)
    finally:
        client.close()


def _wait_and_fetch(
    gateway: HttpProvisionGateway, batch_id: str, out: Path, poll: float = 1.0
) -> None:
    with Progress(console=console) as bar:
        task = bar.add_task("matching", total=None)
        while True:
            status = gateway.batch_status(batch_id)
            bar.update(task, completed=status.rows_done, total=status.rows_total)
            if not status.running:
                break
            time.sleep(poll)
    if status.state == "failed":
        raise fail(f"batch {batch_id} failed: {status.problem}")
    out.write_bytes(gateway.batch_answers(batch_id))
    console.print(f"answers written to {out}")


@batch.command("pack")
def batch_pack(
    source: Annotated[Path, typer.Argument(help="the file of keys")],
    affair: Annotated[str, typer.Option("--affair")],
    credentials: CredentialsOption,
    operator: OperatorOption,
    out: Annotated[Path, typer.Option("--out", help="the sealed request to carry to J-LIS")],
    fmt: FormatOption = BatchFormat.CSV,
    encoding: EncodingOption = None,
    history: Annotated[bool, typer.Option("--history")] = False,
) -> None:
    """Seal a batch for media: encrypted to J-LIS, signed by this agency."""
    loaded = RecipientCredentials.load(credentials)
    request = BatchRequest(affair, Channel.MEDIA_BATCH, fmt, encoding, history)
    key_path = pack_request(loaded, source, out, request, operator)
    console.print(f"sealed request written to {out}; keep {key_path} to open the answer")


@batch.command("unpack")
def batch_unpack(
    package: Annotated[Path, typer.Argument(help="J-LIS's sealed result")],
    key: Annotated[Path, typer.Option("--key", help="the .key file written by 'pack'")],
    credentials: CredentialsOption,
    out: Annotated[Path, typer.Option("--out", help="where to write the answers")],
) -> None:
    """Open J-LIS's sealed result (checks it was signed by the national node)."""
    header = unpack_result(RecipientCredentials.load(credentials), package, key, out)
    console.print(f"answers of batch {header['batch_id']} written to {out}")


app.command("household-check")(households.check)
