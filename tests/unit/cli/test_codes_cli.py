"""``jukinet code``: what a clerk or a script sees on stdout, stderr and in the exit code."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from typer.testing import CliRunner, Result

from jukinet.cli.codes import CodeKind, app
from jukinet.domain.checkdigits import use_resident_code_scheme

runner = CliRunner()


def run(*args: str) -> Result:
    return runner.invoke(app, list(args))


@pytest.mark.parametrize(
    ("kind", "value", "line"),
    [
        ("my-number", "123456789018", "valid 個人番号 123456789018"),
        ("my-number", "123456789050", "valid 個人番号 123456789050"),
        ("resident-code", "12345678903", "valid 住民票コード 12345678903"),
        ("resident-code", "31415926530", "valid 住民票コード 31415926530"),
        ("lg-code", "131016", "valid 全国地方公共団体コード 131016 東京都千代田区"),
        ("lg-code", "012131", "valid 全国地方公共団体コード 012131 北海道苫小牧市"),
        ("lg-code", "130001", "valid 全国地方公共団体コード 130001 東京都"),
    ],
)
def test_a_valid_code_exits_0_and_says_so(kind: str, value: str, line: str) -> None:
    result = run("validate", kind, value)
    assert result.exit_code == 0
    assert result.stdout == line + "\n"
    assert result.stderr == ""


def test_a_valid_lg_code_missing_from_the_directory_is_still_valid() -> None:
    result = run("validate", "lg-code", "990019")
    assert result.exit_code == 0
    assert result.stdout == "valid 全国地方公共団体コード 990019 (not in the directory)\n"


@pytest.mark.parametrize(
    ("kind", "value", "problem"),
    [
        ("my-number", "123456789019", "check digit of '123456789019' should be 8, but it is 9"),
        ("resident-code", "12345678904", "check digit of '12345678904' should be 3, but it is 4"),
        ("lg-code", "131017", "check digit of '131017' should be 6, but it is 7"),
        ("my-number", "12345678901", "must be 12 digits, got 11"),
        ("resident-code", "123456789031", "must be 11 digits, got 12"),
        ("lg-code", "13101", "must be 6 digits, got 5"),
        ("my-number", "1234-5678-9018", "'1234-5678-9018' must contain digits only"),
        ("my-number", "１２３４５６７８９０１８", "full-width digits are not accepted"),
        ("lg-code", "13101é", "'13101é' contains non-ASCII characters"),
    ],
)
def test_an_invalid_code_exits_1_and_says_exactly_why_on_stderr(
    kind: str, value: str, problem: str
) -> None:
    result = run("validate", kind, value)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert problem in result.stderr
    assert result.stderr.startswith(f"invalid {CodeKind(kind).label} ({kind}): ")


@pytest.mark.parametrize("command", ["validate", "check-digit"])
def test_an_unknown_kind_is_a_usage_error_listing_the_kinds(command: str) -> None:
    result = run(command, "postal-code", "1000001")
    assert result.exit_code == 2
    # The usage error is drawn in a box that may wrap: compare without the layout.
    flat = "".join(result.stderr.replace("│", " ").split())
    assert "'postal-code'" in flat
    for kind in CodeKind:
        assert f"'{kind.value}'" in flat


@pytest.mark.parametrize(
    ("kind", "body", "code"),
    [
        ("my-number", "12345678901", "123456789018"),
        ("my-number", "98320567321", "983205673214"),
        ("my-number", "12345678900", "123456789000"),
        ("resident-code", "1234567890", "12345678903"),
        ("resident-code", "1234567883", "12345678830"),
        ("lg-code", "13101", "131016"),
        ("lg-code", "01205", "012050"),
        ("lg-code", "13000", "130001"),
    ],
)
def test_check_digit_prints_the_completed_code(kind: str, body: str, code: str) -> None:
    result = run("check-digit", kind, body)
    assert result.exit_code == 0
    assert result.stdout == code + "\n"
    assert run("validate", kind, code).exit_code == 0


@pytest.mark.parametrize(
    ("kind", "body", "problem"),
    [
        ("my-number", "123456789018", "must be 11 digits (without the check digit), got 12"),
        ("resident-code", "123456789", "must be 10 digits (without the check digit), got 9"),
        ("lg-code", "131016", "must be 5 digits (without the check digit), got 6"),
        ("lg-code", "１３１０１", "full-width digits are not accepted"),
        ("resident-code", "12345abcde", "'12345abcde' must contain digits only"),
        ("resident-code", "", "must be 10 digits (without the check digit), got 0"),
    ],
)
def test_check_digit_refuses_a_bad_body(kind: str, body: str, problem: str) -> None:
    result = run("check-digit", kind, body)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert problem in result.stderr


class AlwaysSeven:
    name = "always-seven"

    def check_digit(self, body: str) -> int:
        return 7


@pytest.fixture
def resident_codes_end_in_seven() -> Iterator[None]:
    previous = use_resident_code_scheme(AlwaysSeven())
    try:
        yield
    finally:
        use_resident_code_scheme(previous)


@pytest.mark.usefixtures("resident_codes_end_in_seven")
def test_the_cli_follows_a_swapped_resident_code_scheme() -> None:
    assert run("check-digit", "resident-code", "1234567890").stdout == "12345678907\n"
    assert run("validate", "resident-code", "12345678907").exit_code == 0


def test_without_arguments_the_help_lists_both_commands() -> None:
    result = run()
    assert "validate" in result.stdout
    assert "check-digit" in result.stdout


def test_an_empty_value_is_reported_as_too_short() -> None:
    result = run("validate", "my-number", "")
    assert result.exit_code == 1
    assert "must be 12 digits, got 0" in result.stderr
