"""支援措置 and 抑止 across municipality nodes of one in-process country.

The steps are taken at each window through the same use cases the clerk screens will call;
the relays carry the messages between municipalities. The four scenarios of the issue: a
protected person moves out and asks the new municipality; a temporary release lapses; a
provisional measure is overdue; a copy is requested by a third party.
"""

from __future__ import annotations

from typing import Any

import pytest
from tests.conftest import OSAKA_KITA, TOKYO_CHIYODA, DeploymentFactory

from jukinet.adapters.clock import FixedClock
from jukinet.adapters.documents.resident_copies import render_resident_copy
from jukinet.bootstrap import Node
from jukinet.deployments import Deployment
from jukinet.domain.copies import CopyRefused
from jukinet.domain.operators import Permission, Principal
from jukinet.domain.residents import Resident
from jukinet.domain.suppressions import OMITTED, AlertKind, Level, Suppressed
from jukinet.nodes.municipal import arrivals, departures
from jukinet.nodes.municipal.copies import issue_copy, issue_wide_area_copy
from jukinet.nodes.municipal.protection import (
    ProtectionDesk,
    release_temporarily,
    set_suppression,
    suppressions_of,
)
from jukinet.nodes.municipal.protection_measures import (
    apply_for_measure,
    decide_provisionally,
    grant_measure,
    measures_of,
    protection_alerts,
)

SHINJUKU = "131041"
HOME = "東京都千代田区丸の内一丁目1番1号"
NEW_HOME = "東京都新宿区西新宿二丁目8番1号"
WINDOW = "clerk-1"
SUPERVISOR = Principal("supervisor-1", "t-1", "s-1", frozenset(Permission))


@pytest.fixture
def country(make_deployment: DeploymentFactory) -> Deployment:
    return make_deployment((TOKYO_CHIYODA, SHINJUKU, OSAKA_KITA))


def desk(node: Node) -> ProtectionDesk:
    assert node.supply is not None
    return ProtectionDesk.of(node.supply)


def register(node: Node) -> Resident:
    form = {
        "reason": "ex-officio-record",
        "family_name": "髙橋",
        "given_name": "花子",
        "family_name_kana": "タカハシ",
        "given_name_kana": "ハナコ",
        "birth_date": "1982-07-07",
        "sex": "female",
        "address": HOME,
        "arrived_on": "2020-04-01",
        "domicile": {"place": "東京都千代田区千代田1番", "head_of_family": "髙橋一郎"},
    }
    return arrivals.record_arrival(form, WINDOW, node.supply)


def protect(node: Node, person: Resident, **form: Any) -> Any:
    measure = apply_for_measure(
        {"resident_code": person.resident_code, **form}, SUPERVISOR, desk(node)
    )
    return grant_measure(measure.measure_id, SUPERVISOR, desk(node))


def move(country: Deployment, person: Resident) -> Resident:
    """An ordinary move from Chiyoda to Shinjuku, the 転入通知 delivered."""
    chiyoda, shinjuku = country.municipality(TOKYO_CHIYODA), country.municipality(SHINJUKU)
    out = departures.record_move_out(
        {
            "resident_code": person.resident_code,
            "planned_on": "2026-11-20",
            "destination": NEW_HOME,
        },
        WINDOW,
        chiyoda.supply,
    )
    assert out.certificate is not None
    certificate = out.certificate.to_wire()
    form = {
        **{k: certificate[k] for k in ("family_name", "given_name", "birth_date", "sex")},
        "address": NEW_HOME,
        "moved_in_on": "2026-11-20",
        "certificate": certificate,
    }
    arrived = arrivals.record_move_in(form, WINDOW, shinjuku.supply).resident
    country.pump()
    return arrived


def wide_area(node: Node, person: Resident, home: str) -> Any:
    form = {
        "home_municipality": home,
        "requester": {
            "resident_code": person.resident_code,
            "family_name": person.name.family,
            "given_name": person.name.given,
            "birth_date": person.birth_date.isoformat(),
            "document": "my-number-card",
        },
    }
    return issue_wide_area_copy(form, WINDOW, node.supply, render_resident_copy)


