"""The rules of disclosure, correction and complaints, on plain values (no store)."""

from __future__ import annotations

from datetime import date

import pytest

from jukinet.domain.errors import Conflict, InvalidValue
from jukinet.domain.reports import ContactMethod
from jukinet.domain.requesters import (
    IdentityCheck,
    IdentityDocument,
    Relation,
    Requester,
    age_on,
    identity_documents,
)
from jukinet.domain.rights import (
    Answer,
    Complaint,
    CorrectionRequest,
    CorrectionResult,
    Delivery,
    DisclosureRequest,
    Investigation,
    Item,
    correction_items,
    count_disclosures,
    disclosure_deadline,
    fiscal_year_of,
)

RECEIVED = date(2026, 11, 23)
CODE = "39390319510"
D = IdentityDocument


def request(
    method: ContactMethod = ContactMethod.VISIT,
    requester: Requester | None = None,
    received_on: date = RECEIVED,
    portal: str | None = None,
) -> DisclosureRequest:
    who = requester or Requester(Relation.SELF)
    return DisclosureRequest.receive("r-1", CODE, who, method, received_on, 14, "op", portal)


def check(*documents: IdentityDocument, on: date = RECEIVED) -> IdentityCheck:
    return IdentityCheck(frozenset(documents), on, "op")


def disclosed(
    method: ContactMethod = ContactMethod.VISIT, received_on: date = RECEIVED
) -> DisclosureRequest:
    passport = check(IdentityDocument.PASSPORT, on=received_on)
    return (
        request(method, received_on=received_on)
        .check_identity(passport)
        .disclose(received_on, "op")
    )


def field_of(error: pytest.ExceptionInfo[Exception]) -> str:
    assert isinstance(error.value, InvalidValue | Conflict)
    return error.value.field


# --- Deadlines and fiscal years ---------------------------------------------------------


def test_the_deadline_is_day_n_counted_from_the_day_after_receipt() -> None:
    assert disclosure_deadline(RECEIVED, 14) == date(2026, 12, 7)
    assert disclosure_deadline(date(2027, 2, 20), 14) == date(2027, 3, 6)
    assert disclosure_deadline(RECEIVED, 1) == date(2026, 11, 24)


def test_a_deadline_of_no_days_is_refused() -> None:
    with pytest.raises(InvalidValue) as error:
        disclosure_deadline(RECEIVED, 0)
    assert field_of(error) == "disclosure_days"


@pytest.mark.parametrize(
    ("day", "year"),
    [(date(2025, 3, 31), 2024), (date(2025, 4, 1), 2025), (date(2026, 1, 1), 2025)],
)
def test_a_fiscal_year_runs_from_april_to_march(day: date, year: int) -> None:
    assert fiscal_year_of(day) == year


def test_a_request_is_overdue_only_after_its_deadline_and_while_undecided() -> None:
    waiting = request()

    assert not waiting.overdue(date(2026, 12, 7))
    assert waiting.overdue(date(2026, 12, 8))
    assert not disclosed().overdue(date(2027, 1, 1))


# --- Who may ask -------------------------------------------------------------------------


def test_an_ordinary_proxy_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidValue) as error:
        Requester(Relation.PROXY, "代理　太郎")
    assert field_of(error) == "requester.relation"
    assert "任意代理人" in error.value.problem


def test_the_person_needs_no_name_but_a_representative_gives_theirs() -> None:
    assert Requester(Relation.SELF).name == ""
    assert Requester(Relation.WARDS_GUARDIAN, "　後見　一郎 ").name == "後見　一郎"
    with pytest.raises(InvalidValue) as error:
        Requester(Relation.WARDS_GUARDIAN)
    assert field_of(error) == "requester.name"


@pytest.mark.parametrize(
    ("birth", "on", "allowed"),
    [
        (date(2010, 1, 1), date(2026, 11, 23), True),  # 16
        (date(2008, 11, 23), date(2026, 11, 23), False),  # 18 today
        (date(2003, 1, 1), date(2022, 3, 31), True),  # 19, while majority was 20
        (date(2003, 1, 1), date(2022, 4, 1), False),  # 19, once it became 18
    ],
)
def test_a_minors_representative_acts_only_for_a_minor(
    birth: date, on: date, allowed: bool
) -> None:
    parent = Requester(Relation.MINORS_REPRESENTATIVE, "親権　者")
    if allowed:
        parent.may_act_for(birth, on)
    else:
        with pytest.raises(InvalidValue, match="of age"):
            parent.may_act_for(birth, on)


