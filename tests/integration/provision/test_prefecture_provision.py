"""The prefecture node provides too (住基法30条の11〜15): to each governor for its own affairs
(別表第五 and ordinances) about its own residents only, and to bodies of other prefectures
for the affairs of 別表第三, from the identity information the prefecture node keeps."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from tests.integration.provision.conftest import World

from jukinet.adapters.network.recipient_client import (
    RecipientClient,
    RecipientRequestFailed,
)
from jukinet.bootstrap import register_recipient

QUERIES = "/provision/v1/identity-queries"


def prefecture_client(world: World, recipient: str) -> RecipientClient:
    return world.client(recipient, operator="pref-op-1", node="prefecture")


def ask(client: RecipientClient, affair: str, code: str) -> dict[str, Any]:
    return client.post(QUERIES, {"affair": affair, "key": {"resident_code": code}})


def test_a_governor_receives_its_own_residents_for_its_own_affairs(world: World) -> None:
    tokyo = prefecture_client(world, "13.governor")
    person = world.people["takahashi"]  # lives in 千代田区, Tokyo

    answer = ask(tokyo, "chihozei", person.resident_code)

    (match,) = answer["matches"]
    assert match["identity"]["family_name"] == "髙橋"
    table = world.country.nodes["prefecture"].metadata.tables["provisions"]
    with world.country.nodes["prefecture"].engine.connect() as connection:
        row = (
            connection.execute(select(table).where(table.c.provision_id == answer["provision_id"]))
            .mappings()
            .one()
        )
    assert (row["recipient_id"], row["affair_id"], row["provided"]) == (
        "13.governor",
        "chihozei",
        1,
    )


def test_a_governor_does_not_receive_residents_of_another_prefecture_for_own_affairs(
    world: World,
) -> None:
    osaka_resident = world.people["sato-osaka"]

    answer = ask(prefecture_client(world, "13.governor"), "chihozei", osaka_resident.resident_code)

    assert answer["matches"] == []


def test_an_affair_of_table_three_reaches_residents_of_another_prefecture(world: World) -> None:
    osaka_resident = world.people["sato-osaka"]

    answer = ask(prefecture_client(world, "14.governor"), "ryoken", osaka_resident.resident_code)

    assert [m["identity"]["resident_code"] for m in answer["matches"]] == [
        osaka_resident.resident_code
    ]


def test_an_ordinance_affair_belongs_to_its_prefecture_only(world: World) -> None:
    with pytest.raises(RecipientRequestFailed) as refused:
        ask(
            prefecture_client(world, "14.governor"),
            "fufuku-moshitate",
            world.people["takahashi"].resident_code,
        )

    assert (refused.value.status, refused.value.problem["field"]) == (403, "affair")


def test_a_national_agency_is_not_a_recipient_of_the_prefecture(world: World) -> None:
    node = world.country.nodes["prefecture"]
    with pytest.raises(Exception, match="not a recipient named in registry"):
        register_recipient(
            node, "nenkin", "agency", "pref-admin", world.home / "x", world.country.settings.pki_dir
        )
