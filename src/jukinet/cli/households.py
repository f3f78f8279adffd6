"""``jukinet agency household-check``: 世帯情報の確認 of one application, as an agency runs it.

Prints one line per person on the application (confirmed, 続柄 differs, not in the household)
and the people of the applicant's household whom it leaves off. Exits 0 when the application
matches the register, 1 when it does not (or the node refuses), 2 for a usage error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from jukinet.adapters.network.agency_gateway import HttpProvisionGateway
from jukinet.adapters.network.recipient_client import (
    RecipientClient,
    RecipientCredentials,
    RecipientRequestFailed,
)
from jukinet.cli.nodes import console, fail
from jukinet.domain.errors import InvalidValue
from jukinet.nodes.agency.households import (
    Application,
    ApplicationCheck,
    ListedPerson,
    check_application,
    relationship_named,
)


def check(
    credentials: Annotated[
        Path, typer.Option("--credentials", help="the folder 'jukinet agency register' wrote")
    ],
    operator: Annotated[
        str, typer.Option("--operator", help="who is operating, written into the provision log")
    ],
    affair: Annotated[str, typer.Option("--affair", help="a household affair: kokumin-nenkin …")],
    applicant: Annotated[
        str,
        typer.Option("--applicant", help="the applicant's 住民票コード (CODE:続柄 if not 世帯主)"),
    ],
    members: Annotated[
        list[str] | None,
        typer.Option(
            "--member", help="a person listed, as CODE:続柄 (e.g. 12345678901:子); repeat"
        ),
    ] = None,
    listed_only: Annotated[
        bool,
        typer.Option("--listed-only", help="check the people listed only, not who is left off"),
    ] = False,
) -> None:
    """世帯情報の確認: are the people on an application the applicant's household, and all of it?"""
    try:
        application = Application(
            affair,
            _listed(applicant, "--applicant", default="世帯主"),
            tuple(_listed(m, "--member") for m in members or ()),
        )
    except InvalidValue as error:
        raise fail(f"{error.field}: {error.problem}", 2) from None
    loaded = RecipientCredentials.load(credentials)
    client = RecipientClient(loaded, operator, loaded.https_client())
    try:
        result = check_application(
            application, HttpProvisionGateway(client), complete=not listed_only
        )
    except RecipientRequestFailed as failure:
        raise fail(str(failure)) from None
    finally:
        client.close()
    _print(result)
    if not result.consistent:
        raise typer.Exit(1)


def _listed(text: str, option: str, default: str | None = None) -> ListedPerson:
    code, colon, written = text.replace("：", ":").partition(":")
    if not colon and default is None:
        raise InvalidValue(option, f"{text!r}: write CODE:続柄, e.g. 12345678901:子")
    return ListedPerson(
        code.strip(), relationship_named(written if colon else default or "", option)
    )


def _print(result: ApplicationCheck) -> None:
    table = Table("住民票コード", "申請書の続柄", "住民票の続柄", "結果", title="申請書の記載")
    for person in (result.applicant, *result.members):
        registered = person.registered.label if person.registered else "-"
        table.add_row(
            person.listed.resident_code,
            person.listed.relationship.label,
            registered,
            person.verdict.label,
        )
    console.print(table)
    if result.left_off:
        missing = Table(
            "住民票コード", "氏名", "生年月日", "続柄", title="申請書に記載のない世帯員"
        )
        for left in result.left_off:
            occupant = left.occupant
            missing.add_row(
                occupant.resident_code,
                occupant.name,
                occupant.birth_date.isoformat(),
                left.relationship.label,
            )
        console.print(missing)
    if not result.consistent:
        console.print("[red]the application does not match the register[/red]")
    elif result.complete:
        console.print("the application matches the register, and no one is left off")
    else:
        console.print("everyone listed is confirmed (people left off were not looked for)")
