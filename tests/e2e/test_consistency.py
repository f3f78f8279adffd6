"""整合性確認: the national node asks every tier for its digest of a municipality's identity
information and, where they differ, explains each difference and what to do about it.

Whole in-process countries first: normal propagation is clean; then a version still in
transit, content altered at the prefecture, a record lost by the municipality and a node off
the network each show up as what they are. Then ``compare`` alone, on hand-made entries.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import delete, select, update
from tests.conftest import OSAKA_KITA, TOKYO_CHIYODA, YOKOHAMA_TSURUMI

from jukinet.bootstrap import Node
from jukinet.deployments import Deployment
from jukinet.domain.identity import IdentityInfo
from jukinet.domain.residents import Resident
from jukinet.nodes.municipal import amendments, arrivals
from jukinet.nodes.national.consistency import Discrepancy, MunicipalityCheck, compare
from jukinet.protocol.canonical import canonical_bytes
from jukinet.protocol.catalogue import DigestEntry

OPERATOR = "clerk-1"
PREFECTURE = "prefecture"
EVERYWHERE = (TOKYO_CHIYODA, YOKOHAMA_TSURUMI, OSAKA_KITA)
ADDRESSES = {
    TOKYO_CHIYODA: "東京都千代田区丸の内一丁目{n}番1号",
    YOKOHAMA_TSURUMI: "神奈川県横浜市鶴見区鶴見中央一丁目{n}番1号",
    OSAKA_KITA: "大阪府大阪市北区梅田一丁目{n}番1号",
}
TAMPERING = "same version number but different content: investigate for tampering"


# --- the clerk's side -------------------------------------------------------------------------


def arrive(node: Node, number: int) -> Resident:
    """Record a person found living here (職権記載): one new identity version."""
    assert node.supply is not None
    assert node.entry.municipality_code is not None
    form = {
        "reason": "ex-officio-record",
        "family_name": "山田",
        "given_name": "花子" if number % 2 else "太郎",
        "birth_date": "1980-04-01",
        "sex": "female" if number % 2 else "male",
        "address": ADDRESSES[node.entry.municipality_code].format(n=number),
        "arrived_on": "2026-11-01",
    }
    return arrivals.record_arrival(form, OPERATOR, node.supply)


def rename(node: Node, resident: Resident, family_name: str) -> None:
    assert node.supply is not None
    form = {
        "resident_code": resident.resident_code,
        "family_name": family_name,
        "family_name_kana": "",
        "given_name": resident.name.given,
        "changed_on": "2026-11-20",
    }
    amendments.change_name(form, OPERATOR, node.supply)


def populate(country: Deployment, per_municipality: int = 3) -> dict[str, list[Resident]]:
    """A few people in every municipality, every change delivered to every tier."""
    people = {
        code: [arrive(country.municipality(code), n) for n in range(1, per_municipality + 1)]
        for code in EVERYWHERE
    }
    country.pump()
    return people


def check(country: Deployment, municipality_code: str = TOKYO_CHIYODA) -> MunicipalityCheck:
    assert country.national.consistency is not None
    (result,) = country.national.consistency.run([municipality_code])
    return result


# --- behind the system's back ---------------------------------------------------------------


def tamper_with_content(node: Node, stream: str, family_name: str) -> None:
    """Rewrite the latest version of a record in place — and its digest, so that the node's
    store is consistent with itself and only the other tiers can tell."""
    t = node.metadata.tables["identity_current"]
    with node.engine.begin() as connection:
        content = connection.execute(select(t.c.content).where(t.c.stream == stream)).scalar_one()
        original = IdentityInfo.from_wire(json.loads(content))
        forged = dataclasses.replace(original, family_name=family_name)
        connection.execute(
            update(t)
            .where(t.c.stream == stream)
            .values(content=canonical_bytes(forged.to_wire()).decode(), digest=forged.digest())
        )


def forget_record(node: Node, stream: str) -> None:
    """Drop every version of a record from a node's identity store, as a restore from a backup
    taken before the record existed would."""
    with node.engine.begin() as connection:
        for table in ("identity_current", "identity_versions"):
            t = node.metadata.tables[table]
            connection.execute(delete(t).where(t.c.stream == stream))


@contextmanager
def off_the_network(country: Deployment, node: Node) -> Iterator[None]:
    assert country.bridge is not None
    host = node.entry.endpoint.removeprefix("http://")
    transport = country.bridge._apps.pop(host)
    try:
        yield
    finally:
        country.bridge._apps[host] = transport


# --- a whole country ------------------------------------------------------------------------


def test_after_normal_propagation_every_municipality_is_consistent(country: Deployment) -> None:
    populate(country, per_municipality=4)
    chiyoda = country.municipality(TOKYO_CHIYODA)
    rename(chiyoda, arrive(chiyoda, 5), "髙橋")
    country.pump()
    assert country.national.consistency is not None

    checks = country.national.consistency.run(EVERYWHERE)

    assert [c.municipality_code for c in checks] == list(EVERYWHERE)
    assert all(c.consistent and not c.discrepancies and not c.unreachable for c in checks)
    expected = {TOKYO_CHIYODA: 5, YOKOHAMA_TSURUMI: 4, OSAKA_KITA: 4}
    for c in checks:
        n = expected[c.municipality_code]
        assert c.counts == {"municipality": n, "prefecture": n, "national": n}


def test_versions_still_in_transit_show_the_national_node_lagging(country: Deployment) -> None:
    people = populate(country)[TOKYO_CHIYODA]
    chiyoda = country.municipality(TOKYO_CHIYODA)
    renamed = people[0]
    rename(chiyoda, renamed, "髙橋")
    newcomer = arrive(chiyoda, 9)
    # The municipality delivers to the prefecture node, whose relay has not run yet.
    assert chiyoda.relay.run_once() == 2

    result = check(country)

    assert not result.consistent
    assert result.counts == {"national": 3, "prefecture": 4, "municipality": 4}
    by_code = {d.resident_code: d for d in result.discrepancies}
    assert set(by_code) == {renamed.resident_code, newcomer.resident_code}
    assert by_code[renamed.resident_code].sequences == {
        "municipality": 2,
        "prefecture": 2,
        "national": 1,
    }
    assert by_code[newcomer.resident_code].sequences == {
        "municipality": 1,
        "prefecture": 1,
        "national": None,
    }
    for discrepancy, version in (
        (by_code[renamed.resident_code], 2),
        (by_code[newcomer.resident_code], 1),
    ):
        assert discrepancy.advice.startswith(f"national lacks version {version}")
        assert "outbox backlog" in discrepancy.advice
        assert "resend" in discrepancy.advice

    # The advice was right: once the prefecture's relay runs, the tiers agree.
    country.pump()
    assert check(country).consistent


def test_content_altered_at_the_prefecture_is_reported_as_possible_tampering(
    country: Deployment,
) -> None:
    people = populate(country)[TOKYO_CHIYODA]
    victim = people[1]

    tamper_with_content(country.nodes[PREFECTURE], victim.record_id, "偽名")
    result = check(country)

    assert not result.consistent
    assert result.counts == {"national": 3, "prefecture": 3, "municipality": 3}
    assert result.discrepancies == [
        Discrepancy(
            victim.resident_code,
            victim.record_id,
            {"municipality": 1, "prefecture": 1, "national": 1},
            TAMPERING,
        )
    ]
    # Other municipalities held by the same prefecture node are untouched.
    assert check(country, YOKOHAMA_TSURUMI).consistent


def test_content_altered_without_its_digest_is_noticed_too(country: Deployment) -> None:
    victim = populate(country)[TOKYO_CHIYODA][0]
    prefecture = country.nodes[PREFECTURE]
    t = prefecture.metadata.tables["identity_current"]
    with prefecture.engine.begin() as connection:
        content = connection.execute(
            select(t.c.content).where(t.c.stream == victim.record_id)
        ).scalar_one()
        assert "山田" in content
        connection.execute(
            update(t)
            .where(t.c.stream == victim.record_id)
            .values(content=content.replace("山田", "偽名"))
        )

    assert not check(country).consistent


def test_a_record_held_upstream_but_not_by_the_municipality_is_reported(
    country: Deployment,
) -> None:
    people = populate(country)[TOKYO_CHIYODA]
    lost = people[2]

    forget_record(country.municipality(TOKYO_CHIYODA), lost.record_id)
    result = check(country)

    assert result.counts == {"national": 3, "prefecture": 3, "municipality": 2}
    (discrepancy,) = result.discrepancies
    assert discrepancy.resident_code == lost.resident_code
    assert discrepancy.sequences == {"municipality": None, "prefecture": 1, "national": 1}
    assert discrepancy.advice.startswith("held upstream but not in the municipality's register")
    assert "old backup" in discrepancy.advice


@pytest.mark.parametrize("holder", ["municipality", "prefecture"])
def test_a_holder_off_the_network_is_reported_unreachable_not_raised(
    country: Deployment, holder: str
) -> None:
    populate(country)
    node = (
        country.municipality(TOKYO_CHIYODA)
        if holder == "municipality"
        else country.nodes[PREFECTURE]
    )
    assert country.national.consistency is not None

    with off_the_network(country, node):
        checks = country.national.consistency.run([TOKYO_CHIYODA, OSAKA_KITA])

    chiyoda, kita = checks
    assert not chiyoda.consistent
    assert set(chiyoda.unreachable) == {holder}
    assert node.entry.id in chiyoda.unreachable[holder]
    assert chiyoda.discrepancies == []
    assert set(chiyoda.counts) == {"national", "prefecture", "municipality"} - {holder}
    if holder == "municipality":
        assert kita.consistent  # one municipality down does not stop the others' check
    else:
        assert set(kita.unreachable) == {"prefecture"}
    assert check(country).consistent  # back on the network


# --- compare() alone --------------------------------------------------------------------------


def entry(stream: str, sequence: int, digest: str | None = None) -> DigestEntry:
    return DigestEntry(stream, sequence, f"code-of-{stream}", digest or f"{stream}@{sequence}")


def holders(
    municipality: list[DigestEntry],
    prefecture: list[DigestEntry] | None = None,
    national: list[DigestEntry] | None = None,
) -> dict[str, list[DigestEntry]]:
    """The three holders' reports; upstream defaults to what the municipality holds."""
    return {
        "municipality": municipality,
        "prefecture": list(municipality) if prefecture is None else prefecture,
        "national": list(municipality) if national is None else national,
    }


