"""The 広域交付 messages: golden envelopes, round trips, and what an answer may never carry.

The golden files are built with the fixed key, ids and times of ``test_golden.py``; to
regenerate after an intended wire change::

    JUKINET_REGENERATE_GOLDEN=1 pytest tests/unit/protocol/test_wide_area_messages.py
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from tests.unit.protocol.test_golden import (
    CHIYODA,
    KEY,
    REGENERATE,
    Golden,
    golden_file,
    render,
)

from jukinet.domain.copies import CopiedRecord, OptionalItem
from jukinet.domain.identity import Sex
from jukinet.domain.requesters import IdentityDocument
from jukinet.domain.residents import ForeignResidentBlock, ForeignResidentClass, Relationship
from jukinet.protocol.bodies.copies import (
    WideAreaRefusal,
    WideAreaRequester,
)
from jukinet.protocol.canonical import canonical_bytes, loads
from jukinet.protocol.catalogue import (
    CATALOGUE,
    DEFAULT_ROUTES,
    RESPONSES,
    Role,
    WideAreaCopyAnswer,
    WideAreaCopyRequest,
    parse_body,
)
from jukinet.protocol.directory import municipality_node_id
from jukinet.protocol.envelope import Envelope
from jukinet.protocol.errors import MalformedEnvelope

OSAKA_KITA = municipality_node_id("271276")
REQUEST_ID = "019ab2f4-2a00-7000-8000-00000000d001"
HEAD, CHILD = "12345678903", "31415926530"

REQUEST = WideAreaCopyRequest(
    request_id=REQUEST_ID,
    issuing_municipality="271276",
    home_municipality="131016",
    requester=WideAreaRequester(
        CHILD, "髙橋", "\U00020bb7男", date(2005, 8, 15), IdentityDocument.MY_NUMBER_CARD
    ),
    members=(),
    items=(OptionalItem.HOUSEHOLD_HEAD, OptionalItem.RESIDENT_CODE),
)


def _record(code: str, given: str, relationship: Relationship, **items: Any) -> CopiedRecord:
    values: dict[str, Any] = {
        "family_name": "髙橋",
        "given_name": given,
        "family_name_kana": "タカハシ",
        "given_name_kana": "",
        "alias": "",
        "former_surname": "",
        "birth_date": date(1970, 4, 1),
        "sex": Sex.MALE,
        "address": "東京都千代田区丸の内一丁目1番1号",
        "address_set_on": date(2015, 4, 1),
        "became_resident_on": date(2015, 4, 1),
        "notified_on": date(2015, 4, 3),
        "previous_address": "大阪府大阪市北区梅田一丁目1番1号",
        "relationship": relationship,
        "resident_code": code,
        **items,
    }
    return CopiedRecord(**values)


ANSWER = WideAreaCopyAnswer(
    request_id=REQUEST_ID,
    home_municipality="131016",
    items=REQUEST.items,
    address="東京都千代田区丸の内一丁目1番1号",
    head_name="髙橋\u3000一郎",
    records=(
        _record(HEAD, "一郎", Relationship.HEAD),
        _record(
            CHILD,
            "\U00020bb7男",
            Relationship.LODGER,
            alias="阮文安",
            became_resident_on=None,
            foreign=ForeignResidentBlock(
                ForeignResidentClass.MID_TO_LONG_TERM,
                "ベトナム",
                date(2024, 4, 1),
                residence_status="留学",
                period_of_stay="2年",
                stay_expires_on=date(2027, 3, 31),
                card_number="AB12345678CD",
            ),
        ),
    ),
)
REFUSED = WideAreaCopyAnswer(
    REQUEST_ID,
    "131016",
    refusal=WideAreaRefusal("invalid-value", "requester.resident_code", "not in the household"),
)
GOLDENS = [
    Golden(OSAKA_KITA, CHIYODA, REQUEST),
    Golden(CHIYODA, OSAKA_KITA, ANSWER, answering=True),
]


@pytest.mark.parametrize("golden", GOLDENS, ids=lambda g: g.type)
def test_the_wide_area_envelope_on_the_wire_is_the_golden_one(golden: Golden) -> None:
    envelope = golden.envelope()
    path = golden_file(golden)
    if REGENERATE:
        path.write_bytes(render(envelope))

    assert path.read_text(encoding="utf-8") == render(envelope).decode()
    kept = Envelope.from_bytes(path.read_bytes())
    KEY.public_key().verify(kept.signature_bytes(), kept.signing_bytes())
    (message,) = kept.messages
    assert parse_body(message.type, message.version, message.body) == golden.body


@pytest.mark.parametrize("body", [REQUEST, ANSWER, REFUSED], ids=["request", "answer", "refusal"])
def test_each_message_survives_the_wire(body: Any) -> None:
    wire = loads(canonical_bytes(body.to_body()))
    assert isinstance(wire, dict)

    assert parse_body(body.TYPE, body.VERSION, wire) == body


def test_the_request_is_catalogued_routed_between_municipalities_and_answered() -> None:
    assert (WideAreaCopyRequest.TYPE, 1) in CATALOGUE
    assert (WideAreaCopyAnswer.TYPE, 1) in CATALOGUE
    assert (Role.MUNICIPALITY, WideAreaCopyRequest.TYPE, Role.MUNICIPALITY) in DEFAULT_ROUTES
    assert RESPONSES[WideAreaCopyRequest.TYPE] == WideAreaCopyAnswer.TYPE


def answer_with(change: dict[str, Any], record: int = 0) -> dict[str, Any]:
    body = ANSWER.to_body()
    body["records"][record] = {**body["records"][record], **change}
    return body


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (answer_with({"domicile": "鹿児島県鹿児島市山下町11番地"}), "not allowed"),
        (answer_with({"former_surname": "山﨑"}), "not allowed"),
        ({**ANSWER.to_body(), "items": ["household-head"]}, "resident-code was not asked"),
        ({**ANSWER.to_body(), "refusal": REFUSED.to_body()["refusal"]}, "carries no record"),
        (answer_with({"my_number": "123456789018"}), "my-number was not asked"),
    ],
    ids=["domicile", "former-surname", "code-not-asked", "refusal-with-records", "my-number"],
)
def test_an_answer_carrying_more_than_was_permitted_is_refused(
    body: dict[str, Any], problem: str
) -> None:
    with pytest.raises(MalformedEnvelope) as refused:
        parse_body(WideAreaCopyAnswer.TYPE, 1, body)

    assert problem in refused.value.detail


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"items": ["domicile", "domicile"]}, "body.items"),
        ({"items": ["pension"]}, "body.items"),
        ({"members": ["12345678900"]}, "check digit"),
        ({"requester": {**REQUEST.requester.to_wire(), "document": "library-card"}}, "requester"),
        ({"requester": {**REQUEST.requester.to_wire(), "address": "x"}}, "not allowed"),
    ],
)
def test_a_malformed_request_is_refused_naming_the_field(
    change: dict[str, Any], problem: str
) -> None:
    with pytest.raises(MalformedEnvelope) as refused:
        parse_body(WideAreaCopyRequest.TYPE, 1, {**REQUEST.to_body(), **change})

    assert problem in refused.value.detail
