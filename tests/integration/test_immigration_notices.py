"""Notices of the immigration authority against real stores: the municipality's handler in its
unit of work, ISA's queue and its record of outcomes, and the operator's command line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jukinet.bootstrap import Node, open_node
from jukinet.cli.main import app
from jukinet.deployments import Deployment
from jukinet.domain.errors import InvalidValue
from jukinet.domain.residents import ForeignResidentClass, Resident
from jukinet.nodes.immigration.notices import (
    InvalidNotices,
    RecordNoticeOutcomes,
    queue_notices,
    sent_notices,
)
from jukinet.nodes.municipal import arrivals
from jukinet.protocol.bodies.immigration import (
    ImmigrationNotice,
    ImmigrationNoticeReceipt,
    NoticeAnswer,
    NoticeOutcome,
)
from jukinet.protocol.directory import IMMIGRATION_ID
from jukinet.protocol.envelope import Envelope, new_message
from jukinet.protocol.errors import RouteRefused
from jukinet.settings import Settings

CHIYODA = "131016"
ADDRESS = "東京都千代田区丸の内一丁目1番1号"


@pytest.fixture
def tokyo(make_deployment: Callable[..., Deployment]) -> Deployment:
    return make_deployment((CHIYODA,))


def register(
    tokyo: Deployment, resident_class: str = "mid-to-long-term", **foreign: Any
) -> Resident:
    items = {
        "resident_class": resident_class,
        "nationality": "中国",
        "became_foreign_resident_on": "2026-04-01",
        **foreign,
    }
    form = {
        "reason": "foreign-resident-registration",
        "family_name": "髙",
        "given_name": "小明",
        "birth_date": "1990-06-01",
        "sex": "male",
        "address": ADDRESS,
        "arrived_on": "2026-04-01",
        "foreign": items,
    }
    return arrivals.record_arrival(form, "clerk-1", tokyo.municipality(CHIYODA).supply)


def mid_term(tokyo: Deployment) -> Resident:
    return register(
        tokyo,
        residence_status="留学",
        period_of_stay="2年",
        stay_expires_on="2028-04-01",
        card_number="AB12345678CD",
    )


def body(notice_id: str, kind: str, changes: dict[str, Any], **items: Any) -> dict[str, Any]:
    return {
        "notice_id": notice_id,
        "kind": kind,
        "municipality_code": CHIYODA,
        "card_number": "AB12345678CD",
        "family_name": "高",  # ISA writes the common form of 髙: the same name
        "given_name": "小明",
        "birth_date": "1990-06-01",
        "effective_on": "2026-11-20",
        "changes": changes,
        **items,
    }


STATUS_CHANGE = {
    "residence_status": "技術・人文知識・国際業務",
    "period_of_stay": "5年",
    "stay_expires_on": "2031-11-20",
    "card_number": "EF98765432GH",
}


def apply(tokyo: Deployment, *bodies: dict[str, Any]) -> ImmigrationNoticeReceipt:
    """Hand the municipality's handler an envelope of notices, in one unit of work."""
    chiyoda = tokyo.municipality(CHIYODA)
    handler = chiyoda.receiver.handlers[ImmigrationNotice.TYPE]
    notices = tuple(ImmigrationNotice.from_body(b) for b in bodies)
    now = chiyoda.clock.now()
    messages = tuple(
        new_message(ImmigrationNotice.TYPE, 1, b, stream=b["notice_id"], sequence=1, now=now)
        for b in bodies
    )
    envelope = Envelope("e-1", IMMIGRATION_ID, chiyoda.entry.id, "2026-11-23T01:00:00Z", messages)
    with chiyoda.unit_of_work() as uow:
        receipt = handler(uow, tokyo.nodes[IMMIGRATION_ID].entry, envelope, notices)
        uow.commit()
    assert isinstance(receipt, ImmigrationNoticeReceipt)
    return receipt


def answered(receipt: ImmigrationNoticeReceipt) -> dict[str, tuple[str, str]]:
    return {a.notice_id: (a.outcome.value, a.detail) for a in receipt.answers}


