"""Nothing lost, nothing duplicated: identity updates reach the national node exactly once.

Whole in-process countries: municipalities record changes, relays carry them through the
prefecture node to the national node, and the tests break a link, crash a relay or a node,
reorder deliveries and tamper with a store, then check what each tier holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any

import pytest
import structlog
from sqlalchemy import delete, func, select, update
from tests.conftest import OSAKA_KITA, TOKYO_CHIYODA, YOKOHAMA_TSURUMI, DeploymentFactory

from jukinet.adapters.clock import FixedClock
from jukinet.bootstrap import Node
from jukinet.deployments import Deployment
from jukinet.domain.residents import Resident
from jukinet.nodes.municipal import amendments, arrivals, departures
from jukinet.nodes.national.consistency import MunicipalityCheck
from jukinet.nodes.ports import PeerRejected, PeerUnavailable
from jukinet.protocol.catalogue import DeliveryReceipt, DigestEntry, IdentityUpdate
from jukinet.protocol.directory import NodeEntry
from jukinet.protocol.envelope import Envelope, Message, utc_timestamp
from jukinet.protocol.ids import uuid7
from jukinet.protocol.reception import seal

OPERATOR = "clerk-1"
PREFECTURE = "prefecture"
ADDRESSES = {
    TOKYO_CHIYODA: "東京都千代田区丸の内一丁目{n}番1号",
    YOKOHAMA_TSURUMI: "神奈川県横浜市鶴見区鶴見中央一丁目{n}番1号",
    OSAKA_KITA: "大阪府大阪市北区梅田一丁目{n}番1号",
}
GIVEN_NAMES = ("太郎", "花子", "一郎", "美咲", "健太", "陽菜", "翔", "結衣")


@pytest.fixture
def country(make_deployment: DeploymentFactory) -> Deployment:
    """Chiyoda with its prefecture node and the national node: quicker to build than three."""
    return make_deployment((TOKYO_CHIYODA,))


# --- the clerk's side -----------------------------------------------------------------------------


def supply(node: Node) -> Any:
    assert node.supply is not None, f"{node.entry.id} is not a municipality"
    return node.supply


def address(node: Node, number: int) -> str:
    return ADDRESSES[str(node.entry.municipality_code)].format(n=number)


def arrive(node: Node, number: int = 1, joining: Resident | None = None) -> Resident:
    """Record a person found living here (職権記載), alone or ``joining`` another's household."""
    form: dict[str, Any] = {
        "reason": "ex-officio-record",
        "family_name": "山田",
        "given_name": GIVEN_NAMES[number % len(GIVEN_NAMES)],
        "birth_date": "1980-04-01",
        "sex": "female" if number % 2 else "male",
        "address": address(node, number) if joining is None else joining.address,
        "arrived_on": "2026-11-01",
    }
    if joining is not None:
        form["household"] = {"household_id": joining.household_id, "relationship": "child"}
    return arrivals.record_arrival(form, OPERATOR, supply(node))


def arrive_as_family(node: Node, number: int, size: int) -> list[Resident]:
    head = arrive(node, number)
    return [head] + [arrive(node, number, joining=head) for _ in range(size - 1)]


def move_within(node: Node, resident: Resident, number: int) -> None:
    form = {
        "resident_code": resident.resident_code,
        "address": address(node, number),
        "moved_on": "2026-11-20",
    }
    amendments.record_move_within(form, OPERATOR, supply(node))


def rename(node: Node, resident: Resident, family_name: str) -> None:
    form = {
        "resident_code": resident.resident_code,
        "family_name": family_name,
        "family_name_kana": "",
        "given_name": resident.name.given,
        "changed_on": "2026-11-20",
    }
    amendments.change_name(form, OPERATOR, supply(node))


def record_death(node: Node, resident: Resident) -> None:
    form = {"resident_code": resident.resident_code, "died_on": "2026-11-22"}
    departures.record_death(form, OPERATOR, supply(node))


# --- what each tier holds -------------------------------------------------------------------------


def count(node: Node, table: str) -> int:
    t = node.metadata.tables[table]
    with node.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(t)).scalar_one())


def versions(node: Node) -> list[tuple[str, int]]:
    """Every (record, version) the node holds."""
    t = node.metadata.tables["identity_versions"]
    with node.engine.connect() as connection:
        return sorted((row.stream, row.sequence) for row in connection.execute(select(t)))


