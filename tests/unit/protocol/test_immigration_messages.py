"""Notices of the immigration authority on the wire: what is read, what is refused and why."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from jukinet.domain.changes import ChangeReason, NotificationKind
from jukinet.protocol.bodies.immigration import (
    ImmigrationNotice,
    ImmigrationNoticeReceipt,
    NoticeAnswer,
    NoticeChanges,
    NoticeKind,
    NoticeOutcome,
)
from jukinet.protocol.catalogue import RECEIPTS, RESPONSES, parse_body
from jukinet.protocol.errors import MalformedEnvelope


def notice(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "notice_id": "ISA-2026-000001",
        "kind": "period-extension",
        "municipality_code": "131016",
        "card_number": "AB12345678CD",
        "family_name": "NGUYEN",
        "given_name": "VAN AN",
        "birth_date": "1995-03-14",
        "effective_on": "2026-11-20",
        "changes": {
            "residence_status": "技術・人文知識・国際業務",
            "period_of_stay": "3年",
            "stay_expires_on": "2029-11-20",
            "card_number": "EF98765432GH",
        },
    }
    body.update(overrides)
    return body


def test_a_period_extension_reads_into_its_typed_notice_and_back() -> None:
    read = ImmigrationNotice.from_body(notice())

    assert read.kind is NoticeKind.PERIOD_EXTENSION
    assert read.changes == NoticeChanges(
        residence_status="技術・人文知識・国際業務",
        period_of_stay="3年",
        stay_expires_on=date(2029, 11, 20),
        card_number="EF98765432GH",
    )
    assert read.to_body() == notice()
    assert parse_body("immigration.notice", 1, notice()) == read


@pytest.mark.parametrize(
    ("kind", "changes"),
    [
        ("card-reissue", {"card_number": "EF98765432GH"}),
        ("special-permanent-permission", {"card_number": "EF98765432GH"}),
        ("name-change", {"family_name": "髙橋", "given_name": "アン"}),
        ("nationality-change", {"nationality": "台湾"}),
        ("birth-date-change", {"birth_date": "1995-03-15"}),
        ("sex-change", {"sex": "female"}),
        ("departure", {}),
        ("status-lost", {"cause": "在留期間の満了"}),
    ],
)
def test_every_kind_carries_exactly_its_own_new_values(kind: str, changes: dict[str, Any]) -> None:
    read = ImmigrationNotice.from_body(notice(kind=kind, changes=changes))

    assert read.to_body()["changes"] == changes


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"card_number": "ab12345678cd"}, "body.card_number"),
        ({"card_number": None}, "body.card_number"),
        ({"notice_id": "no spaces allowed"}, "body.notice_id"),
        ({"kind": "marriage"}, "body.kind"),
        ({"municipality_code": "131017"}, "body.municipality_code"),
        ({"birth_date": "1995-02-30"}, "body.birth_date"),
        ({"family_name": " "}, "body.family_name"),
        ({"changes": {"card_number": "EF98765432GH"}}, "body.changes"),
        (
            {
                "changes": {
                    "residence_status": "留学",
                    "period_of_stay": "1年",
                    "stay_expires_on": "2027-13-01",
                    "card_number": "EF98765432GH",
                }
            },
            "body.changes.stay_expires_on",
        ),
        (
            {
                "changes": {
                    "residence_status": "",
                    "period_of_stay": "1年",
                    "stay_expires_on": "2027-11-01",
                    "card_number": "EF98765432GH",
                }
            },
            "body.changes.residence_status",
        ),
        (
            {
                "changes": {
                    "residence_status": "留学",
                    "period_of_stay": "1年",
                    "stay_expires_on": "2027-11-01",
                    "card_number": "EF9876543GH",
                }
            },
            "body.changes.card_number",
        ),
        ({"passport_number": "TK1234567"}, "body"),
    ],
)
def test_a_notice_that_breaks_a_rule_is_refused_naming_the_field(
    overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(MalformedEnvelope) as refusal:
        ImmigrationNotice.from_body(notice(**overrides))

    assert refusal.value.detail.startswith(field + ":")


def test_only_someone_who_may_hold_no_card_yet_is_named_without_one() -> None:
    acquired = notice(kind="status-acquired", card_number=None)

    assert ImmigrationNotice.from_body(acquired).card_number is None


def test_a_sex_outside_the_register_values_is_refused() -> None:
    with pytest.raises(MalformedEnvelope, match=r"body\.changes\.sex"):
        ImmigrationNotice.from_body(notice(kind="sex-change", changes={"sex": "x"}))


def test_a_receipt_carries_one_outcome_per_notice() -> None:
    receipt = ImmigrationNoticeReceipt(
        (
            NoticeAnswer("m-1", "ISA-1", NoticeOutcome.APPLIED),
            NoticeAnswer("m-2", "ISA-2", NoticeOutcome.REFUSED, "card_number: not the holder"),
        )
    )

    assert ImmigrationNoticeReceipt.from_body(receipt.to_body()) == receipt
    with pytest.raises(MalformedEnvelope, match=r"answers\[0\]\.outcome"):
        ImmigrationNoticeReceipt.from_body(
            {"answers": [{"message_id": "m", "notice_id": "n", "outcome": "ok", "detail": ""}]}
        )


def test_notices_travel_many_to_an_envelope_with_a_receipt_of_their_own() -> None:
    # Not a request: the receiver takes many in one envelope, and answers with outcomes.
    assert "immigration.notice" not in RESPONSES
    assert RECEIPTS["immigration.notice"] == "immigration.notice-receipt"


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (NoticeKind.STATUS_CHANGE, None),
        (NoticeKind.NAME_CHANGE, "corrects"),
        (NoticeKind.BIRTH_DATE_CHANGE, "corrects"),
        (NoticeKind.SEX_CHANGE, "corrects"),
        (NoticeKind.DEPARTURE, "ends"),
        (NoticeKind.STATUS_LOST, "ends"),
    ],
)
def test_only_name_birth_date_and_sex_are_identity_and_only_two_kinds_end_a_stay(
    kind: NoticeKind, expected: str | None
) -> None:
    assert kind.corrects_identity == (expected == "corrects")
    assert kind.ends_stay == (expected == "ends")


def test_the_register_notifies_corrections_and_removals_but_keeps_status_changes_local() -> None:
    assert ChangeReason.RESIDENCE_STATUS_CHANGE.kind is NotificationKind.LOCAL
    assert ChangeReason.IMMIGRATION_CORRECTION.kind is NotificationKind.CORRECTION
    assert ChangeReason.FOREIGN_RESIDENT_REMOVAL.kind is NotificationKind.REMOVAL