def test_a_protected_person_who_moves_keeps_protection_and_the_new_municipality_tells_the_old(
    country: Deployment,
) -> None:
    chiyoda, shinjuku = country.municipality(TOKYO_CHIYODA), country.municipality(SHINJUKU)
    victim = register(chiyoda)
    protect(chiyoda, victim)

    arrived = move(country, victim)
    (kept,) = measures_of(victim.resident_code, SUPERVISOR, desk(chiyoda))
    # At the new address the person asks again, naming the former-address municipality.
    new = protect(
        shinjuku,
        arrived,
        related=[{"municipality_code": TOKYO_CHIYODA, "relation": "former-address"}],
    )
    country.pump()
    country.pump()  # a second delivery attempt changes nothing

    assert (kept.state.value, kept.origin.value) == ("provisional", "former-address")
    requested = [
        m for m in measures_of(victim.resident_code, SUPERVISOR, desk(chiyoda)) if m.requested_by
    ]
    assert [(m.requested_by, m.remote_measure_id, m.state.value) for m in requested] == [
        (SHINJUKU, new.measure_id, "applied")
    ]
    # Chiyoda's clerks decide on the request; the old record stays protected meanwhile.
    decide_provisionally(requested[0].measure_id, SUPERVISOR, desk(chiyoda))
    alerts = protection_alerts(SUPERVISOR, desk(chiyoda))
    assert AlertKind.AWAITING_DECISION not in {a.kind for a in alerts}


def test_a_wide_area_copy_of_a_protected_person_is_refused_without_saying_why(
    country: Deployment,
) -> None:
    chiyoda, kita = country.municipality(TOKYO_CHIYODA), country.municipality(OSAKA_KITA)
    victim = register(chiyoda)
    protect(chiyoda, victim)

    with pytest.raises(CopyRefused) as refused:
        wide_area(kita, victim, TOKYO_CHIYODA)

    assert refused.value.reason == "not-issuable-here"
    assert "suppress" not in str(refused.value)
    assert "支援" not in str(refused.value)


def test_a_temporary_release_at_home_lapses_and_wide_area_copies_are_refused_again(
    country: Deployment, clock: FixedClock
) -> None:
    chiyoda, kita = country.municipality(TOKYO_CHIYODA), country.municipality(OSAKA_KITA)
    person = register(chiyoda)
    form = {
        "resident_code": person.resident_code,
        "reason": "glyph-in-preparation",
        "processes": ["certificate-issuance"],
    }
    suppression = set_suppression(form, SUPERVISOR, desk(chiyoda))
    with pytest.raises(CopyRefused):
        wide_area(kita, person, TOKYO_CHIYODA)

    release_temporarily(suppression.suppression_id, SUPERVISOR, desk(chiyoda), minutes=10)
    issued = wide_area(kita, person, TOKYO_CHIYODA)
    clock.advance(minutes=10)

    assert issued.issuance.outcome == "issued"
    with pytest.raises(CopyRefused):
        wide_area(kita, person, TOKYO_CHIYODA)


def test_a_provisional_measure_kept_after_a_move_is_flagged_once_overdue(
    country: Deployment, clock: FixedClock
) -> None:
    chiyoda = country.municipality(TOKYO_CHIYODA)
    victim = register(chiyoda)
    protect(chiyoda, victim)
    move(country, victim)

    assert protection_alerts(SUPERVISOR, desk(chiyoda)) == []
    clock.advance(days=31)
    (alert,) = protection_alerts(SUPERVISOR, desk(chiyoda))

    assert (alert.kind, alert.resident_code) == (
        AlertKind.PROVISIONAL_OVERDUE,
        victim.resident_code,
    )
    (still,) = measures_of(victim.resident_code, SUPERVISOR, desk(chiyoda))
    assert still.state.value == "provisional"


def test_a_third_party_copy_is_refused_and_once_released_prints_no_address(
    country: Deployment,
) -> None:
    shinjuku = country.municipality(SHINJUKU)
    chiyoda = country.municipality(TOKYO_CHIYODA)
    arrived = move(country, register(chiyoda))
    protect(shinjuku, arrived)
    printed: list[Any] = []

    def printer(copy: Any, *, issuer: str, issued_on: Any) -> bytes:
        printed.append(copy)
        return render_resident_copy(copy, issuer=issuer, issued_on=issued_on)

    lawyer = {
        "kind": "third-party",
        "name": "新宿法律事務所",
        "purpose": "債権回収",
        "document": "my-number-card",
    }
    form = {"requester": lawyer, "subject": arrived.resident_code}
    with pytest.raises(Suppressed):
        issue_copy(form, WINDOW, shinjuku.supply, printer)
    (error,) = [
        s
        for s in suppressions_of(arrived.resident_code, SUPERVISOR, desk(shinjuku))
        if s.level is Level.ERROR
    ]
    release_temporarily(error.suppression_id, SUPERVISOR, desk(shinjuku))
    issued = issue_copy(form, WINDOW, shinjuku.supply, printer)

    assert issued.issuance.outcome == "issued"
    assert printed[0].address == OMITTED
    assert NEW_HOME not in {r.address for r in printed[0].records}
