"""What the window terminal's tests share: a municipality with a family on its register, a
clerk's browser session on it, and the access log read back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from tests.conftest import TOKYO_CHIYODA, DeploymentFactory, screen_session

from jukinet.bootstrap import Node
from jukinet.domain.residents import Resident
from jukinet.nodes.municipal import arrivals

HOME = "東京都千代田区丸の内一丁目1番1号"
NEW_HOME = "東京都千代田区神田一丁目2番3号"
TSURUMI = "神奈川県横浜市鶴見区鶴見中央三丁目20番1号"


@dataclass
class Window:
    """A clerk signed in at a browser on ``node``; ``post`` adds the page's CSRF token."""

    node: Node
    client: TestClient
    csrf: str

    def get(self, path: str, **options: Any) -> Any:
        return self.client.get(path, **options)

    def post(self, path: str, data: dict[str, Any] | None = None, **options: Any) -> Any:
        return self.client.post(path, data={"csrf": self.csrf, **(data or {})}, **options)

    def check(self, reader: str, name: str, value: str) -> Any:
        """What the page asks as the clerk types (an HTMX request with the CSRF header)."""
        headers = {"X-CSRF-Token": self.csrf, "HX-Request": "true", "HX-Trigger-Name": name}
        return self.client.post(
            f"/ui/terminal/checks/{reader}", data={name: value}, headers=headers
        )


def window(
    node: Node, roles: tuple[str, ...] = ("window-clerk",), operator_id: str = "clerk-001"
) -> Window:
    cookies, csrf = screen_session(node, roles, operator_id)
    return Window(node, TestClient(node.app, cookies=cookies), csrf)


def chiyoda(make_deployment: DeploymentFactory) -> Node:
    return make_deployment((TOKYO_CHIYODA,)).municipality(TOKYO_CHIYODA)


def family(node: Node) -> list[Resident]:
    """髙橋 一家 at HOME: the head 一郎, his wife 花子 and their child 𠮷男 (職権記載)."""
    assert node.supply is not None
    members: list[Resident] = []
    for given, kana, sex, born, relationship in (
        ("一郎", "イチロウ", "male", "1980-04-01", None),
        ("花子", "ハナコ", "female", "1982-07-07", "wife"),
        ("𠮷男", "ヨシオ", "male", "2012-01-15", "child"),
    ):
        form: dict[str, Any] = {
            "reason": "ex-officio-record",
            "family_name": "髙橋",
            "given_name": given,
            "family_name_kana": "タカハシ",
            "given_name_kana": kana,
            "birth_date": born,
            "sex": sex,
            "address": HOME,
            "arrived_on": "2026-04-01",
            "domicile": {"place": "東京都千代田区千代田1番", "head_of_family": "髙橋一郎"},
        }
        if relationship:
            form["household"] = {
                "household_id": members[0].household_id,
                "relationship": relationship,
            }
        members.append(arrivals.record_arrival(form, "clerk-setup", node.supply))
    return members


def access_lines(node: Node) -> list[dict[str, Any]]:
    """The node's access log, oldest first."""
    table = node.metadata.tables["access_log"]
    with node.engine.connect() as connection:
        rows = connection.execute(table.select().order_by(table.c.sequence))
        return [dict(row._mapping) for row in rows]


def record_of(node: Node, resident_code: str) -> Resident:
    assert node.supply is not None
    with node.supply.unit_of_work() as uow:
        found = uow.residents.any_by_code(resident_code)
    assert found is not None
    return found


def register_rows(node: Node) -> dict[str, int]:
    """How many rows each table of the register holds (nothing written = nothing changes)."""
    from sqlalchemy import func, select

    counts = {}
    with node.engine.connect() as connection:
        for name in (
            "residents",
            "households",
            "changes",
            "outbox",
            "copy_issuances",
            "move_out_certificates",
            "suppressions",
        ):
            table = node.metadata.tables[name]
            counts[name] = connection.execute(select(func.count()).select_from(table)).scalar_one()
    return counts