def stored(tokyo: Deployment, resident: Resident) -> Resident:
    with tokyo.municipality(CHIYODA).unit_of_work() as uow:
        found = uow.residents.get(resident.record_id)
    assert found is not None
    return found


def test_a_status_change_is_a_local_change_recorded_under_the_notice(tokyo: Deployment) -> None:
    person = mid_term(tokyo)
    chiyoda = tokyo.municipality(CHIYODA)
    backlog = chiyoda.outbox.backlog()

    receipt = apply(tokyo, body("ISA-1", "status-change", STATUS_CHANGE))

    assert answered(receipt) == {"ISA-1": ("applied", "")}
    after = stored(tokyo, person)
    assert after.foreign is not None
    assert (after.foreign.residence_status, after.foreign.card_number) == (
        "技術・人文知識・国際業務",
        "EF98765432GH",
    )
    assert after.version == person.version  # nothing notified upward
    assert chiyoda.outbox.backlog() == backlog
    with chiyoda.unit_of_work() as uow:
        line = uow.changes.of(person.record_id)[-1]
    assert (line.reason, line.operator) == ("residence-status-change", "immigration:ISA-1")
    assert line.before is not None
    assert line.before["foreign"]["card_number"] == "AB12345678CD"


def test_the_same_notice_twice_in_one_envelope_is_applied_once(tokyo: Deployment) -> None:
    mid_term(tokyo)
    notice = body("ISA-2", "status-change", STATUS_CHANGE)

    receipt = apply(tokyo, notice, {**notice})

    assert [a.outcome for a in receipt.answers] == [
        NoticeOutcome.APPLIED,
        NoticeOutcome.DUPLICATE,
    ]


@pytest.mark.parametrize(
    ("kind", "changes", "field"),
    [
        ("special-permanent-permission", {"card_number": "AB12345678CD"}, "changes.card_number"),
        ("status-acquired", STATUS_CHANGE, "kind"),
        ("birth-date-change", {"birth_date": "1990-06-01"}, "changes.birth_date"),
        ("nationality-change", {"nationality": "中国"}, "changes.nationality"),
    ],
)
def test_a_notice_that_does_not_fit_the_record_is_refused_and_changes_nothing(
    tokyo: Deployment, kind: str, changes: dict[str, Any], field: str
) -> None:
    person = mid_term(tokyo)

    receipt = apply(tokyo, body("ISA-3", kind, changes))

    ((outcome, detail),) = answered(receipt).values()
    assert outcome == "refused"
    assert detail.startswith(field + ":")
    assert stored(tokyo, person) == person


def test_a_notice_effective_in_the_future_is_refused(tokyo: Deployment) -> None:
    mid_term(tokyo)

    receipt = apply(tokyo, body("ISA-4", "departure", {}, effective_on="2027-01-01"))

    assert receipt.answers[0].outcome is NoticeOutcome.REFUSED
    assert receipt.answers[0].detail.startswith("effective_on:")


def test_a_person_without_a_card_is_found_by_name_and_birth_date(tokyo: Deployment) -> None:
    person = register(tokyo, "transitional-birth")

    receipt = apply(tokyo, body("ISA-5", "status-acquired", STATUS_CHANGE, card_number=None))

    assert receipt.answers[0].outcome is NoticeOutcome.APPLIED
    after = stored(tokyo, person)
    assert after.foreign is not None
    assert after.foreign.resident_class is ForeignResidentClass.MID_TO_LONG_TERM
    assert after.foreign.card_number == "EF98765432GH"


def test_a_notice_for_another_municipality_refuses_the_whole_envelope(tokyo: Deployment) -> None:
    person = mid_term(tokyo)

    with pytest.raises(RouteRefused):
        apply(
            tokyo,
            body("ISA-6", "status-change", STATUS_CHANGE),
            body("ISA-7", "departure", {}, municipality_code="141011"),
        )

    assert stored(tokyo, person) == person


# --- ISA's side --------------------------------------------------------------------------


def isa(tokyo: Deployment) -> Node:
    return tokyo.nodes[IMMIGRATION_ID]