def forwarded(node: Node) -> list[tuple[str, int]]:
    """Every identity update the node queued for another node, repeats included."""
    t = node.metadata.tables["outbox"]
    query = select(t.c.stream, t.c.sequence).where(t.c.type == IdentityUpdate.TYPE)
    with node.engine.connect() as connection:
        return sorted((row.stream, row.sequence) for row in connection.execute(query))


def attempts(node: Node) -> set[int]:
    t = node.metadata.tables["outbox"]
    with node.engine.connect() as connection:
        query = select(t.c.attempts).where(t.c.delivered_at.is_(None)).distinct()
        return {row.attempts for row in connection.execute(query)}


def current(node: Node, stream: str) -> tuple[int, str]:
    """The latest version the node holds of one record: its sequence and content."""
    t = node.metadata.tables["identity_current"]
    with node.engine.connect() as connection:
        row = connection.execute(select(t).where(t.c.stream == stream)).one()
    return row.sequence, row.content


def check_consistency(country: Deployment, codes: list[str]) -> list[MunicipalityCheck]:
    """整合性確認, run by the national node across the three tiers."""
    assert country.national.consistency is not None
    return country.national.consistency.run(codes)


def assert_everything_arrived_once(country: Deployment, municipalities: list[Node]) -> None:
    notified = sorted(v for m in municipalities for v in versions(m))
    prefecture = country.nodes[PREFECTURE]
    assert all(m.outbox.backlog() == 0 for m in municipalities)
    assert prefecture.outbox.backlog() == 0
    assert versions(prefecture) == notified
    assert forwarded(prefecture) == notified  # each version forwarded once, none twice
    assert versions(country.national) == notified


# --- ways to break things -------------------------------------------------------------------------


def host(node: Node) -> str:
    return node.entry.endpoint.removeprefix("http://")


@contextmanager
def unreachable(country: Deployment, node: Node) -> Iterator[None]:
    """Take ``node`` off the network for the duration: connections to it are refused."""
    assert country.bridge is not None
    transport = country.bridge._apps.pop(host(node))
    try:
        yield
    finally:
        country.bridge._apps[host(node)] = transport


def serve_like_a_real_server(country: Deployment, node: Node) -> None:
    """Mount ``node`` again (the bridge answers a crash with 500, as uvicorn does)."""
    assert country.bridge is not None
    country.bridge.mount(host(node), node.app)


class Crash(Exception):
    """A process dying at a chosen point."""


@contextmanager
def dying_after_applying(node: Node) -> Iterator[list[MutableMapping[str, Any]]]:
    """Make ``node`` die after its identity.update handler stored everything, before commit.

    Yields the log entries written meanwhile (captured: rendering the crash's traceback to the
    console would cost seconds).
    """
    handler = node.receiver.handlers[IdentityUpdate.TYPE]

    def apply_then_crash(*args: Any) -> Any:
        handler(*args)
        raise Crash(f"{node.entry.id} died before committing")

    handlers = {**node.receiver.handlers, IdentityUpdate.TYPE: apply_then_crash}
    with pytest.MonkeyPatch.context() as patch, structlog.testing.capture_logs() as logs:
        patch.setattr(node.receiver, "handlers", handlers)
        yield logs


def record_receipts(node: Node, monkeypatch: pytest.MonkeyPatch) -> list[DeliveryReceipt]:
    """Keep every receipt ``node``'s relay gets back."""
    receipts: list[DeliveryReceipt] = []
    open_response = node.peer.open_response

    def keep(raw: bytes, recipient: str, expected_type: str) -> Any:
        body = open_response(raw, recipient, expected_type)
        receipts.append(body)
        return body

    monkeypatch.setattr(node.peer, "open_response", keep)
    return receipts


def send_alone(sender: Node, recipient: str, message: Message, clock: FixedClock) -> None:
    """Deliver one message in an envelope of its own, signed by ``sender``."""
    envelope = seal(
        sender.peer.signer,
        Envelope(uuid7(), sender.entry.id, recipient, utc_timestamp(clock.now()), (message,)),
    )
    sender.peer.poster.post(sender.directory.node(recipient), envelope.to_bytes())


# --- a link goes down -----------------------------------------------------------------------------


