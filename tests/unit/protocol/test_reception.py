"""Reception: the checks an envelope passes before anything in it is applied.

Keys are faked with HMAC-SHA256: each node's "certificate" in the directory holds its secret,
the fake signer signs with it and the fake verifier recomputes the MAC.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from jukinet.domain.changes import ChangeReason
from jukinet.domain.identity import IdentityInfo, RecordStatus, Sex
from jukinet.protocol.catalogue import CodePoolRequest, IdentityUpdate, Role
from jukinet.protocol.directory import NATIONAL_ID, Directory, NodeEntry, municipality_node_id
from jukinet.protocol.envelope import Envelope, Message, new_message, utc_timestamp
from jukinet.protocol.errors import (
    BadSignature,
    MalformedEnvelope,
    ProtocolError,
    RouteRefused,
    StaleEnvelope,
    UnknownMessageType,
    UnknownSender,
    WrongRecipient,
)
from jukinet.protocol.reception import Received, check_envelope, seal

NOW = datetime(2025, 4, 1, 9, 30, tzinfo=UTC)
CHIYODA = municipality_node_id("131016")
TOKYO = "prefecture-east"


def mac(key: str, data: bytes) -> bytes:
    return hmac.new(key.encode(), data, hashlib.sha256).digest()


class HmacVerifier:
    """Fake verifier: the node's certificate is its shared secret."""

    def __init__(self) -> None:
        self.calls = 0

    def verify(self, node: NodeEntry, data: bytes, signature: bytes) -> bool:
        self.calls += 1
        return hmac.compare_digest(mac(node.certificate, data), signature)


class HmacSigner:
    def __init__(self, node_id: str, secret: str) -> None:
        self.node_id = node_id
        self.secret = secret

    def sign(self, data: bytes) -> bytes:
        return mac(self.secret, data)


DIRECTORY = Directory.of(
    [
        NodeEntry(NATIONAL_ID, Role.NATIONAL, "https://national.test", "national-secret"),
        NodeEntry(TOKYO, Role.PREFECTURE, "https://east.test", "east-secret", prefectures=("13",)),
        NodeEntry(
            CHIYODA,
            Role.MUNICIPALITY,
            "https://chiyoda.test",
            "chiyoda-secret",
            municipality_code="131016",
        ),
    ]
)
CHIYODA_SIGNER = HmacSigner(CHIYODA, "chiyoda-secret")

IDENTITY = IdentityInfo(
    resident_code="12345678903",
    my_number="123456789018",
    family_name="山田",
    given_name="花子",
    family_name_kana="ヤマダ",
    given_name_kana="ハナコ",
    former_surname="",
    alias="",
    birth_date=date(1990, 1, 2),
    sex=Sex.FEMALE,
    address="東京都千代田区千代田1-1",
    municipality_code="131016",
    status=RecordStatus.ACTIVE,
    reason=ChangeReason.BIRTH,
    change_date=date(2025, 3, 31),
)
UPDATE = IdentityUpdate("record-1", 1, utc_timestamp(NOW), IDENTITY)


def message(
    body_type: str = UPDATE.TYPE, body: dict[str, Any] | None = None, version: int = 1
) -> Message:
    return new_message(
        body_type,
        version,
        UPDATE.to_body() if body is None else body,
        stream="record-1",
        sequence=1,
        now=NOW,
    )


def envelope(
    *messages: Message,
    sender: str = CHIYODA,
    recipient: str = TOKYO,
    created_at: datetime = NOW,
    signer: HmacSigner = CHIYODA_SIGNER,
) -> Envelope:
    unsigned = Envelope(
        "envelope-1", sender, recipient, utc_timestamp(created_at), messages or (message(),)
    )
    sealed = seal(signer, unsigned)
    return Envelope.from_bytes(sealed.to_bytes())  # as the receiver reads it off the wire


def receive(
    received: Envelope, *, me: str = TOKYO, now: datetime = NOW, routed: bool = True
) -> Received:
    return check_envelope(
        received, me=me, directory=DIRECTORY, verifier=HmacVerifier(), now=now, routed=routed
    )


def test_a_good_envelope_is_accepted_with_typed_bodies() -> None:
    sent = envelope(message(), message())
    received = receive(sent)
    assert received.sender == DIRECTORY.node(CHIYODA)
    assert received.bodies == (UPDATE, UPDATE)
    assert received.envelope == sent


def test_an_envelope_for_another_node_is_refused() -> None:
    with pytest.raises(WrongRecipient, match="prefecture-east"):
        receive(envelope(), me=NATIONAL_ID)


