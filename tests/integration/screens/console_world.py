"""A small country for the console tests: people registered in two municipalities and
delivered to every tier, 日本年金機構 registered at J-LIS with a few provisions made through
its signed API, and staff of the national (or prefecture) node at a browser.

``console_world(home)`` opens it; ``ConsoleWorld.staff(node, roles)`` signs an operator in and
gives a :class:`Screen` — a TestClient holding the session cookie and the page's CSRF token.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from tests.conftest import TEST_MOMENT, opened_country, screen_session
from tests.integration.provision.conftest import KITA_ADDRESS, World, record

from jukinet.adapters.clock import FixedClock
from jukinet.bootstrap import Node
from jukinet.domain.residents import Resident

CHIYODA, KITA = "131016", "271276"
PENSION = "kokumin-nenkin"


@dataclass
class Screen:
    """An operator's browser: the session cookie, the CSRF token of the pages."""

    http: TestClient
    csrf: str

    def get(self, path: str, **params: str) -> Any:
        return self.http.get(path, params=params or None, follow_redirects=False)

    def post(self, path: str, data: dict[str, Any] | None = None, **headers: str) -> Any:
        form = {"csrf": self.csrf, **(data or {})}
        return self.http.post(path, data=form, headers=headers, follow_redirects=False)

    def follow(self, answer: Any) -> Any:
        """The page a 303 after a step leads to."""
        assert answer.status_code == 303, answer.text
        return self.http.get(answer.headers["location"])


@dataclass
class ConsoleWorld:
    world: World
    people: dict[str, Resident]
    screens: dict[tuple[str, str], Screen] = field(default_factory=dict)

    @property
    def national(self) -> Node:
        return self.world.national

    @property
    def prefecture(self) -> Node:
        return self.world.country.nodes["prefecture"]

    def staff(self, node: Node, roles: tuple[str, ...], operator_id: str) -> Screen:
        """``operator_id`` (with ``roles``) signed in on ``node``, at a browser."""
        key = (node.entry.id, operator_id)
        if key not in self.screens:
            cookies, csrf = screen_session(node, roles, operator_id, terminal="console-01")
            http = TestClient(node.app, cookies=cookies, raise_server_exceptions=False)
            self.screens[key] = Screen(http, csrf)
        return self.screens[key]

    def provide(self, name: str, times: int = 1) -> None:
        """日本年金機構 asks J-LIS about ``name`` (a provision of one record), ``times`` times."""
        pension = self.world.client("nenkin")
        for _ in range(times):
            pension.post(
                "/provision/v1/identity-queries",
                {"affair": PENSION, "key": {"resident_code": self.people[name].resident_code}},
            )


@contextmanager
def console_world(home: Path) -> Iterator[ConsoleWorld]:
    clock = FixedClock(TEST_MOMENT)
    days = timedelta(days=400)  # tests move the clock by days; sessions outlive that here
    with opened_country(
        home, (CHIYODA, KITA), clock, session_idle=days, session_lifetime=days
    ) as country:
        chiyoda, kita = country.municipality(CHIYODA), country.municipality(KITA)
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
            "yamazaki": record(chiyoda, family_name="山﨑", given_name="恵"),
            "yoshida": record(kita, family_name="𠮷田", given_name="茂", address=KITA_ADDRESS),
        }
        country.pump()
        world = World(country, clock, home, people, people["takahashi"].resident_code)
        yield ConsoleWorld(world, people)


def text_of(html: str) -> str:
    """The words of a page, tags dropped and spaces folded (for assertions on what shows)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