def test_one_born_on_29_february_comes_of_age_on_1_march() -> None:
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


# --- The identity check ------------------------------------------------------------------


@pytest.mark.parametrize(
    "documents",
    [(D.DRIVERS_LICENCE,), (D.MY_NUMBER_CARD,), (D.HEALTH_INSURANCE_CARD, D.PENSION_BOOK)],
)
def test_one_photo_id_or_two_other_documents_suffice(documents: tuple[IdentityDocument]) -> None:
    assert request().check_identity(check(*documents)).identity_check is not None


@pytest.mark.parametrize(
    "documents", [(), (D.HEALTH_INSURANCE_CARD,), (D.FAMILY_REGISTER_COPY, D.PENSION_BOOK)]
)
def test_fewer_documents_are_refused(documents: tuple[IdentityDocument]) -> None:
    with pytest.raises(InvalidValue) as error:
        request().check_identity(check(*documents))
    assert field_of(error) == "identity_check.documents"


def test_a_representative_also_proves_their_authority() -> None:
    guardian = request(requester=Requester(Relation.WARDS_GUARDIAN, "後見　一郎"))

    with pytest.raises(InvalidValue, match="登記事項証明書"):
        guardian.check_identity(check(D.PASSPORT))
    checked = guardian.check_identity(check(D.PASSPORT, D.GUARDIANSHIP_CERTIFICATE))

    assert checked.identity_check is not None
    assert checked.identity_check.labels() == ["旅券", "後見登記の登記事項証明書"]


def test_public_key_authentication_is_for_online_requests_of_the_person_only() -> None:
    online = request(ContactMethod.ONLINE, portal="portal")

    with pytest.raises(InvalidValue):
        request().check_identity(check(D.PUBLIC_KEY_AUTHENTICATION))
    with pytest.raises(InvalidValue):
        online.check_identity(check(D.PASSPORT))
    assert online.check_identity(check(D.PUBLIC_KEY_AUTHENTICATION)).state == "received"


def test_an_unknown_document_is_named() -> None:
    with pytest.raises(InvalidValue) as error:
        identity_documents(["passport", "library-card"])
    assert field_of(error) == "identity_check.documents"
    assert "library-card" in error.value.problem


def test_online_requests_come_through_a_portal_only() -> None:
    with pytest.raises(InvalidValue) as error:
        request(ContactMethod.ONLINE)
    assert field_of(error) == "method"
    with pytest.raises(InvalidValue):
        request(ContactMethod.POST, portal="portal")


# --- Decision and delivery ---------------------------------------------------------------


def test_a_request_is_disclosed_after_the_check_and_then_delivered() -> None:
    waiting = request(ContactMethod.POST)
    with pytest.raises(Conflict) as early:
        waiting.disclose(RECEIVED, "op")

    done = disclosed().deliver(Delivery(ContactMethod.POST, date(2026, 11, 25), "op"))

    assert field_of(early) == "identity_check"
    assert (waiting.state, done.state) == ("received", "delivered")


def test_a_refusal_states_its_reason_and_a_decision_is_made_once() -> None:
    with pytest.raises(InvalidValue) as no_reason:
        request().refuse("  ", RECEIVED, "op")
    refused = request().refuse("本人確認ができない", RECEIVED, "op")
    with pytest.raises(Conflict) as twice:
        refused.refuse("再度", RECEIVED, "op")

    assert field_of(no_reason) == "reason"
    assert refused.state == "refused"
    assert field_of(twice) == "decision"


def test_dates_run_forward_from_receipt_to_delivery() -> None:
    with pytest.raises(InvalidValue) as before_receipt:
        request().refuse("理由", date(2026, 11, 22), "op")
    with pytest.raises(InvalidValue) as before_decision:
        disclosed().deliver(Delivery(ContactMethod.VISIT, date(2026, 11, 22), "op"))

    assert field_of(before_receipt) == "decided_on"
    assert field_of(before_decision) == "delivered_on"