def test_a_sender_missing_from_the_directory_is_refused() -> None:
    stranger = HmacSigner(municipality_node_id("012131"), "whatever")
    with pytest.raises(UnknownSender, match="municipality-012131"):
        receive(envelope(sender=stranger.node_id, signer=stranger))


@pytest.mark.parametrize("skew", [timedelta(minutes=5), -timedelta(minutes=5)])
def test_up_to_five_minutes_of_clock_skew_is_tolerated(skew: timedelta) -> None:
    assert receive(envelope(created_at=NOW - skew)).bodies == (UPDATE,)


@pytest.mark.parametrize(
    "age",
    [timedelta(minutes=5, milliseconds=1), timedelta(hours=1), timedelta(days=365)],
    ids=["just-stale", "hour", "year"],
)
def test_an_old_envelope_is_stale(age: timedelta) -> None:
    with pytest.raises(StaleEnvelope):
        receive(envelope(created_at=NOW - age))


@pytest.mark.parametrize(
    "ahead", [timedelta(minutes=5, milliseconds=1), timedelta(days=1)], ids=["just-ahead", "day"]
)
def test_an_envelope_from_the_future_is_refused(ahead: timedelta) -> None:
    with pytest.raises(StaleEnvelope):
        receive(envelope(created_at=NOW + ahead))


def test_a_signature_by_another_key_is_refused() -> None:
    impostor = HmacSigner(CHIYODA, "not-chiyoda's-secret")
    with pytest.raises(BadSignature, match=CHIYODA):
        receive(envelope(signer=impostor))


def test_an_envelope_changed_after_signing_is_refused() -> None:
    sent = envelope()
    tampered_identity = {**UPDATE.to_body()["identity"], "address": "大阪府大阪市北区1-1"}
    forged = replace(
        sent.messages[0], body={**sent.messages[0].body, "identity": tampered_identity}
    )
    with pytest.raises(BadSignature):
        receive(replace(sent, messages=(forged,)))


def test_a_municipality_may_not_send_identity_updates_straight_to_the_national_node() -> None:
    with pytest.raises(RouteRefused, match=r"municipality node may not send identity\.update"):
        receive(envelope(recipient=NATIONAL_ID), me=NATIONAL_ID)


def test_a_route_is_checked_for_every_message_in_the_envelope() -> None:
    pool_request = message(CodePoolRequest.TYPE, CodePoolRequest("131016", 10).to_body())
    with pytest.raises(RouteRefused, match=r"codes\.pool-request"):
        receive(envelope(message(), pool_request))


def test_the_same_municipality_may_ask_the_national_node_for_codes() -> None:
    pool_request = message(CodePoolRequest.TYPE, CodePoolRequest("131016", 10).to_body())
    received = receive(envelope(pool_request, recipient=NATIONAL_ID), me=NATIONAL_ID)
    assert received.bodies == (CodePoolRequest("131016", 10),)


def test_an_unknown_version_of_a_routed_type_is_refused() -> None:
    with pytest.raises(UnknownMessageType, match=r"identity\.update v2"):
        receive(envelope(message(version=2)))


def test_an_unknown_type_in_a_response_is_refused() -> None:
    with pytest.raises(UnknownMessageType, match=r"identity\.erase v1"):
        receive(envelope(message("identity.erase", {})), routed=False)


def test_an_unknown_type_in_a_request_is_refused() -> None:
    with pytest.raises(ProtocolError):
        receive(envelope(message("identity.erase", {})))


def test_an_unknown_type_in_a_request_is_reported_as_unknown() -> None:
    with pytest.raises(UnknownMessageType):
        receive(envelope(message("identity.erase", {})))


def test_the_signature_is_checked_before_any_body_is_parsed() -> None:
    malformed = message(body={"identity": {"resident_code": "not a code"}})
    impostor = HmacSigner(CHIYODA, "forged")
    with pytest.raises(BadSignature):
        receive(envelope(malformed, signer=impostor))
    # The same body, properly signed, is refused for what it is.
    with pytest.raises(MalformedEnvelope, match=r"body\.sequence"):
        receive(envelope(malformed))


def test_unauthenticated_input_costs_one_verification_and_nothing_else() -> None:
    verifier = HmacVerifier()
    forged = envelope(message("identity.erase", {}), signer=HmacSigner(CHIYODA, "forged"))
    with pytest.raises(BadSignature):
        check_envelope(forged, me=TOKYO, directory=DIRECTORY, verifier=verifier, now=NOW)
    assert verifier.calls == 1


def test_only_the_sender_can_seal_its_envelope() -> None:
    unsigned = Envelope("envelope-1", CHIYODA, TOKYO, utc_timestamp(NOW), (message(),))
    with pytest.raises(ValueError, match="cannot sign for"):
        seal(HmacSigner(TOKYO, "east-secret"), unsigned)
