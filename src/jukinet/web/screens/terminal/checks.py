"""Validation as the clerk types: one field's value run through the domain's own reader.

An input with ``check`` in its :class:`~fields.Field` posts itself (and nothing else) to
``/ui/terminal/checks/<reader>`` a moment after the clerk stops typing; the answer replaces
the message under the input. The readers are the ones the use cases call (dates, furigana,
住民票コード and 個人番号 check digits, municipality codes, addresses, names, card numbers),
so the screen never tells the clerk anything the submit would not. Nothing is looked up in
the register here: a check reads the value only. The submit still validates the whole form.
"""

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jukinet.domain.cards import check_card_number
from jukinet.domain.codes import MyNumber, ResidentCode
from jukinet.domain.dates import parse_date, past_date
from jukinet.domain.errors import DomainError, NotFound
from jukinet.domain.identity import NAME_LIMIT
from jukinet.domain.municipalities import municipality
from jukinet.domain.operators import Principal
from jukinet.domain.residents import KANA_LIMIT, address_text
from jukinet.domain.text import clean_text, to_katakana
from jukinet.web.screens.terminal.fields import element_id
from jukinet.web.screens.terminal.refusals import explain
from jukinet.web.screens.terminal.windows import Window

# A reader takes the field's name, the typed value and today; it raises the domain's error, or
# returns what the clerk may like to see confirmed ("" for nothing).
Reader = Callable[[str, str, date], str]


def _resident_code(name: str, value: str, today: date) -> str:
    ResidentCode.parse(value, name)
    return ""


def _my_number(name: str, value: str, today: date) -> str:
    MyNumber.parse(value, name)
    return ""


def _past_date(name: str, value: str, today: date) -> str:
    past_date(name, value, today)
    return ""


def _any_date(name: str, value: str, today: date) -> str:
    parse_date(name, value)
    return ""


def _kana(name: str, value: str, today: date) -> str:
    return to_katakana(name, value, max_length=KANA_LIMIT)  # as it will be recorded


def _name(name: str, value: str, today: date) -> str:
    clean_text(name, value, max_length=NAME_LIMIT)
    return ""


def _address(name: str, value: str, today: date) -> str:
    address_text(name, value)
    return ""


def _municipality(name: str, value: str, today: date) -> str:
    return municipality(value, name).full_name


def _card_number(name: str, value: str, today: date) -> str:
    check_card_number(name, value)
    return ""


READERS: dict[str, Reader] = {
    "resident-code": _resident_code,
    "my-number": _my_number,
    "past-date": _past_date,
    "date": _any_date,
    "kana": _kana,
    "name": _name,
    "address": _address,
    "municipality": _municipality,
    "card-number": _card_number,
}


def check(reader: str, name: str, value: str, today: date) -> tuple[DomainError | None, str]:
    """Run ``reader`` on one value: the refusal, or what to confirm. An empty value is not
    judged while the clerk is typing (the submit says which fields are required)."""
    if reader not in READERS:
        raise NotFound("reader", f"no check {reader!r}")
    if not value.strip():
        return None, ""
    try:
        return None, READERS[reader](name, value, today)
    except DomainError as error:
        return error, ""


def routes(ui: APIRouter, window: Window) -> None:
    Anyone = Annotated[Principal, Depends(window.gate(None))]  # noqa: N806  (reads no record)

    @ui.post("/checks/{reader}")
    async def field_check(reader: str, request: Request, who: Anyone) -> Response:
        form = await request.form()
        name, value = next(
            ((k, v) for k, v in form.multi_items() if k != "csrf" and isinstance(v, str)),
            ("", ""),
        )
        refusal, confirmed = check(reader, name, value, window.supply.clock.today())
        context = {
            "id": element_id(name),
            "message": explain(window.screens, request, refusal) if refusal else "",
            "confirmed": confirmed,
        }
        return window.page(request, "terminal/_check.html", context)
