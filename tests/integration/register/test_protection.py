"""Suppressions and support measures at one municipality: the steps, who may take them, and
what they do to copies, change entry, look-ups, the inspection list and the feed."""

from __future__ import annotations

from typing import Any

import pytest
from tests.conftest import TOKYO_CHIYODA, DeploymentFactory

from jukinet.adapters.clock import FixedClock
from jukinet.adapters.documents.resident_copies import render_resident_copy
from jukinet.bootstrap import Node
from jukinet.domain.errors import Conflict, InvalidValue, NotFound
from jukinet.domain.operators import NotPermitted, Permission, Principal
from jukinet.domain.provision import NarrowYourSearch
from jukinet.domain.residents import Resident
from jukinet.domain.suppressions import (
    OMITTED,
    MeasureState,
    Suppressed,
    Verdict,
)
from jukinet.nodes.municipal import amendments, arrivals, departures
from jukinet.nodes.municipal.copies import issue_copy
from jukinet.nodes.municipal.inspection import inspection_list
from jukinet.nodes.municipal.lookups import look_up
from jukinet.nodes.municipal.protection import (
    ProtectionDesk,
    release_suppression,
    release_temporarily,
    restore_suppression,
    set_suppression,
    suppression_feed,
    suppressions_of,
)
from jukinet.nodes.municipal.protection_measures import (
    apply_for_measure,
    end_measure,
    extend_measure,
    grant_measure,
    measures_of,
    protection_alerts,
    refuse_measure,
)
from jukinet.nodes.municipal.queries import resident_view

ADDRESS = "東京都千代田区丸の内一丁目1番1号"
NEIGHBOUR = "東京都千代田区丸の内一丁目2番1号"
ELSEWHERE = "東京都千代田区神田神保町二丁目2番地"
CARD = "my-number-card"


def principal(operator: str, *permissions: Permission) -> Principal:
    return Principal(operator, "terminal-3", f"session-{operator}", frozenset(permissions))


SUPERVISOR = principal("supervisor-sato", *Permission)
CLERK = principal(
    "clerk-kimura", Permission.RESIDENT_READ, Permission.SUPPRESSION_SET, Permission.COPY_ISSUE
)
RELEASER = principal("clerk-tanaka", Permission.SUPPRESSION_RELEASE_TEMPORARILY)


@pytest.fixture
def chiyoda(make_deployment: DeploymentFactory) -> Node:
    return make_deployment((TOKYO_CHIYODA,)).municipality(TOKYO_CHIYODA)


@pytest.fixture
def desk(chiyoda: Node) -> ProtectionDesk:
    assert chiyoda.supply is not None
    return ProtectionDesk.of(chiyoda.supply)


def register(node: Node, **items: object) -> Resident:
    form = {
        "reason": "ex-officio-record",
        "family_name": "髙橋",
        "given_name": "花子",
        "family_name_kana": "タカハシ",
        "given_name_kana": "ハナコ",
        "birth_date": "1982-07-07",
        "sex": "female",
        "address": ADDRESS,
        "arrived_on": "2020-04-01",
        "domicile": {"place": "東京都千代田区千代田1番", "head_of_family": "髙橋一郎"},
        **items,
    }
    return arrivals.record_arrival(form, "clerk-kimura", node.supply)


@pytest.fixture
def victim(chiyoda: Node) -> Resident:
    return register(chiyoda)


def suppress(desk: ProtectionDesk, person: Resident, **items: object) -> Any:
    form = {
        "resident_code": person.resident_code,
        "reason": "glyph-in-preparation",
        "processes": ["certificate-issuance"],
        **items,
    }
    return set_suppression(form, SUPERVISOR, desk)


def third_party_copy(node: Node, person: Resident) -> Any:
    lawyer = {
        "kind": "third-party",
        "name": "千代田法律事務所",
        "purpose": "訴訟",
        "document": CARD,
    }
    form = {"requester": lawyer, "subject": person.resident_code}
    return issue_copy(form, "clerk-kimura", node.supply, render_resident_copy)


def own_copy(node: Node, person: Resident) -> Any:
    me = {
        "kind": "self",
        "name": "髙橋　花子",
        "resident_code": person.resident_code,
        "document": CARD,
    }
    return issue_copy({"requester": me}, "clerk-kimura", node.supply, render_resident_copy)


def captured_copy(node: Node, person: Resident, own: bool = False) -> Any:
    """The copy as composed (before printing), to read its address fields."""
    seen: list[Any] = []

    def printer(copy: Any, *, issuer: str, issued_on: Any) -> bytes:
        seen.append(copy)
        return b"%PDF"

    me = {
        "kind": "self",
        "name": "髙橋　花子",
        "resident_code": person.resident_code,
        "document": CARD,
    }
    lawyer = {
        "kind": "third-party",
        "name": "千代田法律事務所",
        "purpose": "訴訟",
        "document": CARD,
    }
    form = {"requester": me} if own else {"requester": lawyer, "subject": person.resident_code}
    issue_copy(form, "clerk-kimura", node.supply, printer)
    return seen[0]


