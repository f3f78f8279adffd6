"""``jukinet code``: check a 住民票コード, 個人番号 or local-government code, or complete one.

    jukinet code validate my-number 123456789018
    jukinet code check-digit lg-code 13101

Exit codes: 0 the value is valid (or the code was completed), 1 the value is wrong and stderr
says exactly why (length, characters, check digit), 2 a usage error such as an unknown kind.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, NoReturn

import typer

from jukinet.domain.checkdigits import (
    LOCAL_GOVERNMENT_SCHEME,
    MY_NUMBER_SCHEME,
    CheckDigitScheme,
    resident_code_scheme,
)
from jukinet.domain.codes import LocalGovernmentCode, validate_digits, with_check_digit
from jukinet.domain.errors import InvalidCode, UnknownMunicipality
from jukinet.domain.municipalities import municipality, prefecture

app = typer.Typer(
    help="Check 住民票コード, 個人番号 and local-government codes, or add their check digit.",
    no_args_is_help=True,
)


class CodeKind(StrEnum):
    """The three public codes, each with its statutory name, length and check-digit scheme."""

    RESIDENT_CODE = "resident-code"
    MY_NUMBER = "my-number"
    LG_CODE = "lg-code"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def length(self) -> int:
        """Digits in the full code, check digit included."""
        return _LENGTHS[self]

    def scheme(self) -> CheckDigitScheme:
        # Looked up on each call: the 住民票コード scheme can be swapped at run time.
        if self is CodeKind.RESIDENT_CODE:
            return resident_code_scheme()
        return MY_NUMBER_SCHEME if self is CodeKind.MY_NUMBER else LOCAL_GOVERNMENT_SCHEME


_LABELS = {
    CodeKind.RESIDENT_CODE: "住民票コード",
    CodeKind.MY_NUMBER: "個人番号",
    CodeKind.LG_CODE: "全国地方公共団体コード",
}
_LENGTHS = {CodeKind.RESIDENT_CODE: 11, CodeKind.MY_NUMBER: 12, CodeKind.LG_CODE: 6}

KindArgument = Annotated[
    CodeKind, typer.Argument(help="Which code: resident-code, my-number or lg-code.")
]


@app.command()
def validate(
    kind: KindArgument,
    value: Annotated[str, typer.Argument(help="The full code, check digit included.")],
) -> None:
    """Say whether VALUE is a well-formed code of KIND with the right check digit."""
    problem = _shape_problem(value, kind.length)
    if problem:
        _fail(kind, problem)
    try:
        code = validate_digits(kind.value, value, kind.length, kind.scheme())
    except InvalidCode as error:
        _fail(kind, error.problem)
    place = _place_name(code) if kind is CodeKind.LG_CODE else ""
    typer.echo(f"valid {kind.label} {code}{place}")


@app.command("check-digit")
def check_digit(
    kind: KindArgument,
    body: Annotated[str, typer.Argument(help="The code without its check digit.")],
) -> None:
    """Print BODY followed by the check digit that KIND's scheme gives it."""
    problem = _shape_problem(body, kind.length - 1, " (without the check digit)")
    if problem:
        _fail(kind, problem)
    typer.echo(with_check_digit(body, kind.scheme()))


def _shape_problem(text: str, length: int, note: str = "") -> str:
    """What keeps ``text`` from being ``length`` ASCII digits, or "" if nothing does."""
    if not text.isascii():
        full_width = any("０" <= c <= "９" for c in text)
        hint = " (full-width digits are not accepted)" if full_width else ""
        return f"{text!r} contains non-ASCII characters{hint}"
    if any(c not in "0123456789" for c in text):
        return f"{text!r} must contain digits only"
    if len(text) != length:
        return f"must be {length} digits{note}, got {len(text)}"
    return ""


def _place_name(code: str) -> str:
    """`` 東京都千代田区`` for a code in the directory, a note when it is not there."""
    checked = LocalGovernmentCode(code)
    try:
        found = prefecture(checked.prefecture) if checked.is_prefecture else municipality(code)
    except UnknownMunicipality:
        return " (not in the directory)"
    return f" {found.full_name}"


def _fail(kind: CodeKind, problem: str) -> NoReturn:
    typer.echo(f"invalid {kind.label} ({kind.value}): {problem}", err=True)
    raise typer.Exit(code=1)