def test_changes_recorded_while_the_prefecture_is_unreachable_arrive_once_when_it_returns(
    country: Deployment,
) -> None:
    chiyoda = country.municipality(TOKYO_CHIYODA)
    with unreachable(country, country.nodes[PREFECTURE]):
        people = [arrive(chiyoda, n) for n in range(1, 5)]
        move_within(chiyoda, people[0], 9)

        # The register committed every change, and the outbox holds every notice.
        with chiyoda.unit_of_work() as uow:
            assert all(uow.residents.active_by_code(p.resident_code) for p in people)
        assert chiyoda.outbox.backlog() == 5

        # The relay tries, fails, and then waits longer before each new try.
        assert chiyoda.relay.run_once(monotonic=0.0) == 0
        assert attempts(chiyoda) == {1}
        assert chiyoda.relay.run_once(monotonic=0.1) == 0
        assert attempts(chiyoda) == {1}, "retried before the back-off expired"
        assert chiyoda.relay.run_once(monotonic=0.2) == 0
        assert attempts(chiyoda) == {2}
        assert chiyoda.relay.run_once(monotonic=0.5) == 0
        assert attempts(chiyoda) == {2}, "the back-off did not grow after a second failure"

        record_death(chiyoda, people[1])
        assert chiyoda.outbox.backlog() == 6

    assert chiyoda.relay.run_once(monotonic=1.0) == 6
    country.pump()

    assert_everything_arrived_once(country, [chiyoda])
    assert len(versions(country.national)) == 6
    assert all(check.consistent for check in check_consistency(country, [TOKYO_CHIYODA]))


# --- a delivery is applied but not noted as delivered ---------------------------------------------


def relay_dies_before_noting(node: Node, patch: pytest.MonkeyPatch) -> None:
    def die(row_ids: list[int], at: object) -> None:
        raise Crash("the relay died before marking the messages delivered")

    patch.setattr(node.outbox, "mark_delivered", die)
    with pytest.raises(Crash):
        node.relay.run_once()


def answer_lost_on_the_way_back(node: Node, patch: pytest.MonkeyPatch) -> None:
    poster = node.peer.poster

    class LosingAnswers:
        def post(self, recipient: NodeEntry, content: bytes) -> bytes:
            poster.post(recipient, content)
            raise PeerUnavailable(f"{recipient.id}: connection reset before the answer arrived")

    patch.setattr(node.peer, "poster", LosingAnswers())
    assert node.relay.run_once(monotonic=0.0) == 0


@pytest.mark.parametrize("failure", [relay_dies_before_noting, answer_lost_on_the_way_back])
def test_a_delivery_applied_but_not_noted_is_resent_and_nothing_is_stored_twice(
    country: Deployment,
    monkeypatch: pytest.MonkeyPatch,
    failure: Callable[[Node, pytest.MonkeyPatch], None],
) -> None:
    chiyoda, prefecture = country.municipality(TOKYO_CHIYODA), country.nodes[PREFECTURE]
    for n in range(1, 4):
        arrive(chiyoda, n)
    sent = {p.message.id for p in chiyoda.outbox.pending(PREFECTURE, 10)}

    with monkeypatch.context() as patch:
        failure(chiyoda, patch)

    # The prefecture applied the envelope; the municipality still holds it pending.
    stored, queued = versions(prefecture), forwarded(prefecture)
    assert len(stored) == len(queued) == 3
    assert chiyoda.outbox.backlog() == 3

    receipts = record_receipts(chiyoda, monkeypatch)
    assert chiyoda.relay.run_once(monotonic=1.0) == 3

    (receipt,) = receipts
    assert receipt.accepted == ()
    assert set(receipt.duplicates) == sent
    assert versions(prefecture) == stored
    assert forwarded(prefecture) == queued
    assert chiyoda.outbox.backlog() == 0

    country.pump()
    assert_everything_arrived_once(country, [chiyoda])


# --- the prefecture node dies while applying ------------------------------------------------------


def test_a_prefecture_that_dies_while_applying_keeps_nothing_and_applies_the_resend(
    country: Deployment,
) -> None:
    chiyoda, prefecture = country.municipality(TOKYO_CHIYODA), country.nodes[PREFECTURE]
    serve_like_a_real_server(country, prefecture)
    for n in range(1, 3):
        arrive(chiyoda, n)

    with dying_after_applying(prefecture) as logs:
        assert chiyoda.relay.run_once(monotonic=0.0) == 0
    assert any(entry["event"] == "unexpected error" for entry in logs), "the crash was not logged"

    tables = ("identity_versions", "identity_current", "outbox", "received_envelopes")
    assert {table: count(prefecture, table) for table in tables} == dict.fromkeys(tables, 0)
    assert chiyoda.outbox.backlog() == 2
    assert attempts(chiyoda) == {1}

    assert chiyoda.relay.run_once(monotonic=1.0) == 2
    country.pump()
    assert_everything_arrived_once(country, [chiyoda])


# --- versions arrive out of order -----------------------------------------------------------------