# --- suppressions and their permissions


def test_an_error_suppression_refuses_a_copy_and_an_alert_lets_it_through(
    chiyoda: Node, desk: ProtectionDesk, victim: Resident
) -> None:
    refusing = suppress(desk, victim)
    with pytest.raises(Suppressed):
        third_party_copy(chiyoda, victim)

    release_suppression(refusing.suppression_id, SUPERVISOR, desk)
    suppress(desk, victim, level="alert")

    assert third_party_copy(chiyoda, victim).issuance.outcome == "issued"


def test_an_operator_without_the_release_permission_cannot_release(
    desk: ProtectionDesk, victim: Resident
) -> None:
    suppression = suppress(desk, victim)

    with pytest.raises(NotPermitted) as refused:
        release_suppression(suppression.suppression_id, CLERK, desk)
    with pytest.raises(NotPermitted):
        release_temporarily(suppression.suppression_id, CLERK, desk)
    with pytest.raises(NotPermitted):
        set_suppression({}, RELEASER, desk)

    assert "suppression.release" in refused.value.problem


def test_a_temporary_release_lapses_by_itself(
    chiyoda: Node, desk: ProtectionDesk, victim: Resident, clock: FixedClock
) -> None:
    suppression = suppress(desk, victim)
    release_temporarily(suppression.suppression_id, RELEASER, desk, minutes=15)

    assert own_copy(chiyoda, victim).issuance.outcome == "issued"
    clock.advance(minutes=15)
    with pytest.raises(Suppressed):
        own_copy(chiyoda, victim)


def test_a_restored_suppression_refuses_again_at_once(
    chiyoda: Node, desk: ProtectionDesk, victim: Resident
) -> None:
    suppression = suppress(desk, victim)
    release_temporarily(suppression.suppression_id, RELEASER, desk)
    restore_suppression(suppression.suppression_id, RELEASER, desk)

    with pytest.raises(Suppressed):
        own_copy(chiyoda, victim)


def test_a_household_suppression_covers_every_member(
    chiyoda: Node, desk: ProtectionDesk, victim: Resident
) -> None:
    child = register(
        chiyoda,
        given_name="𠮷男",
        given_name_kana="ヨシオ",
        birth_date="2012-01-15",
        sex="male",
        household={"household_id": victim.household_id, "relationship": "child"},
    )
    form = {
        "target": "household",
        "household_id": victim.household_id,
        "reason": "residence-investigation",
        "processes": ["certificate-issuance"],
    }
    set_suppression(form, SUPERVISOR, desk)

    with pytest.raises(Suppressed):
        third_party_copy(chiyoda, child)


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"processes": []}, "processes"),
        ({"processes": ["printing"]}, "processes[0].p"),
        ({"reason": "curiosity"}, "reason"),
        ({"level": "warning"}, "level"),
        ({"reason": "other"}, "note"),
        ({"starts_on": "2026-12-01", "ends_on": "2026-11-01"}, "ends_on"),
    ],
)
def test_a_bad_suppression_names_the_field_and_writes_nothing(
    desk: ProtectionDesk, victim: Resident, form: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidValue) as refused:
        suppress(desk, victim, **form)

    assert refused.value.field == field
    assert suppression_feed(0, desk) == ([], 0)


def test_a_suppression_of_nobody_here_is_not_found(desk: ProtectionDesk) -> None:
    with pytest.raises(NotFound):
        set_suppression(
            {"resident_code": "12345678903", "reason": "name-blank", "processes": ["lookup"]},
            SUPERVISOR,
            desk,
        )


# --- change entry


def test_change_entry_is_refused_while_suppressed_and_allowed_once_released(
    chiyoda: Node, desk: ProtectionDesk, victim: Resident
) -> None:
    suppression = suppress(desk, victim, processes=["change-entry"])
    move = {"resident_code": victim.resident_code, "address": NEIGHBOUR, "moved_on": "2026-11-20"}

    with pytest.raises(Suppressed):
        amendments.record_move_within(move, "clerk-kimura", chiyoda.supply)
    release_suppression(suppression.suppression_id, SUPERVISOR, desk)
    amendments.record_move_within(move, "clerk-kimura", chiyoda.supply)

    assert (
        resident_view(victim.resident_code, chiyoda.unit_of_work)["record"]["address"] == NEIGHBOUR
    )


# --- support measures and copies