def test_compare_finds_nothing_when_every_holder_has_the_same_versions() -> None:
    same = [entry("a", 1), entry("b", 3)]

    assert compare(holders(same)) == []
    assert compare(holders([])) == []


def test_compare_names_the_holder_that_lacks_the_latest_version() -> None:
    found = compare(holders([entry("a", 2), entry("b", 1)], national=[entry("a", 1)]))

    assert [(d.resident_code, d.stream, d.sequences) for d in found] == [
        ("code-of-a", "a", {"municipality": 2, "prefecture": 2, "national": 1}),
        ("code-of-b", "b", {"municipality": 1, "prefecture": 1, "national": None}),
    ]
    assert found[0].advice.startswith("national lacks version 2: it may still be in transit")
    assert found[1].advice.startswith("national lacks version 1")


def test_compare_names_every_holder_that_lags() -> None:
    (found,) = compare(holders([entry("a", 3)], prefecture=[entry("a", 2)], national=[]))

    assert found.advice.startswith("prefecture, national lacks version 3")


def test_compare_calls_a_holder_ahead_of_the_municipality_a_matter_to_investigate() -> None:
    (found,) = compare(holders([entry("a", 2)], national=[entry("a", 3)]))

    assert found.sequences == {"municipality": 2, "prefecture": 2, "national": 3}
    assert found.advice == "national holds a newer version than the municipality: investigate"