def queue(tokyo: Deployment, *items: object) -> list[str]:
    node = isa(tokyo)
    municipalities = {f"{CHIYODA}": f"municipality-{CHIYODA}"}
    return queue_notices(list(items), "isa-01", node.unit_of_work, node.clock, municipalities)


def test_isa_queues_every_notice_or_none_and_names_each_bad_line(tokyo: Deployment) -> None:
    good = body("ISA-10", "departure", {})
    bad_card = body("ISA-11", "departure", {}, card_number="AB1234")
    elsewhere = body("ISA-12", "departure", {}, municipality_code="271276")

    with pytest.raises(InvalidNotices) as refusal:
        queue(tokyo, good, bad_card, "not an object", elsewhere)

    assert [str(p) for p in refusal.value.problems] == [
        "line 2: card_number: 'AB1234' is not 2 letters, 8 digits and 2 letters (e.g. AB12345678CD)",
        "line 3: notice: expected a JSON object",
        "line 4: municipality_code: 271276 has no node here",
    ]
    assert isa(tokyo).outbox.backlog() == 0
    assert sent_notices(isa(tokyo).unit_of_work, None) == []


def test_isa_refuses_a_notice_id_it_sent_before(tokyo: Deployment) -> None:
    queue(tokyo, body("ISA-13", "departure", {}))

    with pytest.raises(InvalidValue, match="was sent before"):
        queue(tokyo, body("ISA-13", "departure", {}))

    assert isa(tokyo).outbox.backlog() == 1


def test_isa_keeps_the_first_answer_and_only_for_what_it_sent_there(tokyo: Deployment) -> None:
    queue(tokyo, body("ISA-14", "departure", {}))
    node = isa(tokyo)
    (sent,) = sent_notices(node.unit_of_work, "pending")
    sink = RecordNoticeOutcomes(node.unit_of_work, node.clock)
    recipient = f"municipality-{CHIYODA}"

    def receipt(outcome: NoticeOutcome) -> ImmigrationNoticeReceipt:
        return ImmigrationNoticeReceipt(
            (
                NoticeAnswer(sent.message_id, "ISA-14", outcome),
                NoticeAnswer("someone-elses-message", "ISA-99", NoticeOutcome.APPLIED),
            )
        )

    settled = sink(receipt(NoticeOutcome.APPLIED), recipient, frozenset({sent.message_id}))
    sink(receipt(NoticeOutcome.DUPLICATE), recipient, frozenset({sent.message_id}))
    other = sink(
        receipt(NoticeOutcome.REFUSED), "municipality-141011", frozenset({sent.message_id})
    )

    assert settled == {sent.message_id}
    assert other == set()
    (kept,) = sent_notices(node.unit_of_work, None)
    assert kept.outcome == "applied"


# --- the operator's command line ----------------------------------------------------------


def test_the_command_line_queues_a_file_and_lists_the_outcomes(cli_home: Path) -> None:
    runner = CliRunner()
    created = runner.invoke(app, ["deploy", "init", CHIYODA, "--home", str(cli_home)])
    assert created.exit_code == 0, created.output
    good = cli_home / "good.jsonl"
    good.write_text(json.dumps(body("ISA-20", "departure", {}), ensure_ascii=False) + "\n")
    bad = cli_home / "bad.jsonl"
    bad.write_text(good.read_text() + "{not json\n")
    home = ["--home", str(cli_home)]

    refused = runner.invoke(app, ["immigration", "notify", str(bad), "--operator", "isa-01", *home])
    queued = runner.invoke(app, ["immigration", "notify", str(good), "--operator", "isa-01", *home])
    listed = runner.invoke(app, ["immigration", "notices", "--outcome", "pending", *home])

    assert refused.exit_code == 1
    assert "line 2: notice: not a JSON object" in refused.output
    assert "nothing was queued" in refused.output
    assert queued.exit_code == 0, queued.output
    assert "queued 1 notice(s)" in queued.output
    assert "ISA-20" in listed.output
    node = open_node(IMMIGRATION_ID, Settings.from_env(home=cli_home))
    assert node.outbox.backlog() == 1
    node.engine.dispose()
