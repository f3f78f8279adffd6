"""Moves between municipalities, end to end across separate nodes of one in-process country.

Each test records the steps at the windows of the old and the new municipality (through the
same use cases the clerk API calls), lets the relays carry the messages, and then checks what
every tier holds: the old record completed by the 転入通知, the new record with the same
住民票コード and 個人番号, the national node's current identity, and a clean 整合性確認.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select, update
from tests.conftest import OSAKA_KITA, TOKYO_CHIYODA, DeploymentFactory
from tests.e2e.test_delivery import unreachable

from jukinet.adapters.clock import FixedClock
from jukinet.bootstrap import Node
from jukinet.deployments import Deployment
from jukinet.domain.errors import Conflict, InvalidValue, NotFound
from jukinet.domain.residents import Resident
from jukinet.nodes.card.counter import CardIssue
from jukinet.nodes.municipal import arrivals, departures, special_moves
from jukinet.protocol.directory import CARD_ID

SHINJUKU = "131041"  # same prefecture as Chiyoda
CLERK = "clerk-1"
HOME = "東京都千代田区丸の内一丁目1番1号"
NEW_HOME = "東京都新宿区西新宿二丁目8番1号"
CARD = "202611230014"
PIN = "4321"


@pytest.fixture
def country(make_deployment: DeploymentFactory) -> Deployment:
    return make_deployment((TOKYO_CHIYODA, SHINJUKU, OSAKA_KITA))


def supply(node: Node) -> Any:
    assert node.supply is not None
    return node.supply


def family(node: Node) -> list[Resident]:
    """髙橋 一家: the head, his wife and their child, found living at HOME (職権記載)."""
    members: list[Resident] = []
    for given, sex, born, relationship in (
        ("一郎", "male", "1980-04-01", None),
        ("花子", "female", "1982-07-07", "wife"),
        ("𠮷男", "male", "2012-01-15", "child"),
    ):
        form: dict[str, Any] = {
            "reason": "ex-officio-record",
            "family_name": "髙橋",
            "given_name": given,
            "family_name_kana": "タカハシ",
            "given_name_kana": "イチロウ" if given == "一郎" else "ハナコ",
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
        members.append(arrivals.record_arrival(form, CLERK, supply(node)))
    return members


def national(country: Deployment, resident_code: str) -> list[dict[str, Any]]:
    """Every current identity the national node holds under this code."""
    t = country.national.metadata.tables["identity_current"]
    with country.national.engine.connect() as connection:
        rows = connection.execute(select(t.c.content).where(t.c.resident_code == resident_code))
        return [json.loads(row.content) for row in rows]


def record(node: Node, resident_code: str) -> Resident:
    with supply(node).unit_of_work() as uow:
        found = uow.residents.any_by_code(resident_code)
    assert found is not None
    return found


def consistent(country: Deployment, *codes: str) -> bool:
    assert country.national.consistency is not None
    return all(check.consistent for check in country.national.consistency.run(list(codes)))


def move_out(node: Node, person: Resident, planned_on: str = "2026-11-20") -> dict[str, Any]:
    result = departures.record_move_out(
        {"resident_code": person.resident_code, "planned_on": planned_on, "destination": NEW_HOME},
        CLERK,
        supply(node),
    )
    assert result.certificate is not None
    return result.certificate.to_wire()


def move_in(
    node: Node, certificate: dict[str, Any], moved_in_on: str = "2026-11-20", **extra: Any
) -> arrivals.MoveInResult:
    form = {
        "family_name": certificate["family_name"],
        "given_name": certificate["given_name"],
        "birth_date": certificate["birth_date"],
        "sex": certificate["sex"],
        "address": NEW_HOME,
        "moved_in_on": moved_in_on,
        "certificate": certificate,
        **extra,
    }
    return arrivals.record_move_in(form, CLERK, supply(node))


def issue_card(country: Deployment, holder: Resident, expires_on: str = "2031-04-01") -> None:
    counter = country.nodes[CARD_ID].cards
    assert counter is not None
    counter.issue(
        CardIssue(
            card_number=CARD,
            resident_code=holder.resident_code,
            name=f"{holder.name.family} {holder.name.given}",
            birth_date=holder.birth_date,
            municipality_code=holder.municipality_code,
            expires_on=expires_on,
            pin=PIN,
        ),
        "card-clerk",
    )


def special_move_out(node: Node, holder: Resident, **extra: Any) -> Any:
    form = {
        "resident_code": holder.resident_code,
        "card_number": CARD,
        "channel": "counter",
        "planned_on": "2026-11-20",
        "destination": NEW_HOME,
        "destination_code": SHINJUKU,
        **extra,
    }
    return special_moves.record_special_move_out(form, CLERK, supply(node))


def special_move_in(node: Node, holder: Resident, pin: str = PIN, **extra: Any) -> Any:
    form = {
        "resident_code": holder.resident_code,
        "card_number": CARD,
        "pin": pin,
        "moved_in_on": "2026-11-20",
        "address": NEW_HOME,
        **extra,
    }
    return special_moves.record_special_move_in(form, CLERK, supply(node))


# --- the ordinary move, with a paper certificate ------------------------------------------------


def test_an_ordinary_move_keeps_both_codes_and_completes_the_old_record(
    country: Deployment,
) -> None:
    chiyoda, shinjuku = country.municipality(TOKYO_CHIYODA), country.municipality(SHINJUKU)
    head = family(chiyoda)[0]
    certificate = move_out(chiyoda, head, planned_on="2026-11-18")

    result = move_in(shinjuku, certificate, moved_in_on="2026-11-20")
    country.pump()

    arrived = result.resident
    assert (arrived.resident_code, arrived.my_number) == (head.resident_code, head.my_number)
    assert result.notice_sent
    assert not result.late
    old = record(chiyoda, head.resident_code)
    # The 転入通知 gave the old record the actual date and the actual address.
    assert old.removal_reason is not None
    assert old.removal_reason.value == "move-out-confirmed"
    assert (old.removed_on, old.destination) == (date(2026, 11, 20), NEW_HOME)
    (active,) = [i for i in national(country, head.resident_code) if i["status"] == "active"]
    assert (active["municipality_code"], active["address"]) == (SHINJUKU, NEW_HOME)
    assert consistent(country, TOKYO_CHIYODA, SHINJUKU)


def test_a_certificate_is_used_once(country: Deployment) -> None:
    chiyoda, shinjuku = country.municipality(TOKYO_CHIYODA), country.municipality(SHINJUKU)
    certificate = move_out(chiyoda, family(chiyoda)[0])
    move_in(shinjuku, certificate)

    with pytest.raises(Conflict, match="already used"):
        move_in(shinjuku, certificate)


def test_a_move_in_naming_another_previous_code_than_the_certificate_is_refused(
    country: Deployment,
) -> None:
    chiyoda, shinjuku = country.municipality(TOKYO_CHIYODA), country.municipality(SHINJUKU)
    head, wife, _ = family(chiyoda)
    certificate = move_out(chiyoda, head)

    with pytest.raises(InvalidValue) as refused:
        move_in(shinjuku, certificate, previous_resident_code=wife.resident_code)

    assert refused.value.field == "previous_resident_code"
    with supply(shinjuku).unit_of_work() as uow:
        assert uow.residents.any_by_code(head.resident_code) is None


def test_a_certificate_keyed_with_another_persons_code_comes_back_unmatched(
    country: Deployment,
) -> None:
    """The old municipality never applies a notice to the wrong person; its clerks see it."""
    chiyoda, shinjuku = country.municipality(TOKYO_CHIYODA), country.municipality(SHINJUKU)
    head, wife, _ = family(chiyoda)
    certificate = move_out(chiyoda, head)
    move_in(shinjuku, {**certificate, "certificate_id": "NOT-ISSUED-HERE"})
    country.pump()

    with supply(chiyoda).unit_of_work() as uow:
        (unmatched,) = uow.move_in_notices.with_outcome("unmatched")
    assert "NOT-ISSUED-HERE" in unmatched.detail
    assert record(chiyoda, head.resident_code).removal_reason == "move-out"
    assert record(chiyoda, wife.resident_code).is_active


def test_a_move_to_another_prefecture_reaches_every_tier(country: Deployment) -> None:
    chiyoda, kita = country.municipality(TOKYO_CHIYODA), country.municipality(OSAKA_KITA)
    head = family(chiyoda)[0]
    certificate = move_out(chiyoda, head)
    form_address = "大阪府大阪市北区梅田一丁目1番1号"
    arrivals.record_move_in(
        {
            **{k: certificate[k] for k in ("family_name", "given_name", "birth_date", "sex")},
            "address": form_address,
            "moved_in_on": "2026-11-20",
            "certificate": certificate,
        },
        CLERK,
        supply(kita),
    )
    country.pump()

    (active,) = [i for i in national(country, head.resident_code) if i["status"] == "active"]
    assert active["municipality_code"] == OSAKA_KITA
    assert record(chiyoda, head.resident_code).destination == form_address
    assert consistent(country, TOKYO_CHIYODA, OSAKA_KITA)


def test_a_move_in_notice_waits_while_the_old_municipality_is_off_the_network(
    country: Deployment,
) -> None:
    chiyoda, shinjuku = country.municipality(TOKYO_CHIYODA), country.municipality(SHINJUKU)
    head = family(chiyoda)[0]
    certificate = move_out(chiyoda, head)
    with unreachable(country, chiyoda):
        move_in(shinjuku, certificate)
        country.pump()
        assert shinjuku.outbox.backlog() == 1  # the 転入通知, kept
        assert record(chiyoda, head.resident_code).removal_reason == "move-out"

    country.pump()

    assert shinjuku.outbox.backlog() == 0
    assert record(chiyoda, head.resident_code).removal_reason == "move-out-confirmed"


def test_a_person_moving_twice_in_one_month_ends_up_right_everywhere(country: Deployment) -> None:
    chiyoda, shinjuku = country.municipality(TOKYO_CHIYODA), country.municipality(SHINJUKU)
    kita = country.municipality(OSAKA_KITA)
    head = family(chiyoda)[0]
    first = move_out(chiyoda, head, planned_on="2026-11-02")
    move_in(shinjuku, first, moved_in_on="2026-11-02")
    country.pump()
    second = departures.record_move_out(
        {"resident_code": head.resident_code, "planned_on": "2026-11-16", "destination": "大阪"},
        CLERK,
        supply(shinjuku),
    ).certificate
    assert second is not None
    arrivals.record_move_in(
        {
            **{k: first[k] for k in ("family_name", "given_name", "birth_date", "sex")},
            "address": "大阪府大阪市北区梅田一丁目1番1号",
            "moved_in_on": "2026-11-16",
            "certificate": second.to_wire(),
        },
        CLERK,
        supply(kita),
    )
    country.pump()

    assert record(chiyoda, head.resident_code).destination == NEW_HOME
    assert record(shinjuku, head.resident_code).removed_on == date(2026, 11, 16)
    statuses = sorted(
        (i["municipality_code"], i["status"]) for i in national(country, head.resident_code)
    )
    assert statuses == [(TOKYO_CHIYODA, "removed"), (SHINJUKU, "removed"), (OSAKA_KITA, "active")]
    assert consistent(country, TOKYO_CHIYODA, SHINJUKU, OSAKA_KITA)


# --- abroad and back; death before the move-in ---------------------------------------------------


def test_a_move_abroad_and_back_keeps_the_codes(country: Deployment) -> None:
    chiyoda, kita = country.municipality(TOKYO_CHIYODA), country.municipality(OSAKA_KITA)
    head = family(chiyoda)[0]
    departures.record_move_out(
        {
            "resident_code": head.resident_code,
            "planned_on": "2026-05-01",
            "destination": "アメリカ合衆国",
            "abroad": True,
            "notified_on": "2026-04-20",
        },
        CLERK,
        supply(chiyoda),
    )
    back = arrivals.record_arrival(
        {
            "reason": "arrival-from-abroad",
            "family_name": "髙橋",
            "given_name": "一郎",
            "birth_date": "1980-04-01",
            "sex": "male",
            "address": "大阪府大阪市北区梅田一丁目1番1号",
            "arrived_on": "2026-11-10",
            "previous_resident_code": head.resident_code,
            "previous_address": "アメリカ合衆国",
        },
        CLERK,
        supply(kita),
    )
    country.pump()

    assert (back.resident_code, back.my_number) == (head.resident_code, head.my_number)
    statuses = sorted((i["reason"], i["status"]) for i in national(country, head.resident_code))
    assert statuses == [("arrival-from-abroad", "active"), ("move-abroad", "removed")]
    assert consistent(country, TOKYO_CHIYODA, OSAKA_KITA)


def test_a_death_after_moving_out_and_before_any_move_in_is_recorded_at_the_old_municipality(
    country: Deployment,
) -> None:
    chiyoda = country.municipality(TOKYO_CHIYODA)
    head = family(chiyoda)[0]
    move_out(chiyoda, head, planned_on="2026-11-15")
    country.pump()

    departures.record_death(
        {"resident_code": head.resident_code, "died_on": "2026-11-18"}, CLERK, supply(chiyoda)
    )
    country.pump()

    (identity,) = national(country, head.resident_code)
    assert (identity["status"], identity["reason"], identity["change_date"]) == (
        "removed",
        "death",
        "2026-11-18",
    )
    assert consistent(country, TOKYO_CHIYODA)
    with pytest.raises(Conflict, match="death"):  # recorded once
        departures.record_death(
            {"resident_code": head.resident_code, "died_on": "2026-11-18"},
            CLERK,
            supply(chiyoda),
        )


# --- the card holder's move (転入届の特例) -------------------------------------------------------


def test_a_card_holder_moves_with_the_household_without_paper(country: Deployment) -> None:
    chiyoda, shinjuku = country.municipality(TOKYO_CHIYODA), country.municipality(SHINJUKU)
    head, wife, child = family(chiyoda)
    issue_card(country, head)

    out = special_move_out(
        chiyoda, head, members=[wife.resident_code, child.resident_code], channel="post"
    )
    country.pump()
    arrived = special_move_in(shinjuku, head)
    country.pump()

    assert out.resident_codes == (head.resident_code, wife.resident_code, child.resident_code)
    people = {r.resident_code: r for r in arrived.residents}
    assert set(people) == set(out.resident_codes)
    assert {r.my_number for r in arrived.residents} == {
        head.my_number,
        wife.my_number,
        child.my_number,
    }
    assert len({r.household_id for r in arrived.residents}) == 1
    assert people[wife.resident_code].relationship.value == "wife"
    assert people[child.resident_code].name.given == "𠮷男"  # carried exactly as registered
    assert people[head.resident_code].domicile == head.domicile
    assert arrived.continued_use_until == date(2027, 2, 21)  # 90 days after the 転入届
    for person in (head, wife, child):
        assert record(chiyoda, person.resident_code).removal_reason == "move-out-confirmed"
    assert consistent(country, TOKYO_CHIYODA, SHINJUKU)


def test_certificate_information_delivered_twice_is_kept_once(country: Deployment) -> None:
    chiyoda, shinjuku = country.municipality(TOKYO_CHIYODA), country.municipality(SHINJUKU)
    head = family(chiyoda)[0]
    issue_card(country, head)
    special_move_out(chiyoda, head)
    country.pump()
    outbox = chiyoda.metadata.tables["outbox"]
    with chiyoda.engine.begin() as connection:  # as if the receipt had been lost on the way
        connection.execute(update(outbox).values(delivered_at=None))

    country.pump()

    table = shinjuku.metadata.tables["arriving_certificates"]
    with shinjuku.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(table)).scalar_one() == 1
    special_move_in(shinjuku, head)
    with pytest.raises(NotFound):  # and it can be used once
        special_move_in(shinjuku, head)


def test_a_special_move_in_before_the_information_arrives_says_so(country: Deployment) -> None:
    chiyoda, shinjuku = country.municipality(TOKYO_CHIYODA), country.municipality(SHINJUKU)
    head = family(chiyoda)[0]
    issue_card(country, head)
    with unreachable(country, shinjuku):
        special_move_out(chiyoda, head)
        country.pump()
        with pytest.raises(NotFound, match="on its way"):
            special_move_in(shinjuku, head)

    country.pump()  # the link is back: the information arrives, the move-in goes through

    assert special_move_in(shinjuku, head).residents[0].resident_code == head.resident_code


def test_the_worked_example_closes_the_card_route_after_april_17(
    make_deployment: DeploymentFactory, clock: FixedClock
) -> None:
    """Planned move-out 4/1, moved in 4/3: the 特例転入 must be made by 4/17."""
    clock.moment = clock.moment.replace(year=2027, month=3, day=25)
    country = make_deployment((TOKYO_CHIYODA, SHINJUKU))
    chiyoda, shinjuku = country.municipality(TOKYO_CHIYODA), country.municipality(SHINJUKU)
    head = family(chiyoda)[0]
    issue_card(country, head)
    special_move_out(chiyoda, head, planned_on="2027-04-01")
    country.pump()

    clock.moment = clock.moment.replace(month=4, day=18)
    with pytest.raises(InvalidValue, match="closed after 2027-04-17"):
        special_move_in(shinjuku, head, moved_in_on="2027-04-03")
    clock.moment = clock.moment.replace(day=17)
    assert special_move_in(shinjuku, head, moved_in_on="2027-04-03").residents


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        ("suspend", "suspended"),
        ("revoke", "revoked"),
        ("expire", "expired"),
    ],
)
def test_a_card_that_cannot_be_used_closes_the_card_route(
    country: Deployment, clock: FixedClock, change: str, refusal: str
) -> None:
    chiyoda, shinjuku = country.municipality(TOKYO_CHIYODA), country.municipality(SHINJUKU)
    head = family(chiyoda)[0]
    issue_card(country, head, expires_on="2026-11-24")
    special_move_out(chiyoda, head)
    country.pump()
    counter = country.nodes[CARD_ID].cards
    assert counter is not None
    if change == "expire":
        clock.advance(days=3)
    else:
        getattr(counter, change)(CARD, "card-clerk")

    with pytest.raises(special_moves.CardRefused, match=refusal) as refused:
        special_move_in(shinjuku, head)

    assert refused.value.outcome == refusal
    with supply(shinjuku).unit_of_work() as uow:
        assert uow.residents.any_by_code(head.resident_code) is None


def test_wrong_pins_count_down_and_lock_the_card(country: Deployment) -> None:
    chiyoda, shinjuku = country.municipality(TOKYO_CHIYODA), country.municipality(SHINJUKU)
    head = family(chiyoda)[0]
    issue_card(country, head)
    special_move_out(chiyoda, head)
    country.pump()

    messages = []
    for _ in range(3):
        with pytest.raises(special_moves.CardRefused) as refused:
            special_move_in(shinjuku, head, pin="0000")
        messages.append(refused.value.problem)

    assert "2 attempts left" in messages[0]
    assert "1 attempts left" in messages[1]
    with pytest.raises(special_moves.CardRefused, match="locked"):
        special_move_in(shinjuku, head)  # the right PIN no longer opens a locked card


@pytest.mark.parametrize(
    ("form", "field", "problem"),
    [
        ({"abroad": True}, "abroad", "abroad"),
        ({"planned_on": "2026-11-09"}, "planned_on", "14 days after the move"),
        ({"channel": "online"}, "visit_planned_on", "day of the visit"),
        (
            {"channel": "online", "planned_on": "2027-01-05", "visit_planned_on": "2027-01-05"},
            "planned_on",
            "accepted from",
        ),
        ({"destination_code": TOKYO_CHIYODA}, "destination_code", "転居"),
        ({"card_number": "123456789012"}, "card_number", "check digit"),
    ],
)
def test_a_special_move_out_the_law_does_not_allow_is_refused_and_nothing_is_removed(
    country: Deployment, form: dict[str, Any], field: str, problem: str
) -> None:
    chiyoda = country.municipality(TOKYO_CHIYODA)
    head = family(chiyoda)[0]

    with pytest.raises(InvalidValue, match=problem) as refused:
        special_move_out(chiyoda, head, **form)

    assert refused.value.field == field
    assert record(chiyoda, head.resident_code).is_active
    assert chiyoda.outbox.backlog() == 3  # only the three records' own identity updates


def test_the_card_is_carried_over_within_90_days_and_not_after(
    country: Deployment, clock: FixedClock
) -> None:
    chiyoda, shinjuku = country.municipality(TOKYO_CHIYODA), country.municipality(SHINJUKU)
    head = family(chiyoda)[0]
    issue_card(country, head)
    special_move_out(chiyoda, head)
    country.pump()
    special_move_in(shinjuku, head)
    form = {"resident_code": head.resident_code, "card_number": CARD, "pin": PIN}

    clock.advance(days=91)
    with pytest.raises(special_moves.CardRefused, match="90 days"):
        special_moves.continue_card_use(form, CLERK, supply(shinjuku))
    clock.advance(days=-2)
    assert special_moves.continue_card_use(form, CLERK, supply(shinjuku)).card_number == CARD


def test_a_certificate_used_again_at_another_municipality_comes_back_unmatched(
    country: Deployment,
) -> None:
    chiyoda, shinjuku = country.municipality(TOKYO_CHIYODA), country.municipality(SHINJUKU)
    kita = country.municipality(OSAKA_KITA)
    head = family(chiyoda)[0]
    certificate = move_out(chiyoda, head)
    move_in(shinjuku, certificate)
    country.pump()
    arrivals.record_move_in(
        {
            **{k: certificate[k] for k in ("family_name", "given_name", "birth_date", "sex")},
            "address": "大阪府大阪市北区梅田一丁目1番1号",
            "moved_in_on": "2026-11-21",
            "certificate": certificate,
        },
        CLERK,
        supply(kita),
    )
    country.pump()

    assert record(chiyoda, head.resident_code).destination == NEW_HOME  # the first one stands
    with supply(chiyoda).unit_of_work() as uow:
        (unmatched,) = uow.move_in_notices.with_outcome("unmatched")
    assert unmatched.sender == OSAKA_KITA
    assert "already confirmed" in unmatched.detail