def test_a_third_party_copy_of_a_protected_person_prints_the_address_as_omitted(
    chiyoda: Node, desk: ProtectionDesk, victim: Resident
) -> None:
    measure = apply_for_measure({"resident_code": victim.resident_code}, CLERK, desk)
    with pytest.raises(Suppressed):
        third_party_copy(chiyoda, victim)
    (error,) = [s for s in suppressions_of(victim.resident_code, CLERK, desk) if s.level == "error"]
    release_temporarily(error.suppression_id, RELEASER, desk)

    copy = captured_copy(chiyoda, victim)
    mine = captured_copy(chiyoda, victim, own=True)

    assert measure.state is MeasureState.PROVISIONAL
    assert copy.address == OMITTED
    assert {r.address for r in copy.records} == {OMITTED}
    assert mine.address == ADDRESS


def test_co_residents_must_live_at_the_applicants_address(
    chiyoda: Node, desk: ProtectionDesk, victim: Resident
) -> None:
    stranger = register(chiyoda, given_name="次郎", address=ELSEWHERE, sex="male")

    with pytest.raises(InvalidValue) as refused:
        apply_for_measure(
            {"resident_code": victim.resident_code, "co_residents": [stranger.resident_code]},
            CLERK,
            desk,
        )

    assert refused.value.field == "co_residents[0]"
    assert measures_of(victim.resident_code, CLERK, desk) == []


def test_ending_a_measure_needs_the_release_permission_and_releases_its_suppressions(
    chiyoda: Node, desk: ProtectionDesk, victim: Resident
) -> None:
    measure = apply_for_measure({"resident_code": victim.resident_code}, CLERK, desk)
    grant_measure(measure.measure_id, SUPERVISOR, desk)

    with pytest.raises(NotPermitted):
        end_measure(measure.measure_id, CLERK, desk)
    (first, *_) = suppressions_of(victim.resident_code, CLERK, desk)
    with pytest.raises(Conflict, match="end that"):
        release_suppression(first.suppression_id, SUPERVISOR, desk)
    end_measure(measure.measure_id, SUPERVISOR, desk)

    assert third_party_copy(chiyoda, victim).issuance.outcome == "issued"


# --- the feed


def test_the_feed_carries_set_and_real_release_but_never_a_temporary_release(
    desk: ProtectionDesk, victim: Resident
) -> None:
    suppression = suppress(desk, victim)
    release_temporarily(suppression.suppression_id, RELEASER, desk)
    restore_suppression(suppression.suppression_id, RELEASER, desk)
    first, cursor = suppression_feed(0, desk)
    release_suppression(suppression.suppression_id, SUPERVISOR, desk)
    later, last = suppression_feed(cursor, desk)

    assert [e.event for e in first] == ["set"]
    assert [e.event for e in later] == ["released"]
    assert "temporary_until" not in later[0].suppression
    assert later[0].suppression["released_by"] == "supervisor-sato"
    assert suppression_feed(last, desk) == ([], last)


# --- look-ups and the record view


def test_a_look_up_by_name_finds_the_variant_spelling_and_shows_the_suppression(
    chiyoda: Node, desk: ProtectionDesk, victim: Resident
) -> None:
    apply_for_measure({"resident_code": victim.resident_code}, CLERK, desk)

    (match,) = look_up(
        {"name": "高橋花子", "birth_date": "1982-07-07", "sex": "female"}, CLERK, desk
    )

    assert match.resident_code == victim.resident_code
    assert match.protected
    assert match.suppression.verdict is Verdict.ALERT
    view = resident_view(victim.resident_code, chiyoda.unit_of_work, chiyoda.supply.clock)
    assert view["protection"]["lookup"]["suppressed"]
    assert [m["state"] for m in view["protection"]["measures"]] == ["provisional"]


def test_a_look_up_suppressed_at_error_level_withholds_the_address(
    chiyoda: Node, desk: ProtectionDesk, victim: Resident
) -> None:
    suppress(desk, victim, processes=["lookup"])

    (match,) = look_up({"resident_code": victim.resident_code}, CLERK, desk)

    assert (match.address, match.suppression.verdict) == (None, Verdict.REFUSE)
    with pytest.raises(Suppressed):
        resident_view(victim.resident_code, chiyoda.unit_of_work, chiyoda.supply.clock)


@pytest.mark.parametrize(
    "key",
    [
        {"name": "高橋*", "birth_date": "1982-07-07", "sex": "female"},
        {"name": "高橋花子"},
        {"kana": "タカハシ", "sex": "female"},
        {"address": ADDRESS},
        {},
    ],
)
def test_a_look_up_takes_only_a_whole_key(
    desk: ProtectionDesk, victim: Resident, key: dict[str, str]
) -> None:
    with pytest.raises(InvalidValue):
        look_up(key, CLERK, desk)


