"""Shared fixtures of the residents' rights tests: a country whose national node holds a few
people — one with a change history and a provision to 日本年金機構 — J-LIS staff signed in
as a provision operator, and a resident portal with its credentials.

The tests move the clock by days; the staff's session is given limits longer than that (the
session rules themselves are tested in ``tests/integration/test_operator_sessions.py``)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.conftest import TEST_MOMENT, opened_country, operator_header
from tests.integration.provision.conftest import CLERK, World, record

from jukinet.adapters.clock import FixedClock
from jukinet.nodes.municipal import amendments

CHIYODA, KITA = "131016", "271276"
NEW_ADDRESS = "東京都千代田区永田町一丁目7番1号"
STAFF = "jlis-staff-01"


class Staff:
    """J-LIS staff at the national node's rights API, with their session token."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def post(self, path: str, body: dict[str, Any], expect: int = 200) -> dict[str, Any]:
        response = self.http.post(f"/rights/v1{path}", json=body)
        assert response.status_code == expect, response.text
        data: dict[str, Any] = response.json()
        return data

    def get(self, path: str, expect: int = 200) -> dict[str, Any]:
        response = self.http.get(f"/rights/v1{path}")
        assert response.status_code == expect, response.text
        data: dict[str, Any] = response.json()
        return data

    def pdf(self, path: str) -> bytes:
        response = self.http.get(f"/rights/v1{path}")
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/pdf"
        return response.content

    def disclosed(self, person: dict[str, str], documents: list[str]) -> dict[str, Any]:
        """A visit request, checked with ``documents`` and disclosed today."""
        request = self.post("/disclosure-requests", {"person": person, "method": "visit"}, 201)
        path = f"/disclosure-requests/{request['request_id']}"
        self.post(f"{path}/identity-check", {"documents": documents})
        return self.post(f"{path}/decision", {"decision": "disclosed"})


@dataclass
class RightsWorld:
    world: World
    staff: Staff
    token: str

    @property
    def clock(self) -> FixedClock:
        return self.world.clock

    def person(self, name: str) -> dict[str, str]:
        return {"resident_code": self.world.people[name].resident_code}

    def http(self, **headers: str) -> httpx.Client:
        return national_client(self.world, **headers)


def national_client(world: World, **headers: str) -> httpx.Client:
    """Plain HTTP to the national node, through the in-process bridge (never close it: that
    would close the bridge the whole country shares)."""
    bridge = world.country.bridge
    assert bridge is not None
    return httpx.Client(transport=bridge, base_url=world.national.entry.endpoint, headers=headers)


@pytest.fixture(scope="module")
def rights(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RightsWorld]:
    home = tmp_path_factory.mktemp("rights")
    clock = FixedClock(TEST_MOMENT)
    days = timedelta(days=60)
    with opened_country(
        home, (CHIYODA, KITA), clock, session_idle=days, session_lifetime=days
    ) as country:
        chiyoda = country.municipality(CHIYODA)
        people = {
            "takahashi": record(
                chiyoda,
                family_name="髙橋",
                given_name="一郎",
                family_name_kana="タカハシ",
                given_name_kana="イチロウ",
                birth_date="1950-04-01",
                sex="male",
            ),
            "sato": record(chiyoda),
            "child": record(
                chiyoda,
                family_name="山﨑",
                given_name="陽菜",
                birth_date="2015-05-05",
                arrived_on="2015-05-05",
            ),
        }
        amendments.record_move_within(
            {
                "resident_code": people["takahashi"].resident_code,
                "address": NEW_ADDRESS,
                "moved_on": "2026-11-15",
            },
            CLERK,
            chiyoda.supply,
        )
        country.pump()
        world = World(country, clock, home, people, people["takahashi"].resident_code)
        pension = world.client("nenkin")
        pension.post(
            "/provision/v1/identity-queries",
            {"affair": "kokumin-nenkin", "key": {"resident_code": world.moved_code}},
        )
        header = operator_header(country.national, ("provision-operator",), STAFF)
        token = header["Authorization"].removeprefix("Bearer ")
        staff = Staff(national_client(world, authorization=f"Bearer {token}"))
        yield RightsWorld(world, staff, token)


@pytest.fixture(autouse=True)
def _clock_stands_at_the_test_moment(rights: RightsWorld) -> Iterator[None]:
    yield
    rights.clock.moment = TEST_MOMENT


def pdf_text(pdf: bytes, folder: Path) -> str:
    """The text a reader sees, read with poppler's pdftotext (package poppler-utils)."""
    path = folder / "document.pdf"
    path.write_bytes(pdf)
    command = ["pdftotext", "-layout", str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout
