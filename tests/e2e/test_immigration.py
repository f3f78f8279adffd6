"""Notices of the immigration authority (住基法30条の50), end to end.

An in-process country with ISA's node: its operator queues notices, the relay carries them to
the municipality in signed envelopes, the municipality applies them to its register and
answers each one, and ISA keeps the answers. What a removal causes travels on to the
prefecture and national nodes like any other.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import select, update
from tests.conftest import TOKYO_CHIYODA, YOKOHAMA_TSURUMI, DeploymentFactory

from jukinet.bootstrap import Node
from jukinet.deployments import Deployment
from jukinet.domain.identity import RecordStatus
from jukinet.domain.residents import ForeignResidentClass, Relationship, Resident
from jukinet.nodes.immigration.notices import queue_notices, sent_notices
from jukinet.nodes.municipal import arrivals, departures
from jukinet.nodes.municipal.queries import resident_view
from jukinet.protocol.directory import IMMIGRATION_ID

CLERK = "clerk-1"
ISA_OPERATOR = "isa-01"
CHIYODA_ADDRESS = "東京都千代田区丸の内一丁目1番1号"


@pytest.fixture
def country(make_deployment: DeploymentFactory) -> Deployment:
    return make_deployment((TOKYO_CHIYODA, YOKOHAMA_TSURUMI))


def isa(country: Deployment) -> Node:
    return country.nodes[IMMIGRATION_ID]


def foreign_form(
    family: str, given: str, card: str, *, born: str = "1990-06-01", **items: Any
) -> dict[str, Any]:
    return {
        "reason": "foreign-resident-registration",
        "family_name": family,
        "given_name": given,
        "birth_date": born,
        "sex": "female",
        "address": CHIYODA_ADDRESS,
        "arrived_on": "2026-04-01",
        "foreign": {
            "resident_class": "mid-to-long-term",
            "nationality": "ベトナム",
            "became_foreign_resident_on": "2026-04-01",
            "residence_status": "技術・人文知識・国際業務",
            "period_of_stay": "1年",
            "stay_expires_on": "2027-04-01",
            "card_number": card,
        },
        **items,
    }


def register(country: Deployment, form: dict[str, Any]) -> Resident:
    return arrivals.record_arrival(form, CLERK, country.municipality(TOKYO_CHIYODA).supply)


def notice(
    notice_id: str, resident: Resident, kind: str, changes: dict[str, Any], **items: Any
) -> dict[str, Any]:
    assert resident.foreign is not None
    return {
        "notice_id": notice_id,
        "kind": kind,
        "municipality_code": TOKYO_CHIYODA,
        "card_number": resident.foreign.card_number,
        "family_name": resident.name.family,
        "given_name": resident.name.given,
        "birth_date": resident.birth_date.isoformat(),
        "effective_on": "2026-11-20",
        "changes": changes,
        **items,
    }


def extension(notice_id: str, resident: Resident, new_card: str) -> dict[str, Any]:
    return notice(
        notice_id,
        resident,
        "period-extension",
        {
            "residence_status": "技術・人文知識・国際業務",
            "period_of_stay": "3年",
            "stay_expires_on": "2030-04-01",
            "card_number": new_card,
        },
    )


def send(country: Deployment, *notices: dict[str, Any]) -> None:
    node = isa(country)
    municipalities = {
        e.municipality_code: e.id for e in node.directory.municipalities() if e.municipality_code
    }
    queue_notices(list(notices), ISA_OPERATOR, node.unit_of_work, node.clock, municipalities)


def outcomes(country: Deployment) -> dict[str, tuple[str | None, str]]:
    return {
        n.notice_id: (n.outcome, n.detail) for n in sent_notices(isa(country).unit_of_work, None)
    }


def record(country: Deployment, resident: Resident) -> Resident:
    with country.municipality(TOKYO_CHIYODA).unit_of_work() as uow:
        found = uow.residents.get(resident.record_id)
    assert found is not None
    return found


def history(country: Deployment, resident: Resident) -> list[tuple[str, str]]:
    with country.municipality(TOKYO_CHIYODA).unit_of_work() as uow:
        return [(c.reason, c.operator) for c in uow.changes.of(resident.record_id)]


def identity_status(node: Node, resident: Resident) -> str:
    t = node.metadata.tables["identity_current"]
    with node.engine.connect() as connection:
        return str(
            connection.execute(select(t.c.status).where(t.c.stream == resident.record_id)).scalar()
        )


@contextmanager
def unreachable(country: Deployment, node: Node) -> Iterator[None]:
    assert country.bridge is not None
    host = node.entry.endpoint.removeprefix("http://")
    transport = country.bridge._apps.pop(host)
    try:
        yield
    finally:
        country.bridge._apps[host] = transport


def test_a_period_extension_updates_the_record_and_isa_learns_it_was_applied(
    country: Deployment,
) -> None:
    anh = register(country, foreign_form("NGUYEN", "THI ANH", "AB12345678CD"))
    country.pump()

    send(country, extension("ISA-1", anh, "EF98765432GH"))
    country.pump()

    after = record(country, anh)
    assert after.foreign is not None
    assert (after.foreign.period_of_stay, after.foreign.card_number) == ("3年", "EF98765432GH")
    assert str(after.foreign.stay_expires_on) == "2030-04-01"
    assert history(country, anh)[-1] == ("residence-status-change", "immigration:ISA-1")
    assert outcomes(country) == {"ISA-1": ("applied", "")}
    # Status and card are not identity information: nothing new went upward.
    assert after.version == 1


def test_a_departure_removes_the_record_and_the_prefecture_and_national_nodes_see_it(
    country: Deployment,
) -> None:
    anh = register(country, foreign_form("NGUYEN", "THI ANH", "AB12345678CD"))
    country.pump()

    send(country, notice("ISA-2", anh, "departure", {}))
    country.pump()

    after = record(country, anh)
    assert after.status is RecordStatus.REMOVED
    assert after.removal_reason is not None
    assert after.removal_reason.value == "foreign-resident-removal"
    assert identity_status(country.nodes["prefecture"], anh) == "removed"
    assert identity_status(country.national, anh) == "removed"
    assert outcomes(country)["ISA-2"] == ("applied", "")


def test_a_notice_delivered_again_after_its_receipt_was_lost_changes_nothing(
    country: Deployment,
) -> None:
    anh = register(country, foreign_form("NGUYEN", "THI ANH", "AB12345678CD"))
    send(country, extension("ISA-3", anh, "EF98765432GH"))
    country.pump()
    lines_before = history(country, anh)

    # The receipt never reached ISA: its outbox still holds the notice, and sends it again.
    node = isa(country)
    outbox = node.metadata.tables["outbox"]
    with node.engine.begin() as connection:
        connection.execute(update(outbox).values(delivered_at=None))
    country.pump()

    assert history(country, anh) == lines_before
    assert node.outbox.backlog() == 0
    assert outcomes(country)["ISA-3"] == ("applied", "")  # the first answer stands


def test_a_notice_for_someone_who_moved_away_says_there_is_no_such_resident(
    country: Deployment,
) -> None:
    anh = register(country, foreign_form("NGUYEN", "THI ANH", "AB12345678CD"))
    departures.record_move_out(
        {
            "resident_code": anh.resident_code,
            "planned_on": "2026-11-10",
            "destination": "神奈川県横浜市鶴見区鶴見中央一丁目1番1号",
        },
        CLERK,
        country.municipality(TOKYO_CHIYODA).supply,
    )

    send(country, extension("ISA-4", anh, "EF98765432GH"))
    country.pump()

    outcome, detail = outcomes(country)["ISA-4"]
    assert outcome == "no-such-resident"
    assert "AB12345678CD" in detail


def test_a_name_that_does_not_match_the_card_is_refused_while_the_rest_apply(
    country: Deployment,
) -> None:
    anh = register(country, foreign_form("NGUYEN", "THI ANH", "AB12345678CD"))
    li = register(country, foreign_form("LI", "NA", "CD23456789EF", born="1988-01-02"))
    wrong_name = {**extension("ISA-6", li, "GH34567890IJ"), "family_name": "LEE"}

    send(
        country,
        extension("ISA-5", anh, "EF98765432GH"),
        wrong_name,
        # Applied in order: by now the person holds the card ISA-5 gave them.
        notice(
            "ISA-7", anh, "nationality-change", {"nationality": "台湾"}, card_number="EF98765432GH"
        ),
    )
    country.pump()

    assert outcomes(country)["ISA-5"] == ("applied", "")
    assert outcomes(country)["ISA-7"] == ("applied", "")
    outcome, detail = outcomes(country)["ISA-6"]
    assert outcome == "refused"
    assert detail.startswith("card_number:")
    refused = sent_notices(isa(country).unit_of_work, "refused")
    assert [n.notice_id for n in refused] == ["ISA-6"]
    assert record(country, li).foreign == li.foreign  # untouched
    after = record(country, anh)
    assert after.foreign is not None
    assert (after.foreign.card_number, after.foreign.nationality) == ("EF98765432GH", "台湾")


def test_a_name_change_is_identity_information_and_reaches_the_national_node(
    country: Deployment,
) -> None:
    anh = register(country, foreign_form("NGUYEN", "THI ANH", "AB12345678CD"))
    country.pump()

    send(country, notice("ISA-8", anh, "name-change", {"family_name": "TRAN", "given_name": "ANH"}))
    country.pump()

    after = record(country, anh)
    assert (after.name.family, after.name.given, after.version) == ("TRAN", "ANH", 2)
    with country.national.unit_of_work() as uow:
        versions = uow.identities.versions_of(anh.resident_code)
    assert [(v[1], v[2].family_name, v[2].reason.value) for v in versions] == [
        (1, "NGUYEN", "foreign-resident-registration"),
        (2, "TRAN", "immigration-correction"),
    ]


def test_notices_queued_while_the_municipality_is_unreachable_arrive_when_it_returns(
    country: Deployment,
) -> None:
    anh = register(country, foreign_form("NGUYEN", "THI ANH", "AB12345678CD"))
    chiyoda = country.municipality(TOKYO_CHIYODA)

    with unreachable(country, chiyoda):
        send(country, extension("ISA-9", anh, "EF98765432GH"))
        assert isa(country).relay.run_once(monotonic=0.0) == 0
        assert outcomes(country)["ISA-9"] == (None, "")
        assert isa(country).outbox.backlog() == 1

    assert isa(country).relay.run_once(monotonic=60.0) == 1
    assert outcomes(country)["ISA-9"] == ("applied", "")
    after = record(country, anh)
    assert after.foreign is not None
    assert after.foreign.card_number == "EF98765432GH"


def test_a_mixed_household_holds_a_national_head_and_foreign_spouse_and_child(
    country: Deployment,
) -> None:
    supply = country.municipality(TOKYO_CHIYODA).supply
    head = arrivals.record_arrival(
        {
            "reason": "ex-officio-record",
            "family_name": "佐藤",
            "given_name": "健一",
            "family_name_kana": "サトウ",
            "given_name_kana": "ケンイチ",
            "birth_date": "1985-05-05",
            "sex": "male",
            "address": CHIYODA_ADDRESS,
            "arrived_on": "2020-01-01",
            "domicile": {"place": "東京都千代田区千代田1番", "head_of_family": "佐藤健一"},
        },
        CLERK,
        supply,
    )
    joining = {"household_id": head.household_id}
    spouse = register(
        country,
        foreign_form(
            "SANTOS",
            "MARIA",
            "AB12345678CD",
            household={**joining, "relationship": "wife"},
            alias="佐藤　マリア",
        ),
    )
    child = register(
        country,
        foreign_form(
            "SANTOS",
            "LUCAS",
            "CD23456789EF",
            born="2018-07-07",
            household={**joining, "relationship": "child"},
        ),
    )

    view = resident_view(head.resident_code, country.municipality(TOKYO_CHIYODA).unit_of_work)
    members = {m["resident_code"]: m["relationship"] for m in view["household"]["members"]}
    assert members == {
        head.resident_code: Relationship.HEAD.value,
        spouse.resident_code: Relationship.WIFE.value,
        child.resident_code: Relationship.CHILD.value,
    }
    spouse_view = resident_view(spouse.resident_code, supply.unit_of_work)
    assert spouse_view["record"]["foreign"]["card_number"] == "AB12345678CD"
    assert spouse_view["record"]["foreign"]["resident_class"] == (
        ForeignResidentClass.MID_TO_LONG_TERM.value
    )
    assert spouse_view["record"]["name"]["alias"] == "佐藤　マリア"
    assert view["record"]["foreign"] is None
    assert view["record"]["domicile"]["place"] == "東京都千代田区千代田1番"

    send(country, extension("ISA-10", spouse, "EF98765432GH"))
    country.pump()

    assert outcomes(country)["ISA-10"] == ("applied", "")
    after = resident_view(head.resident_code, supply.unit_of_work)
    assert after["household"] == view["household"]  # same household, same 続柄
    assert record(country, spouse).household_id == head.household_id
