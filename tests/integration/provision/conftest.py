"""Shared fixtures of the provision tests: a country with a few people, propagated to the
national node, and recipients registered with credentials from the deployment CA."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from tests.conftest import TEST_MOMENT, opened_country

from jukinet.adapters.clock import FixedClock
from jukinet.adapters.network.recipient_client import RecipientClient, RecipientCredentials
from jukinet.bootstrap import Node, register_recipient
from jukinet.deployments import Deployment
from jukinet.domain.residents import Resident
from jukinet.nodes.municipal import arrivals, departures
from jukinet.protocol.directory import NATIONAL_ID

CHIYODA, TSURUMI, KITA = "131016", "141011", "271276"
CHIYODA_ADDRESS = "東京都千代田区丸の内一丁目1番1号"
TSURUMI_ADDRESS = "神奈川県横浜市鶴見区鶴見中央三丁目20番1号"
KITA_ADDRESS = "大阪府大阪市北区梅田一丁目1番1号"
CLERK = "clerk-provision"
PENSION = "kokumin-nenkin"


@dataclass
class World:
    country: Deployment
    clock: FixedClock
    home: Path
    people: dict[str, Resident]
    moved_code: str

    @property
    def national(self) -> Node:
        return self.country.national

    def client(
        self,
        recipient: str,
        kind: str = "agency",
        operator: str = "op-0001",
        node: str = NATIONAL_ID,
    ) -> RecipientClient:
        """A signed client of ``recipient`` at ``node``, registered there on first use."""
        folder = self.home / "credentials" / f"{node}-{recipient}-{kind}"
        if not (folder / "recipient.json").exists():
            register_recipient(
                self.country.nodes[node],
                recipient,
                kind,
                "jlis-admin" if node == NATIONAL_ID else f"{node}-admin",
                folder,
                self.country.settings.pki_dir,
            )
        credentials = RecipientCredentials.load(folder)
        assert self.country.bridge is not None
        http = httpx.Client(transport=self.country.bridge, base_url=credentials.endpoint)
        return RecipientClient(credentials, operator, http, now=self.clock.now)


def record(node: Node, **items: object) -> Resident:
    form = {
        "reason": "ex-officio-record",
        "family_name": "佐藤",
        "given_name": "花子",
        "family_name_kana": "サトウ",
        "given_name_kana": "ハナコ",
        "birth_date": "1955-06-15",
        "sex": "female",
        "address": CHIYODA_ADDRESS,
        "arrived_on": "2000-04-01",
        **items,
    }
    return arrivals.record_arrival(form, CLERK, node.supply)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    home = tmp_path_factory.mktemp("provision")
    clock = FixedClock(TEST_MOMENT)
    with opened_country(home, (CHIYODA, TSURUMI, KITA), clock) as country:
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
            "sato-tokyo": record(chiyoda),
            "sato-osaka": record(kita, address=KITA_ADDRESS),
            "yoshida": record(
                chiyoda,
                family_name="𠮷田",
                given_name="茂",
                family_name_kana="ヨシダ",
                given_name_kana="シゲル",
                birth_date="1940-01-20",
                sex="male",
            ),
            "mover": record(chiyoda, family_name="山﨑", given_name="恵", birth_date="1988-08-08"),
        }
        departures.record_death(
            {"resident_code": people["yoshida"].resident_code, "died_on": "2026-11-01"},
            CLERK,
            chiyoda.supply,
        )
        moved = departures.record_move_out(
            {
                "resident_code": people["mover"].resident_code,
                "destination": TSURUMI_ADDRESS,
                "planned_on": "2026-11-10",
            },
            CLERK,
            chiyoda.supply,
        )
        assert moved.certificate is not None
        certificate = moved.certificate
        arrivals.record_move_in(
            {
                "certificate": certificate.to_wire(),
                "family_name": certificate.family_name,
                "given_name": certificate.given_name,
                "birth_date": certificate.birth_date.isoformat(),
                "sex": certificate.sex.value,
                "address": TSURUMI_ADDRESS,
                "moved_in_on": "2026-11-12",
            },
            CLERK,
            country.municipality(TSURUMI).supply,
        )
        country.pump()
        yield World(country, clock, home, people, people["mover"].resident_code)


def log_rows(world: World, **where: str) -> list[dict[str, Any]]:
    """The national node's provision log, filtered by column values, oldest first."""
    table = world.national.metadata.tables["provisions"]
    query = select(table).where(*(table.c[k] == v for k, v in where.items()))
    with world.national.engine.connect() as connection:
        return [dict(r) for r in connection.execute(query.order_by(table.c.at)).mappings()]


def provided_codes(world: World, **where: str) -> list[str]:
    """The residents the matching provisions provided, in code order."""
    provisions = world.national.metadata.tables["provisions"]
    provided = world.national.metadata.tables["provided_residents"]
    query = (
        select(provided.c.resident_code)
        .join(provisions, provisions.c.provision_id == provided.c.provision_id)
        .where(*(provisions.c[k] == v for k, v in where.items()))
        .order_by(provided.c.resident_code)
    )
    with world.national.engine.connect() as connection:
        return list(connection.execute(query).scalars())