def test_delivery_needs_a_decision_happens_once_and_online_only_for_online_requests() -> None:
    delivery = Delivery(ContactMethod.VISIT, RECEIVED, "op")
    with pytest.raises(Conflict):
        request().deliver(delivery)
    with pytest.raises(Conflict):
        disclosed().deliver(delivery).deliver(delivery)
    with pytest.raises(InvalidValue) as online:
        disclosed().deliver(Delivery(ContactMethod.ONLINE, RECEIVED, "op"))
    assert field_of(online) == "delivery.method"


# --- Corrections and complaints ----------------------------------------------------------


def correction() -> CorrectionRequest:
    return CorrectionRequest.receive(
        "c-1", disclosed(), (Item.ADDRESS,), "番地が違う", RECEIVED, "op"
    )


def test_a_correction_follows_a_disclosure_only() -> None:
    refused = request().refuse("理由", RECEIVED, "op")

    for earlier in (request(), refused):
        with pytest.raises(Conflict) as error:
            CorrectionRequest.receive("c-1", earlier, (Item.NAME,), "誤り", RECEIVED, "op")
        assert field_of(error) == "disclosure_id"


def test_correction_items_are_named_and_ordered() -> None:
    assert correction_items(["address", "name", "address"]) == (Item.NAME, Item.ADDRESS)
    for items in ([], ["shoe-size"]):
        with pytest.raises(InvalidValue) as error:
            correction_items(items)
        assert field_of(error) == "items"


def test_a_correction_is_investigated_then_answered_in_writing() -> None:
    received = correction()
    with pytest.raises(Conflict):
        received.answer_in_writing(Answer(RECEIVED, "op"))
    found = Investigation("確認済み", CorrectionResult.MUNICIPALITY_ASKED, RECEIVED, "op", "131016")

    answered = received.investigate(found).answer_in_writing(Answer(RECEIVED, "op"))

    assert [c.state for c in (received, received.investigate(found), answered)] == [
        "received",
        "investigated",
        "answered",
    ]


def test_the_municipality_asked_is_named_exactly_when_an_error_was_found() -> None:
    for result, code in (
        (CorrectionResult.MUNICIPALITY_ASKED, None),
        (CorrectionResult.NO_ERROR, "131016"),
    ):
        with pytest.raises(InvalidValue) as error:
            Investigation("調査", result, RECEIVED, "op", code)
        assert field_of(error) == "municipality_code"


def test_a_complaint_is_answered_once_with_a_text() -> None:
    complaint = Complaint("k-1", "佐藤　花子", "対応が遅い", "連絡がない", RECEIVED, "op")

    with pytest.raises(InvalidValue) as empty:
        complaint.respond(Answer(RECEIVED, "op", ""))
    answered = complaint.respond(Answer(RECEIVED, "op", " 説明した "))
    with pytest.raises(Conflict):
        answered.respond(Answer(RECEIVED, "op", "再度"))

    assert field_of(empty) == "answer"
    assert answered.answer is not None
    assert (answered.state, answered.answer.text) == ("answered", "説明した")


# --- The yearly table --------------------------------------------------------------------


def test_requests_are_counted_per_fiscal_year_of_receipt_with_empty_years_shown() -> None:
    late_march = disclosed(method=ContactMethod.POST, received_on=date(2025, 3, 31))
    requests = [
        late_march,
        disclosed(received_on=date(2025, 3, 31)).deliver(
            Delivery(ContactMethod.POST, RECEIVED, "op")
        ),
        request(received_on=date(2027, 4, 1)),
    ]

    years = count_disclosures(requests, 2024, 2027)

    assert [year.fiscal_year for year in years] == [2024, 2025, 2026, 2027]
    assert years[0].requested[ContactMethod.POST] == 1
    assert years[0].requested[ContactMethod.VISIT] == 1
    assert years[0].delivered == {
        ContactMethod.VISIT: 0,
        ContactMethod.POST: 1,
        ContactMethod.ONLINE: 0,
    }
    assert [year.total for year in years] == [2, 0, 0, 1]


def test_a_table_that_runs_backwards_is_refused() -> None:
    with pytest.raises(InvalidValue) as error:
        count_disclosures([], 2026, 2025)
    assert field_of(error) == "to_year"