def test_compare_reports_a_record_missing_from_the_municipality() -> None:
    (found,) = compare(holders([], prefecture=[entry("a", 1)], national=[entry("a", 1)]))

    assert found.resident_code == "code-of-a"
    assert found.sequences == {"municipality": None, "prefecture": 1, "national": 1}
    assert found.advice.startswith("held upstream but not in the municipality's register")


def test_compare_reports_same_version_different_content_as_tampering() -> None:
    (found,) = compare(holders([entry("a", 4)], prefecture=[entry("a", 4, "forged")]))

    assert found.sequences == {"municipality": 4, "prefecture": 4, "national": 4}
    assert found.advice == TAMPERING


def test_compare_puts_a_lagging_holder_before_a_differing_digest() -> None:
    """An older version naturally has another digest: the lag is the explanation."""
    (found,) = compare(holders([entry("a", 2)], national=[entry("a", 1)]))

    assert found.advice.startswith("national lacks version 2")


def test_compare_reports_each_record_once_in_stream_order() -> None:
    municipality = [entry("c", 1), entry("a", 1), entry("b", 1)]
    found = compare(
        holders(
            municipality,
            prefecture=[entry("a", 1, "x"), entry("b", 1), entry("c", 1)],
            national=[entry("b", 1)],
        )
    )

    assert [(d.stream, d.advice.split(":")[0]) for d in found] == [
        ("a", "national lacks version 1"),
        ("c", "national lacks version 1"),
    ]
