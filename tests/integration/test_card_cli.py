"""``jukinet card …`` as the card node's counter staff run it in the deployment folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from jukinet.cli.main import app

NUMBER = "400123456784"
ISSUE = [
    "card",
    "issue",
    NUMBER,
    "--resident-code",
    "47182059362",
    "--name",
    "髙橋 葛子",
    "--birth-date",
    "1988-02-29",
    "--municipality",
    "131016",
    "--expires-on",
    "2031-02-28",
    "--operator",
    "clerk-1",
]


@pytest.fixture
def home(cli_home: Path) -> Path:
    created = CliRunner().invoke(app, ["deploy", "init", "131016", "--home", str(cli_home)])
    assert created.exit_code == 0, created.output
    assert "card" in created.output
    return cli_home


def run(home: Path, *args: str, typed: str | None = None) -> Result:
    return CliRunner().invoke(app, [*args, "--home", str(home)], input=typed)


def test_a_card_is_issued_with_a_hidden_pin_typed_twice(home: Path) -> None:
    issued = run(home, *ISSUE, typed="4321\n4321\n")

    assert issued.exit_code == 0, issued.output
    assert f"card {NUMBER} issued to 47182059362, valid until 2031-02-28" in issued.output
    assert "4321" not in issued.output


def test_pins_that_differ_when_typed_twice_are_asked_again(home: Path) -> None:
    issued = run(home, *ISSUE, typed="4321\n4322\n4321\n4321\n")

    assert issued.exit_code == 0, issued.output
    assert "do not match" in issued.output


def test_the_pin_can_come_from_a_file(home: Path, tmp_path: Path) -> None:
    pin_file = tmp_path / "pin"
    pin_file.write_text("4321\n")

    issued = run(home, *ISSUE, "--pin-file", str(pin_file))

    assert issued.exit_code == 0, issued.output
    assert "4321" not in issued.output


def test_status_shows_the_card_and_its_log_but_no_pin(home: Path) -> None:
    run(home, *ISSUE, typed="4321\n4321\n")
    run(home, "card", "suspend", NUMBER, "--operator", "clerk-2", "--reason", "紛失の届出")

    status = run(home, "card", "status", NUMBER)

    assert status.exit_code == 0, status.output
    for shown in ("髙橋 葛子", "suspended", "clerk-2", "紛失の届出", "issued", "131016"):
        assert shown in status.output
    assert "argon2" not in status.output


def test_a_card_goes_through_suspend_resume_reset_and_revoke(home: Path, tmp_path: Path) -> None:
    run(home, *ISSUE, typed="4321\n4321\n")
    pin_file = tmp_path / "new-pin"
    pin_file.write_text("8765")

    steps = [
        run(home, "card", "suspend", NUMBER, "--operator", "clerk-2"),
        run(home, "card", "resume", NUMBER, "--operator", "clerk-2"),
        run(
            home, "card", "reset-pin", NUMBER, "--operator", "clerk-3", "--pin-file", str(pin_file)
        ),
        run(home, "card", "revoke", NUMBER, "--operator", "clerk-4", "--reason", "returned"),
    ]

    assert [s.exit_code for s in steps] == [0, 0, 0, 0], [s.output for s in steps]
    assert "state: revoked" in steps[-1].output
    assert "revoked" in run(home, "card", "status", NUMBER).output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("card", "status", "400123456792"), "card_number: no card 400123456792 was issued"),
        (("card", "resume", NUMBER, "--operator", "clerk-1"), "not suspended"),
        (("card", "suspend", NUMBER, "--operator", "Clerk 1"), "operator:"),
        (("card", "status", "123456789018"), "reads as a 個人番号"),
    ],
)
def test_a_refusal_is_one_clear_line_and_exit_code_1(
    home: Path, args: tuple[str, ...], message: str
) -> None:
    run(home, *ISSUE, typed="4321\n4321\n")

    refused = run(home, *args)

    assert refused.exit_code == 1
    assert message in refused.output
    assert "Traceback" not in refused.output


def test_a_bad_pin_is_refused_without_repeating_it(home: Path, tmp_path: Path) -> None:
    pin_file = tmp_path / "pin"
    pin_file.write_text("98765")

    refused = run(home, *ISSUE, "--pin-file", str(pin_file))

    assert refused.exit_code == 1
    assert "pin: a PIN is exactly 4 ASCII digits" in refused.output
    assert "98765" not in refused.output


def test_a_missing_pin_file_is_said_so(home: Path, tmp_path: Path) -> None:
    refused = run(home, *ISSUE, "--pin-file", str(tmp_path / "nowhere"))

    assert refused.exit_code == 1
    assert "--pin-file: cannot read" in refused.output