def test_versions_delivered_out_of_order_leave_the_newest_current_and_keep_both(
    country: Deployment, clock: FixedClock
) -> None:
    chiyoda, prefecture = country.municipality(TOKYO_CHIYODA), country.nodes[PREFECTURE]
    person = arrive(chiyoda)
    rename(chiyoda, person, "髙橋")
    first, second = (p.message for p in chiyoda.outbox.pending(PREFECTURE, 10))
    assert (first.sequence, second.sequence) == (1, 2)

    send_alone(chiyoda, PREFECTURE, second, clock)
    send_alone(chiyoda, PREFECTURE, first, clock)
    country.pump()  # the relay's own copies now arrive as duplicates

    for holder in (prefecture, country.national):
        sequence, content = current(holder, person.record_id)
        assert sequence == 2
        assert "髙橋" in content
        with holder.unit_of_work() as uow:
            history = uow.identities.versions_of(person.resident_code)
        assert sorted((s, i.family_name) for _, s, i in history) == [(1, "山田"), (2, "髙橋")]
    assert_everything_arrived_once(country, [chiyoda])
    assert all(check.consistent for check in check_consistency(country, [TOKYO_CHIYODA]))


def test_a_municipality_cannot_overwrite_a_record_another_municipality_holds(
    make_deployment: DeploymentFactory, clock: FixedClock
) -> None:
    country = make_deployment((TOKYO_CHIYODA, YOKOHAMA_TSURUMI))
    chiyoda, tsurumi = country.municipality(TOKYO_CHIYODA), country.municipality(YOKOHAMA_TSURUMI)
    prefecture = country.nodes[PREFECTURE]
    person = arrive(chiyoda)
    country.pump()
    # Tsurumi sends a version of its own resident under Chiyoda's record id.
    own = arrive(tsurumi)
    (pending,) = (p.message for p in tsurumi.outbox.pending(PREFECTURE, 10))
    body = {**pending.body, "stream": person.record_id, "sequence": 2}
    hijack = Message(
        uuid7(), pending.type, pending.version, person.record_id, 2, pending.created_at, body
    )
    before = (count(prefecture, "identity_versions"), count(prefecture, "refusals"))

    with pytest.raises(PeerRejected) as refused:
        send_alone(tsurumi, PREFECTURE, hijack, clock)

    assert refused.value.reason == "route-refused"
    assert (count(prefecture, "identity_versions"), count(prefecture, "refusals")) == (
        before[0],
        before[1] + 1,
    )
    assert current(prefecture, person.record_id)[0] == 1
    assert own.resident_code not in current(prefecture, person.record_id)[1]


# --- volume ---------------------------------------------------------------------------------------


def test_hundreds_of_changes_from_three_municipalities_arrive_intact(
    make_deployment: DeploymentFactory,
) -> None:
    codes = [TOKYO_CHIYODA, YOKOHAMA_TSURUMI, OSAKA_KITA]
    country = make_deployment(tuple(codes))
    municipalities = [country.municipality(code) for code in codes]
    for node in municipalities:  # 100 changes each, for 20 people in 5 households
        for family in range(5):
            members = arrive_as_family(node, 10 * family, size=4)
            for move in range(1, 4):  # a household moves together: a version for each member
                move_within(node, members[0], 10 * family + move)
            record_death(node, members[-1])
            move_within(node, members[0], 10 * family + 4)

    country.pump()

    assert len(versions(country.national)) == 300
    assert_everything_arrived_once(country, municipalities)
    checks = check_consistency(country, codes)
    assert [(c.municipality_code, c.consistent) for c in checks] == [(c, True) for c in codes]
    assert all(c.counts == {"national": 20, "prefecture": 20, "municipality": 20} for c in checks)


# --- the consistency check explains a discrepancy -------------------------------------------------


def lose_latest_version(node: Node, stream: str) -> None:
    """Behind the system's back: drop the newest version of a record, as a bad restore would."""
    versions_table = node.metadata.tables["identity_versions"]
    current_table = node.metadata.tables["identity_current"]
    with node.engine.begin() as connection:
        newest = connection.execute(
            select(func.max(versions_table.c.sequence)).where(versions_table.c.stream == stream)
        ).scalar_one()
        connection.execute(
            delete(versions_table).where(
                versions_table.c.stream == stream, versions_table.c.sequence == newest
            )
        )
        prior = connection.execute(
            select(versions_table).where(
                versions_table.c.stream == stream, versions_table.c.sequence == newest - 1
            )
        ).one()
        connection.execute(
            update(current_table)
            .where(current_table.c.stream == stream)
            .values(sequence=prior.sequence, content=prior.content, digest=prior.digest)
        )


