"""``jukinet card …``: the card node's counter, run in the deployment folder.

Every command that changes a card takes ``--operator``, written into the card event log. A
PIN is read from a hidden prompt (typed twice) or from ``--pin-file``; it is never a command
line argument, so it stays out of shell history and process lists, and it is never printed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.table import Table

from jukinet.bootstrap import Node, open_node
from jukinet.cli.nodes import HomeOption, _settings, console, fail
from jukinet.domain.cards import Card
from jukinet.domain.errors import DomainError
from jukinet.nodes.card.counter import CardCounter, CardIssue
from jukinet.protocol.directory import CARD_ID
from jukinet.protocol.errors import ProtocolError

app = typer.Typer(no_args_is_help=True)
T = TypeVar("T")

CardNumber = Annotated[str, typer.Argument(help="the card's 12-digit number (not the 個人番号)")]
OperatorOption = Annotated[
    str, typer.Option("--operator", help="who is operating, written into the card event log")
]
ReasonOption = Annotated[str, typer.Option("--reason", help="why, for the card event log")]
PinFileOption = Annotated[
    Path | None,
    typer.Option("--pin-file", help="read the PIN from this file instead of a hidden prompt"),
]


def _counter(home: Path | None) -> CardCounter:
    try:
        node: Node = open_node(CARD_ID, _settings(home))
    except ProtocolError:
        raise fail(
            "this deployment has no card node; create it with 'jukinet deploy init'"
        ) from None
    except FileNotFoundError as error:
        raise fail(f"{error.filename} is missing; run 'jukinet deploy init' first") from None
    assert node.cards is not None
    return node.cards


def _run(step: Callable[[], T]) -> T:
    try:
        return step()
    except DomainError as refusal:
        raise fail(f"{refusal.field}: {refusal.problem}") from None


def _read_pin(pin_file: Path | None) -> str:
    if pin_file is None:
        return str(typer.prompt("PIN (4 digits)", hide_input=True, confirmation_prompt=True))
    try:
        return pin_file.read_text(encoding="utf-8").rstrip("\r\n")
    except (OSError, UnicodeDecodeError) as error:
        raise fail(f"--pin-file: cannot read {pin_file} ({error})") from None


def _say(card: Card, what: str) -> None:
    console.print(f"card {card.number} {what} (state: {card.state})", highlight=False)


@app.command("issue")
def issue(
    card_number: CardNumber,
    resident_code: Annotated[
        str, typer.Option("--resident-code", help="the holder's 住民票コード")
    ],
    name: Annotated[str, typer.Option("--name", help="the holder's name, e.g. '髙橋 葛子'")],
    birth_date: Annotated[str, typer.Option("--birth-date", help="YYYY-MM-DD")],
    municipality_code: Annotated[
        str, typer.Option("--municipality", help="the issuing municipality's 6-digit code")
    ],
    expires_on: Annotated[str, typer.Option("--expires-on", help="last valid day, YYYY-MM-DD")],
    operator: OperatorOption,
    pin_file: PinFileOption = None,
    home: HomeOption = None,
) -> None:
    """Issue a card to a resident (who must hold no other card that is not revoked)."""
    counter = _counter(home)
    request = CardIssue(
        card_number,
        resident_code,
        name,
        birth_date,
        municipality_code,
        expires_on,
        _read_pin(pin_file),
    )
    card = _run(lambda: counter.issue(request, operator))
    _say(card, f"issued to {card.holder.resident_code}, valid until {card.expires_on}")


@app.command("suspend")
def suspend(
    card_number: CardNumber,
    operator: OperatorOption,
    reason: ReasonOption = "",
    home: HomeOption = None,
) -> None:
    """一時停止 (e.g. reported lost): no PIN is checked until the card is resumed."""
    counter = _counter(home)
    _say(_run(lambda: counter.suspend(card_number, operator, reason)), "suspended")


@app.command("resume")
def resume(
    card_number: CardNumber,
    operator: OperatorOption,
    reason: ReasonOption = "",
    home: HomeOption = None,
) -> None:
    """End a suspension (e.g. the lost card was found)."""
    counter = _counter(home)
    _say(_run(lambda: counter.resume(card_number, operator, reason)), "resumed")


@app.command("revoke")
def revoke(
    card_number: CardNumber,
    operator: OperatorOption,
    reason: ReasonOption = "",
    home: HomeOption = None,
) -> None:
    """廃止: the card is never usable again; its holder may then be issued a new one."""
    counter = _counter(home)
    _say(_run(lambda: counter.revoke(card_number, operator, reason)), "revoked")


@app.command("reset-pin")
def reset_pin(
    card_number: CardNumber,
    operator: OperatorOption,
    pin_file: PinFileOption = None,
    home: HomeOption = None,
) -> None:
    """Set a new PIN at the counter, the holder present; this also unlocks a locked card."""
    counter = _counter(home)
    pin = _read_pin(pin_file)
    _say(_run(lambda: counter.reset_pin(card_number, pin, operator)), "has a new PIN")


@app.command("status")
def status(card_number: CardNumber, home: HomeOption = None) -> None:
    """A card's holder, state, PIN attempts left and latest events (never its PIN)."""
    counter = _counter(home)
    found = _run(lambda: counter.status(card_number))
    card = found.card
    facts = Table.grid(padding=(0, 2))
    for label, value in (
        ("card", card.number),
        (
            "holder",
            f"{card.holder.name} ({card.holder.resident_code}, born {card.holder.birth_date})",
        ),
        ("municipality", card.municipality_code),
        ("issued", str(card.issued_on)),
        ("expires", str(card.expires_on)),
        ("state", found.condition),
        ("PIN attempts left", str(card.attempts_left)),
    ):
        facts.add_row(label, value)
    console.print(facts)
    events = Table("at (UTC)", "action", "by", "outcome", "detail")
    for event in found.events:
        events.add_row(
            event.at.strftime("%Y-%m-%d %H:%M:%S"),
            event.action.value,
            event.actor,
            event.outcome,
            event.detail,
        )
    console.print(events)