def test_a_look_up_needs_the_read_permission(desk: ProtectionDesk, victim: Resident) -> None:
    with pytest.raises(NotPermitted):
        look_up({"resident_code": victim.resident_code}, RELEASER, desk)


def test_too_many_matches_ask_for_a_narrower_key(
    chiyoda: Node, desk: ProtectionDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("jukinet.nodes.municipal.lookups.MAX_MATCHES", 1)
    register(chiyoda)
    register(chiyoda, address=NEIGHBOUR)

    with pytest.raises(NarrowYourSearch):
        look_up({"kana": "たかはし はなこ", "birth_date": "19820707", "sex": "2"}, CLERK, desk)


# --- the inspection list


def test_the_inspection_list_leaves_out_protected_and_suppressed_people(
    chiyoda: Node, desk: ProtectionDesk, victim: Resident
) -> None:
    register(chiyoda, given_name="一郎", sex="male", address=NEIGHBOUR)
    hidden = register(chiyoda, given_name="三郎", sex="male", address=NEIGHBOUR)
    register(chiyoda, given_name="四郎", sex="male", address=ELSEWHERE)  # another town
    apply_for_measure({"resident_code": victim.resident_code}, CLERK, desk)
    suppress(desk, hidden, processes=["lookup"], level="alert")
    form = {
        "requester": "東京大学社会科学研究所",
        "purpose_kind": "research",
        "purpose": "世論調査の標本抽出",
        "area": "東京都千代田区丸の内一丁目",
    }

    listed = inspection_list(form, CLERK, desk)

    assert [e.name for e in listed.entries] == ["髙橋\u3000一郎"]
    assert listed.entries[0].address == NEIGHBOUR


@pytest.mark.parametrize("area", ["東京都千代田区", "東京都新宿区西新宿", "丸の内"])
def test_the_inspection_list_is_of_a_town_of_this_municipality(
    desk: ProtectionDesk, area: str
) -> None:
    form = {"requester": "調査会社", "purpose_kind": "research", "purpose": "調査", "area": area}

    with pytest.raises(InvalidValue) as refused:
        inspection_list(form, CLERK, desk)

    assert refused.value.field == "area"


def test_moving_out_keeps_the_measure_provisionally_as_the_former_address(
    chiyoda: Node, desk: ProtectionDesk, victim: Resident
) -> None:
    measure = apply_for_measure({"resident_code": victim.resident_code}, CLERK, desk)
    grant_measure(measure.measure_id, SUPERVISOR, desk)
    departures.record_move_out(
        {
            "resident_code": victim.resident_code,
            "planned_on": "2026-11-25",
            "destination": "東京都新宿区西新宿二丁目8番1号",
        },
        "clerk-kimura",
        chiyoda.supply,
    )

    (kept,) = measures_of(victim.resident_code, CLERK, desk)
    assert (kept.state.value, kept.origin.value) == ("provisional", "former-address")


def test_a_refused_application_releases_its_provisional_protection(
    chiyoda: Node, desk: ProtectionDesk, victim: Resident
) -> None:
    measure = apply_for_measure({"resident_code": victim.resident_code}, CLERK, desk)
    refuse_measure(measure.measure_id, SUPERVISOR, desk)

    assert suppressions_of(victim.resident_code, CLERK, desk) == []
    assert [e.event for e in suppression_feed(0, desk)[0]] == ["set", "set", "released", "released"]


def test_a_measure_is_extended_from_a_month_before_its_end_and_its_suppressions_follow(
    desk: ProtectionDesk, victim: Resident, clock: FixedClock
) -> None:
    measure = apply_for_measure({"resident_code": victim.resident_code}, CLERK, desk)
    granted = grant_measure(measure.measure_id, SUPERVISOR, desk)
    clock.advance(days=340)  # 2027-10-29: the window opened on 2027-10-22

    assert [a.kind.value for a in protection_alerts(CLERK, desk)] == ["ending-soon"]
    extended = extend_measure(measure.measure_id, SUPERVISOR, desk)

    assert granted.ends_on is not None
    assert extended.ends_on == granted.ends_on.replace(year=granted.ends_on.year + 1)
    assert {s.ends_on for s in suppressions_of(victim.resident_code, CLERK, desk)} == {
        extended.ends_on
    }
    assert protection_alerts(CLERK, desk) == []


def test_a_suppression_past_its_end_stays_in_force_and_is_flagged(
    chiyoda: Node, desk: ProtectionDesk, victim: Resident, clock: FixedClock
) -> None:
    suppression = suppress(desk, victim, ends_on="2026-11-30")
    clock.advance(days=10)

    (alert,) = protection_alerts(CLERK, desk)

    assert (alert.kind.value, alert.subject_id) == (
        "suppression-past-end",
        suppression.suppression_id,
    )
    with pytest.raises(Suppressed):
        own_copy(chiyoda, victim)