@pytest.mark.parametrize("holder", ["prefecture", "national"])
def test_the_consistency_check_names_the_resident_and_the_holder_that_lags(
    country: Deployment, holder: str
) -> None:
    chiyoda = country.municipality(TOKYO_CHIYODA)
    moved, unchanged = arrive(chiyoda, 1), arrive(chiyoda, 2)
    move_within(chiyoda, moved, 3)
    country.pump()

    lose_latest_version(country.nodes[holder], moved.record_id)
    (check,) = check_consistency(country, [TOKYO_CHIYODA])

    assert not check.consistent
    (discrepancy,) = check.discrepancies
    assert discrepancy.resident_code == moved.resident_code != unchanged.resident_code
    assert discrepancy.stream == moved.record_id
    expected = {"municipality": 2, "prefecture": 2, "national": 2} | {holder: 1}
    assert discrepancy.sequences == expected
    assert discrepancy.advice.startswith(f"{holder} lacks version 2")
    assert "resend" in discrepancy.advice


# --- in-process mode behaves like the network ------------------------------------------------------


def test_in_process_a_receiver_that_crashes_looks_unavailable_to_the_sender(
    country: Deployment,
) -> None:
    chiyoda = country.municipality(TOKYO_CHIYODA)
    arrive(chiyoda)

    with dying_after_applying(country.nodes[PREFECTURE]):
        assert chiyoda.relay.run_once(monotonic=0.0) == 0
    assert attempts(chiyoda) == {1}


# --- a message the recipient refuses for its content ----------------------------------------------


def test_a_message_refused_for_its_content_is_set_aside_and_the_rest_still_arrives(
    make_deployment: DeploymentFactory,
) -> None:
    country = make_deployment((TOKYO_CHIYODA,))
    chiyoda = country.municipality(TOKYO_CHIYODA)
    first, second = arrive(chiyoda, 1), arrive(chiyoda, 2)
    # A version whose body breaks its schema (a 住民票コード with a wrong check digit) sits in
    # the outbox between two good ones, as a bug or a bad manual repair might leave it.
    outbox = chiyoda.metadata.tables["outbox"]
    with chiyoda.engine.begin() as connection:
        good = connection.execute(
            select(outbox.c.body).where(outbox.c.stream == first.record_id)
        ).scalar_one()
        wrong = str((int(first.resident_code[-1]) + 1) % 10)
        bad_body = good.replace(first.resident_code, first.resident_code[:-1] + wrong)
        assert bad_body != good
        connection.execute(
            outbox.insert().values(
                message_id=uuid7(),
                recipient="prefecture",
                type=IdentityUpdate.TYPE,
                version=1,
                stream=first.record_id,
                sequence=1,
                created_at=utc_timestamp(chiyoda.clock.now()),
                body=bad_body,
            )
        )
    third = arrive(chiyoda, 3)

    country.pump()

    with chiyoda.engine.connect() as connection:
        refused = connection.execute(
            select(outbox.c.stream, outbox.c.refusal).where(outbox.c.refused_at.is_not(None))
        ).all()
    assert [row.stream for row in refused] == [first.record_id]
    assert refused[0].refusal.startswith("malformed: body.identity.resident_code")
    held = {entry.resident_code for entry in latest_at(country.national, TOKYO_CHIYODA)}
    assert {first.resident_code, second.resident_code, third.resident_code} <= held
    assert chiyoda.outbox.backlog() == 0
    assert chiyoda.outbox.set_aside_count() == 1


def latest_at(node: Node, municipality_code: str) -> list[DigestEntry]:
    with node.unit_of_work() as uow:
        return list(uow.identities.latest(municipality_code))


def test_envelope_ids_too_old_to_be_replayed_are_forgotten(
    make_deployment: DeploymentFactory, clock: FixedClock
) -> None:
    country = make_deployment((TOKYO_CHIYODA,))
    chiyoda, prefecture = country.municipality(TOKYO_CHIYODA), country.nodes[PREFECTURE]
    arrive(chiyoda, 1)
    country.pump()
    seen_before = count(prefecture, "received_envelopes")
    assert seen_before >= 1

    # Past twice the allowed skew, a replay of those envelopes would be refused as stale:
    # their ids are no longer needed, and the next envelope's transaction drops them.
    clock.advance(minutes=11)
    prefecture.receiver._received = 0
    arrive(chiyoda, 2)
    country.pump()

    assert count(prefecture, "received_envelopes") == 1
