"""Envelopes from the wire: everything malformed is refused naming the field, before any use."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jukinet.protocol.canonical import canonical_bytes
from jukinet.protocol.envelope import (
    MAX_MESSAGES,
    Envelope,
    encode_signature,
    new_message,
    utc_timestamp,
)
from jukinet.protocol.errors import MalformedEnvelope
from jukinet.protocol.ids import uuid7

NOW = datetime(2025, 4, 1, 9, 30, tzinfo=UTC)
ENVELOPE_FIELDS = ["id", "sender", "recipient", "created_at", "signature"]
MESSAGE_FIELDS = ["id", "type", "version", "stream", "sequence", "created_at", "body"]


def wire_message(**change: object) -> dict[str, Any]:
    message: dict[str, Any] = {
        "id": "0195f0a0-0000-7000-8000-000000000001",
        "type": "codes.pool-request",
        "version": 1,
        "stream": "pool-131016",
        "sequence": 1,
        "created_at": "2025-04-01T09:30:00.000Z",
        "body": {"municipality_code": "131016", "count": 100},
    }
    return {**message, **change}


def wire_envelope(**change: object) -> dict[str, Any]:
    envelope: dict[str, Any] = {
        "id": "0195f0a0-0000-7000-8000-0000000000ff",
        "sender": "municipality-131016",
        "recipient": "national",
        "created_at": "2025-04-01T09:30:00.000Z",
        "messages": [wire_message()],
        "signature": "c2lnbmF0dXJl",
    }
    return {**envelope, **change}


def refusal(raw: bytes) -> str:
    with pytest.raises(MalformedEnvelope) as caught:
        Envelope.from_bytes(raw)
    return caught.value.detail


def test_a_well_formed_envelope_is_read() -> None:
    envelope = Envelope.from_bytes(canonical_bytes(wire_envelope()))
    assert envelope.sender == "municipality-131016"
    assert envelope.messages[0].body == {"municipality_code": "131016", "count": 100}
    assert envelope.to_wire() == wire_envelope()


def test_an_envelope_survives_the_wire_unchanged() -> None:
    envelope = Envelope.from_bytes(canonical_bytes(wire_envelope()))
    assert Envelope.from_bytes(envelope.to_bytes()) == envelope
    assert envelope.to_bytes() == canonical_bytes(wire_envelope())


def test_the_signature_covers_everything_but_itself() -> None:
    envelope = Envelope.from_bytes(canonical_bytes(wire_envelope()))
    unsigned = wire_envelope()
    del unsigned["signature"]
    assert envelope.signing_bytes() == canonical_bytes(unsigned)


# --- refusals


@pytest.mark.parametrize("raw", [b"", b"not json", b"{", b'{"a": 1.5}', b"\xff\xfe"])
def test_anything_but_json_is_refused(raw: bytes) -> None:
    assert refusal(raw).startswith("not a JSON envelope")


@pytest.mark.parametrize("raw", [b"[]", b'"envelope"', b"null", b"42"])
def test_json_that_is_not_an_object_is_refused(raw: bytes) -> None:
    assert refusal(raw) == "an envelope is a JSON object"


@pytest.mark.parametrize("name", ENVELOPE_FIELDS)
@pytest.mark.parametrize("value", ["missing", None, 7, "", ["x"]])
def test_a_missing_or_mistyped_envelope_field_is_named(name: str, value: object) -> None:
    data = wire_envelope()
    if value == "missing":
        del data[name]
    else:
        data[name] = value
    assert refusal(canonical_bytes(data)).startswith(f"{name}:")


@pytest.mark.parametrize(
    "messages", ["missing", None, [], {"0": {}}, "[]", [wire_message()] * (MAX_MESSAGES + 1)]
)
def test_messages_must_be_a_list_of_one_to_the_maximum(messages: object) -> None:
    data = wire_envelope()
    if messages == "missing":
        del data["messages"]
    else:
        data["messages"] = messages
    assert (
        refusal(canonical_bytes(data))
        == f"messages: expected a list of 1 to {MAX_MESSAGES} messages"
    )


def test_the_maximum_number_of_messages_is_accepted() -> None:
    data = wire_envelope(messages=[wire_message(sequence=n + 1) for n in range(MAX_MESSAGES)])
    assert len(Envelope.from_bytes(canonical_bytes(data)).messages) == MAX_MESSAGES


def test_an_unknown_envelope_field_is_refused() -> None:
    detail = refusal(canonical_bytes(wire_envelope(household_id="h-1")))
    assert "unexpected fields" in detail
    assert "household_id" in detail


@pytest.mark.parametrize(
    ("created_at", "problem"),
    [
        ("2025-04-01T09:30:00", "must carry a time zone"),
        ("2025-04-01 09:30", "must carry a time zone"),
        ("yesterday", "is not an ISO 8601 timestamp"),
        ("2025-02-30T09:30:00Z", "is not an ISO 8601 timestamp"),
    ],
)
def test_an_envelope_time_must_be_a_zoned_timestamp(created_at: str, problem: str) -> None:
    detail = refusal(canonical_bytes(wire_envelope(created_at=created_at)))
    assert detail.startswith("created_at:")
    assert problem in detail


def test_a_message_that_is_not_an_object_is_refused() -> None:
    detail = refusal(canonical_bytes(wire_envelope(messages=[wire_message(), "hello"])))
    assert detail == "messages[1]: expected an object"


@pytest.mark.parametrize("name", MESSAGE_FIELDS)
def test_a_missing_message_field_is_named(name: str) -> None:
    message = wire_message()
    del message[name]
    detail = refusal(canonical_bytes(wire_envelope(messages=[message])))
    assert detail == f"messages[0].{name}: is missing or has the wrong type"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("id", 1),
        ("type", None),
        ("version", "1"),
        ("version", True),  # a boolean is not a version number
        ("stream", ["pool"]),
        ("sequence", False),
        ("created_at", 1743499800),
        ("body", []),
        ("body", "{}"),
    ],
)
def test_a_mistyped_message_field_is_named(name: str, value: object) -> None:
    detail = refusal(canonical_bytes(wire_envelope(messages=[wire_message(**{name: value})])))
    assert detail == f"messages[0].{name}: is missing or has the wrong type"


def test_an_unknown_message_field_is_refused() -> None:
    detail = refusal(canonical_bytes(wire_envelope(messages=[wire_message(priority=1)])))
    assert detail == "messages[0]: unexpected fields ['priority']"


def test_a_message_time_without_a_zone_is_refused() -> None:
    message = wire_message(created_at="2025-04-01T09:30:00.000")
    detail = refusal(canonical_bytes(wire_envelope(messages=[message])))
    assert detail.startswith("messages[0].created_at:")
    assert "time zone" in detail


def test_any_zone_is_accepted_not_only_utc() -> None:
    envelope = Envelope.from_bytes(
        canonical_bytes(wire_envelope(created_at="2025-04-01T18:30:00+09:00"))
    )
    assert envelope.created_at == "2025-04-01T18:30:00+09:00"


# --- building messages


def test_timestamps_are_written_in_utc_with_milliseconds() -> None:
    tokyo = timezone(timedelta(hours=9))
    assert utc_timestamp(datetime(2025, 4, 1, 18, 30, 0, 123456, tzinfo=tokyo)) == (
        "2025-04-01T09:30:00.123Z"
    )


def test_a_new_message_gets_a_fresh_id_and_the_time() -> None:
    first = new_message("codes.pool-request", 1, {"count": 1}, stream="s", sequence=1, now=NOW)
    second = new_message("codes.pool-request", 1, {"count": 1}, stream="s", sequence=2, now=NOW)
    assert first.id != second.id
    assert first.created_at == "2025-04-01T09:30:00.000Z"


@settings(max_examples=100, deadline=None)
@given(raw=st.binary(max_size=128))
def test_signatures_round_trip_through_base64url(raw: bytes) -> None:
    signature = encode_signature(raw)
    assert "=" not in signature
    envelope = Envelope("id", "a", "b", "2025-04-01T09:30:00Z", (), signature)
    assert envelope.signature_bytes() == raw


def test_a_signature_that_is_not_base64url_is_malformed() -> None:
    envelope = Envelope("id", "a", "b", "2025-04-01T09:30:00Z", (), "abcde")
    with pytest.raises(MalformedEnvelope, match="signature"):
        envelope.signature_bytes()


# --- UUIDv7


def test_ids_are_uuid_version_7_with_the_rfc_variant() -> None:
    parsed = uuid.UUID(uuid7())
    assert parsed.version == 7
    assert parsed.variant == uuid.RFC_4122


def test_ids_are_unique_over_ten_thousand_calls() -> None:
    assert len({uuid7() for _ in range(10_000)}) == 10_000


@settings(max_examples=200, deadline=None)
@given(
    earlier=st.integers(0, 2**48 - 2),
    gap=st.integers(1, 10_000),
)
def test_ids_sort_by_time_across_milliseconds(earlier: int, gap: int) -> None:
    later = min(earlier + gap, 2**48 - 1)
    with mock.patch.object(time, "time_ns", return_value=earlier * 1_000_000):
        first = uuid7()
    with mock.patch.object(time, "time_ns", return_value=later * 1_000_000):
        second = uuid7()
    assert first < second
    assert uuid.UUID(first).int >> 80 == earlier
    assert uuid.UUID(second).int >> 80 == later


def test_ids_made_one_after_another_sort_in_creation_order_across_milliseconds() -> None:
    made = []
    for _ in range(20):
        made.append(uuid7())
        tick = time.time_ns() // 1_000_000
        while time.time_ns() // 1_000_000 == tick:
            pass
    assert made == sorted(made)


def test_a_non_finite_number_in_a_body_is_malformed() -> None:
    raw = canonical_bytes(wire_envelope()).replace(b'"count":100', b'"count":NaN')
    with pytest.raises(MalformedEnvelope):
        Envelope.from_bytes(raw)
