"""Provision from the command line: J-LIS registers an agency (and refuses a body the law does
not name), and publishes the annual notice as CSV and PDF with what was provided."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jukinet.bootstrap import open_node
from jukinet.cli.main import app
from jukinet.domain.changes import ChangeReason
from jukinet.domain.checkdigits import resident_code_scheme
from jukinet.domain.identity import IdentityInfo, RecordStatus, Sex
from jukinet.nodes.provision.immediate import IdentityQuery, provide_identity
from jukinet.nodes.provision.providers import Caller
from jukinet.settings import Settings

CHIYODA = "131016"


@pytest.fixture
def home(cli_home: Path) -> Path:
    return cli_home


def invoke(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_an_agency_registered_at_jlis_is_counted_in_the_published_notice(home: Path) -> None:
    invoke("deploy", "init", CHIYODA, "--home", str(home))
    settings = Settings.from_env(home=home)
    national = open_node("national", settings)
    code = "1234567890" + str(resident_code_scheme().check_digit("1234567890"))
    identity = IdentityInfo(
        resident_code=code,
        my_number=None,
        family_name="髙橋",
        given_name="一郎",
        family_name_kana="タカハシ",
        given_name_kana="イチロウ",
        former_surname="",
        alias="",
        birth_date=date(1950, 4, 1),
        sex=Sex.MALE,
        address="東京都千代田区丸の内一丁目1番1号",
        municipality_code="131016",
        status=RecordStatus.ACTIVE,
        reason=ChangeReason.EX_OFFICIO_RECORD,
        change_date=date(2000, 4, 1),
    )
    with national.unit_of_work() as uow:
        uow.identities.add("stream-1", 1, identity, "message-1", national.clock.now())
        uow.commit()

    registered = invoke(
        "agency",
        "register",
        "nenkin",
        "--out",
        str(home / "nenkin"),
        "--operator",
        "jlis-admin",
        "--home",
        str(home),
    )
    refused = CliRunner().invoke(
        app,
        [
            "agency",
            "register",
            "no-such-body",
            "--out",
            str(home / "x"),
            "--operator",
            "a",
            "--home",
            str(home),
        ],
    )
    assert "fingerprint" in registered
    assert refused.exit_code == 1
    assert "not a recipient named in registry" in refused.output

    assert national.provider is not None
    answer = provide_identity(
        IdentityQuery("kokumin-nenkin", {"resident_code": code}),
        Caller("nenkin", "op-1"),
        national.provider,
    )
    assert len(answer.people) == 1

    csv_file, pdf_file = home / "notice.csv", home / "notice.pdf"
    shown = invoke(
        "report",
        "notice",
        "--from",
        "2000-01",
        "--to",
        "2099-12",
        "--csv",
        str(csv_file),
        "--pdf",
        str(pdf_file),
        "--home",
        str(home),
    )

    assert "提供件数合計 1 件" in shown
    lines = csv_file.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[1].startswith("日本年金機構,国民年金法による")
    assert ",1,即時提供," in lines[1]
    text = subprocess.run(
        ["pdftotext", str(pdf_file), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "日本年金機構" in text
    assert "提供件数合計" in text
    national.engine.dispose()
    assert json.loads((home / "nenkin" / "recipient.json").read_text())["recipient"] == "nenkin"
