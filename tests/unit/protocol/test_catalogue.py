"""The message catalogue: typed bodies, their schema checks, and data minimisation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from tests.unit.protocol.test_move_messages import INFO as CERTIFICATE_INFO
from tests.unit.protocol.test_move_messages import NOTICE as MOVE_IN_NOTICE
from tests.unit.protocol.test_protection_messages import NOTICE as MEASURE_NOTICE
from tests.unit.protocol.test_wide_area_messages import ANSWER as WIDE_AREA_ANSWER
from tests.unit.protocol.test_wide_area_messages import REQUEST as WIDE_AREA_REQUEST

from jukinet.domain.changes import ChangeReason
from jukinet.domain.identity import IDENTITY_FIELDS, IdentityInfo, RecordStatus, Sex
from jukinet.domain.residents import Relationship
from jukinet.protocol.bodies.immigration import (
    ImmigrationNotice,
    ImmigrationNoticeReceipt,
    NoticeAnswer,
    NoticeKind,
    NoticeOutcome,
)
from jukinet.protocol.canonical import canonical_bytes, loads
from jukinet.protocol.catalogue import (
    CATALOGUE,
    RESPONSES,
    AgencyCodeAccepted,
    AgencyCodeRequest,
    CardContinuedUse,
    CardContinuedUseVerdict,
    CardPinCheck,
    CardPinVerdict,
    CodePoolGrant,
    CodePoolRequest,
    DeliveryReceipt,
    DigestEntry,
    DigestReport,
    DigestRequest,
    HouseholdAnswer,
    HouseholdMember,
    HouseholdQuery,
    IdentityUpdate,
    MyNumberIssued,
    MyNumberReason,
    MyNumberRequest,
    parse_body,
)
from jukinet.protocol.errors import MalformedEnvelope, UnknownMessageType

IDENTITY = IdentityInfo(
    resident_code="12345678903",
    my_number="123456789018",
    family_name="𠮷田",
    given_name="葛\U000e0100子",
    family_name_kana="ヨシダ",
    given_name_kana="カツコ",
    former_surname="",
    alias="",
    birth_date=date(1980, 5, 17),
    sex=Sex.FEMALE,
    address="東京都千代田区千代田1-1",
    municipality_code="131016",
    status=RecordStatus.ACTIVE,
    reason=ChangeReason.MOVE_IN,
    change_date=date(2025, 4, 1),
)
UPDATE = IdentityUpdate("record-1", 3, "2025-04-01T09:30:00.000Z", IDENTITY)

SAMPLES: list[Any] = [
    UPDATE,
    CodePoolRequest("131016", 500),
    CodePoolGrant("131016", ("12345678903", "31415926530")),
    MyNumberRequest("12345678903", MyNumberReason.INITIAL),
    MyNumberIssued("12345678903", "983205673214"),
    DigestRequest("131016", detail=True),
    DigestReport("131016", 1, "ab" * 32, (DigestEntry("record-1", 3, "12345678903", "cd" * 32),)),
    DigestReport("131016", 0, "00" * 32, None),
    DeliveryReceipt(("m-1", "m-2"), ("m-0",)),
    HouseholdQuery("131016", "p-1", "nenkin", "kokumin-nenkin", ("12345678903", "31415926530")),
    HouseholdAnswer(
        "131016",
        (
            HouseholdMember("12345678903", True, "1", Relationship.HEAD),
            HouseholdMember("31415926530", False),
        ),
    ),
    AgencyCodeRequest("nenkin", "N-0001", "12345678903"),
    AgencyCodeAccepted(3),
]
# 住基法30条の50; tests/unit/protocol/test_immigration_messages.py reads these in detail.
SAMPLES += [
    ImmigrationNotice(
        "ISA-1",
        NoticeKind.DEPARTURE,
        "131016",
        "AB12345678CD",
        "NGUYEN",
        "AN",
        date(1995, 3, 14),
        date(2026, 11, 20),
    ),
    ImmigrationNoticeReceipt((NoticeAnswer("m-1", "ISA-1", NoticeOutcome.DUPLICATE),)),
]
# 個人番号カード; tests/unit/protocol/test_card_messages.py reads these in detail.
SAMPLES += [
    CardPinCheck("400123456784", "12345678903", "4321"),
    CardPinVerdict("400123456784", "accepted", 3, "2031-02-28"),
    CardContinuedUse("400123456784", "12345678903", "4321", "131016", "2026-11-20"),
    CardContinuedUseVerdict("400123456784", "too-late", 3, None),
]
# 広域交付 and moves; tests/unit/protocol/test_wide_area_messages.py and test_move_messages.py
# read these in detail.
SAMPLES += [WIDE_AREA_REQUEST, WIDE_AREA_ANSWER, CERTIFICATE_INFO, MOVE_IN_NOTICE]
# 支援措置 told to a related municipality; test_protection_messages.py reads it in detail.
SAMPLES += [MEASURE_NOTICE]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            {
                "agency_id": "nenkin",
                "acquisition_number": "12345678903",
                "resident_code": "12345678903",
            },
            "must be neither",
        ),
        (
            {"agency_id": "Nenkin!", "acquisition_number": "N-1", "resident_code": "12345678903"},
            "body.agency_id",
        ),
        (
            {"agency_id": "nenkin", "acquisition_number": "N-1", "resident_code": "12345678900"},
            "check digit",
        ),
    ],
)
def test_an_agency_code_request_is_refused_unless_every_field_is_sound(
    body: dict[str, Any], problem: str
) -> None:
    assert problem in refusal(AgencyCodeRequest.TYPE, body)


def identity_body(**change: object) -> dict[str, Any]:
    body = UPDATE.to_body()
    body["identity"] = {**body["identity"], **change}
    return body


def refusal(message_type: str, body: dict[str, Any], version: int = 1) -> str:
    with pytest.raises(MalformedEnvelope) as caught:
        parse_body(message_type, version, body)
    return caught.value.detail


# --- round trips


def test_every_catalogue_type_has_a_sample() -> None:
    assert {(s.TYPE, s.VERSION) for s in SAMPLES} == set(CATALOGUE)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.TYPE)
def test_every_body_survives_the_wire(sample: Any) -> None:
    wire = loads(canonical_bytes(sample.to_body()))
    assert isinstance(wire, dict)
    assert parse_body(sample.TYPE, sample.VERSION, wire) == sample


def test_every_request_type_has_a_response_type_in_the_catalogue() -> None:
    types = {t for t, _ in CATALOGUE}
    assert set(RESPONSES) <= types
    assert set(RESPONSES.values()) <= types


# --- unknown types


@pytest.mark.parametrize(
    ("message_type", "version"),
    [("identity.delete", 1), ("identity.update", 2), ("identity.update", 0), ("", 1)],
)
def test_a_type_or_version_outside_the_catalogue_is_unknown(
    message_type: str, version: int
) -> None:
    with pytest.raises(UnknownMessageType) as caught:
        parse_body(message_type, version, UPDATE.to_body())
    assert f"{message_type} v{version}" in caught.value.detail


# --- identity.update


def test_only_identity_fields_cross_the_boundary() -> None:
    assert set(UPDATE.to_body()["identity"]) == IDENTITY_FIELDS
    assert {"domicile", "household_id", "relationship", "remarks"}.isdisjoint(IDENTITY_FIELDS)


@pytest.mark.parametrize(
    "extra",
    [
        {"domicile": "東京都千代田区千代田一番"},
        {"household_id": "h-1"},
        {"relationship": "head"},
        {"foreign": {"card_number": "AB12345678CD"}},
    ],
    ids=lambda e: next(iter(e)),
)
def test_an_identity_carrying_anything_more_is_refused(extra: dict[str, object]) -> None:
    detail = refusal("identity.update", identity_body(**extra))
    assert detail.startswith("body.identity: fields not allowed here")
    assert next(iter(extra)) in detail


def test_a_bad_resident_code_check_digit_names_the_identity_field() -> None:
    detail = refusal("identity.update", identity_body(resident_code="12345678904"))
    assert detail.startswith("body.identity.resident_code:")
    assert "should be 3, but it is 4" in detail


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"my_number": "123456789019"}, "body.identity.my_number"),
        ({"municipality_code": "131017"}, "body.identity.municipality_code"),
        ({"previous_resident_code": "1234567890"}, "body.identity.previous_resident_code"),
        ({"family_name": "\u3000"}, "body.identity.family_name"),
        ({"address": "東京\x00"}, "body.identity.address"),
        ({"birth_date": "1980-02-30"}, "body.identity"),
        ({"sex": "x"}, "body.identity"),
        ({"reason": "moved"}, "body.identity"),
    ],
)
def test_a_bad_identity_item_names_where_it_is(change: dict[str, object], field: str) -> None:
    assert refusal("identity.update", identity_body(**change)).startswith(field + ":")


def test_an_identity_missing_an_item_is_refused() -> None:
    body = identity_body()
    del body["identity"]["birth_date"]
    assert "birth_date" in refusal("identity.update", body)


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ({"sequence": 0}, "body.sequence: must be 1 or more"),
        ({"sequence": "3"}, "body.sequence: has the wrong type (str)"),
        ({"sequence": True}, "body.sequence: has the wrong type (bool)"),
        ({"identity": "…"}, "body.identity: has the wrong type (str)"),
        ({"stream": None}, "body.stream: has the wrong type (NoneType)"),
    ],
)
def test_the_update_envelope_fields_are_checked(change: dict[str, object], detail: str) -> None:
    assert refusal("identity.update", {**UPDATE.to_body(), **change}) == detail


def test_the_recording_time_must_be_a_timestamp() -> None:
    detail = refusal("identity.update", {**UPDATE.to_body(), "recorded_at": "today"})
    assert detail.startswith("body.recorded_at:")


# --- codes


@pytest.mark.parametrize("count", [0, -1, CodePoolRequest.MAX_COUNT + 1, 10**9])
def test_a_pool_request_asks_for_a_sensible_number_of_codes(count: int) -> None:
    detail = refusal("codes.pool-request", {"municipality_code": "131016", "count": count})
    assert detail == f"body.count: must be between 1 and {CodePoolRequest.MAX_COUNT}"


@pytest.mark.parametrize("count", [1, CodePoolRequest.MAX_COUNT])
def test_a_pool_request_at_the_limits_is_accepted(count: int) -> None:
    assert parse_body("codes.pool-request", 1, {"municipality_code": "131016", "count": count})


def test_a_pool_request_needs_a_valid_municipality_code() -> None:
    detail = refusal("codes.pool-request", {"municipality_code": "131017", "count": 5})
    assert detail.startswith("body.municipality_code:")


def test_a_pool_grant_refuses_a_bad_code() -> None:
    detail = refusal("codes.pool-grant", {"municipality_code": "131016", "codes": ["12345678904"]})
    assert detail.startswith("body.codes[0]:")


@pytest.mark.parametrize(
    ("message_type", "body", "field"),
    [
        (
            "my-number.request",
            {"resident_code": "12345678904", "reason": "initial"},
            "resident_code",
        ),
        ("my-number.request", {"resident_code": "12345678903", "reason": "lost"}, "reason"),
        ("my-number.issued", {"resident_code": "12345678903", "my_number": "1"}, "my_number"),
        ("consistency.digest-request", {"municipality_code": "131016", "detail": 1}, "detail"),
        ("consistency.digest-report", {"municipality_code": "131016", "count": 1}, "digest"),
        ("consistency.digest-report", {"entries": [[1, 2]]}, "entries"),
        ("delivery.receipt", {"accepted": []}, "duplicates"),
    ],
)
def test_other_bodies_name_their_bad_field(
    message_type: str, body: dict[str, Any], field: str
) -> None:
    assert refusal(message_type, body).startswith(f"body.{field}")
