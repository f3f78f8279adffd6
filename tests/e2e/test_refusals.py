"""Every way a node refuses an envelope, through its real HTTP endpoint.

For each refusal: the sender gets the HTTP status and a problem+json ``reason``, the node's
security log (the ``refusals`` table) records the same reason and detail, and nothing else in
the node changes — no identity version, no queued message, no remembered envelope id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import TOKYO_CHIYODA, YOKOHAMA_TSURUMI, DeploymentFactory

from jukinet.adapters.clock import FixedClock
from jukinet.adapters.crypto.signers import NodeSigner
from jukinet.bootstrap import Node
from jukinet.deployments import Deployment
from jukinet.domain.changes import ChangeReason
from jukinet.domain.codes import MyNumber, ResidentCode
from jukinet.domain.identity import IdentityInfo, RecordStatus, Sex
from jukinet.protocol.canonical import canonical_bytes
from jukinet.protocol.catalogue import DigestRequest, IdentityUpdate
from jukinet.protocol.directory import NATIONAL_ID, municipality_node_id
from jukinet.protocol.envelope import Envelope, Message, new_message, utc_timestamp
from jukinet.protocol.errors import MalformedEnvelope
from jukinet.protocol.ids import uuid7
from jukinet.protocol.reception import EnvelopeSigner, seal

PREFECTURE = "prefecture"
CHIYODA = municipality_node_id(TOKYO_CHIYODA)
TSURUMI = municipality_node_id(YOKOHAMA_TSURUMI)
SAPPORO_CHUO = "011011"  # in Hokkaido, which no node of the test country serves
STORES = ("identity_versions", "identity_current", "outbox", "received_envelopes")


# --- envelopes --------------------------------------------------------------------------------


def identity_update(clock: FixedClock, municipality_code: str = TOKYO_CHIYODA) -> Message:
    identity = IdentityInfo(
        resident_code=ResidentCode.from_body("4718205936").value,
        my_number=MyNumber.from_body("80142736519").value,
        family_name="山田",
        given_name="花子",
        family_name_kana="ヤマダ",
        given_name_kana="ハナコ",
        former_surname="",
        alias="",
        birth_date=date(1990, 1, 2),
        sex=Sex.FEMALE,
        address="東京都千代田区丸の内一丁目1番1号",
        municipality_code=municipality_code,
        status=RecordStatus.ACTIVE,
        reason=ChangeReason.EX_OFFICIO_RECORD,
        change_date=date(2026, 11, 1),
    )
    update = IdentityUpdate(uuid7(), 1, utc_timestamp(clock.now()), identity)
    return new_message(
        update.TYPE,
        update.VERSION,
        update.to_body(),
        stream=update.stream,
        sequence=1,
        now=clock.now(),
    )


def sealed(
    signer: EnvelopeSigner,
    recipient: str,
    message: Message,
    clock: FixedClock,
    age: timedelta = timedelta(0),
) -> Envelope:
    """An envelope signed by ``signer``, created ``age`` ago (a negative age: in the future)."""
    created_at = utc_timestamp(clock.now() - age)
    return seal(signer, Envelope(uuid7(), signer.node_id, recipient, created_at, (message,)))


def signer(country: Deployment, node_id: str) -> EnvelopeSigner:
    return country.nodes[node_id].peer.signer


def rewrite(envelope: Envelope, change: Callable[[dict[str, Any]], None]) -> bytes:
    """The envelope's wire bytes, changed after signing."""
    wire = envelope.to_wire()
    change(wire)
    return canonical_bytes(wire)


def post(node: Node, raw: bytes) -> Any:
    with TestClient(node.app) as client:
        return client.post(
            "/v1/envelopes", content=raw, headers={"content-type": "application/json"}
        )


# --- the refusals -------------------------------------------------------------------------------


Build = Callable[[Deployment, FixedClock], bytes]


def from_unknown_sender(country: Deployment, clock: FixedClock) -> bytes:
    stranger = NodeSigner(municipality_node_id(SAPPORO_CHUO), Ed25519PrivateKey.generate())
    return sealed(stranger, PREFECTURE, identity_update(clock, SAPPORO_CHUO), clock).to_bytes()


def with_body_changed_after_signing(country: Deployment, clock: FixedClock) -> bytes:
    envelope = sealed(signer(country, CHIYODA), PREFECTURE, identity_update(clock), clock)

    def rename(wire: dict[str, Any]) -> None:
        wire["messages"][0]["body"]["identity"]["family_name"] = "偽名"

    return rewrite(envelope, rename)


def update_straight_to_national(country: Deployment, clock: FixedClock) -> bytes:
    return sealed(signer(country, CHIYODA), NATIONAL_ID, identity_update(clock), clock).to_bytes()


def digest_asked_by_a_municipality(country: Deployment, clock: FixedClock) -> bytes:
    request = DigestRequest(YOKOHAMA_TSURUMI, detail=True)
    message = new_message(
        request.TYPE,
        request.VERSION,
        request.to_body(),
        stream="request",
        sequence=1,
        now=clock.now(),
    )
    return sealed(signer(country, CHIYODA), TSURUMI, message, clock).to_bytes()


def delivered_twice(country: Deployment, clock: FixedClock) -> bytes:
    raw = sealed(signer(country, CHIYODA), PREFECTURE, identity_update(clock), clock).to_bytes()
    assert post(country.nodes[PREFECTURE], raw).status_code == 200
    return raw


def created_six_minutes_ago(country: Deployment, clock: FixedClock) -> bytes:
    message = identity_update(clock)
    return sealed(
        signer(country, CHIYODA), PREFECTURE, message, clock, age=timedelta(minutes=6)
    ).to_bytes()


def created_six_minutes_ahead(country: Deployment, clock: FixedClock) -> bytes:
    message = identity_update(clock)
    return sealed(
        signer(country, CHIYODA), PREFECTURE, message, clock, age=timedelta(minutes=-6)
    ).to_bytes()


def addressed_to_national(country: Deployment, clock: FixedClock) -> bytes:
    envelope = sealed(signer(country, PREFECTURE), NATIONAL_ID, identity_update(clock), clock)
    return envelope.to_bytes()  # and posted to the prefecture node


def not_json(country: Deployment, clock: FixedClock) -> bytes:
    return b"\xff not an envelope"


def without_recipient(country: Deployment, clock: FixedClock) -> bytes:
    envelope = sealed(signer(country, CHIYODA), PREFECTURE, identity_update(clock), clock)
    return rewrite(envelope, lambda wire: wire.pop("recipient"))


def with_a_message_missing_its_sequence(country: Deployment, clock: FixedClock) -> bytes:
    envelope = sealed(signer(country, CHIYODA), PREFECTURE, identity_update(clock), clock)
    return rewrite(envelope, lambda wire: wire["messages"][0].pop("sequence"))


def with_a_wrong_check_digit(country: Deployment, clock: FixedClock) -> bytes:
    message = identity_update(clock)
    identity = message.body["identity"]
    last = int(identity["resident_code"][-1])
    identity["resident_code"] = identity["resident_code"][:-1] + str((last + 1) % 10)
    return sealed(signer(country, CHIYODA), PREFECTURE, message, clock).to_bytes()


def with_a_message_twice(country: Deployment, clock: FixedClock) -> bytes:
    """Applied once but reported a duplicate, it would never be forwarded: refused whole."""
    message = identity_update(clock)
    unsigned = Envelope(
        uuid7(), CHIYODA, PREFECTURE, utc_timestamp(clock.now()), (message, message)
    )
    return seal(signer(country, CHIYODA), unsigned).to_bytes()


def for_another_municipalitys_resident(country: Deployment, clock: FixedClock) -> bytes:
    message = identity_update(clock, municipality_code=YOKOHAMA_TSURUMI)
    return sealed(signer(country, CHIYODA), PREFECTURE, message, clock).to_bytes()


def for_a_prefecture_not_served(country: Deployment, clock: FixedClock) -> bytes:
    message = identity_update(clock, municipality_code=SAPPORO_CHUO)
    return sealed(signer(country, PREFECTURE), NATIONAL_ID, message, clock).to_bytes()


@dataclass(frozen=True, slots=True)
class Refused:
    name: str
    receiver: str
    build: Build
    status: int
    reason: str
    detail_names: str  # a word the detail must contain, so the operator can see what was wrong


REFUSALS = [
    Refused(
        "unknown-sender",
        PREFECTURE,
        from_unknown_sender,
        403,
        "unknown-sender",
        "municipality-011011",
    ),
    Refused(
        "body-tampered-after-signing",
        PREFECTURE,
        with_body_changed_after_signing,
        401,
        "bad-signature",
        CHIYODA,
    ),
    Refused(
        "municipality-sends-update-to-national",
        NATIONAL_ID,
        update_straight_to_national,
        403,
        "route-refused",
        "identity.update",
    ),
    Refused(
        "municipality-asks-municipality-for-digest",
        TSURUMI,
        digest_asked_by_a_municipality,
        403,
        "route-refused",
        "digest-request",
    ),
    Refused(
        "replayed-envelope-id", PREFECTURE, delivered_twice, 409, "replayed", "already received"
    ),
    Refused(
        "created-too-long-ago", PREFECTURE, created_six_minutes_ago, 400, "stale", "created at"
    ),
    Refused(
        "created-in-the-future", PREFECTURE, created_six_minutes_ahead, 400, "stale", "created at"
    ),
    Refused(
        "wrong-recipient", PREFECTURE, addressed_to_national, 421, "wrong-recipient", NATIONAL_ID
    ),
    Refused("not-json", PREFECTURE, not_json, 400, "malformed", "JSON"),
    Refused("envelope-field-missing", PREFECTURE, without_recipient, 400, "malformed", "recipient"),
    Refused(
        "message-field-missing",
        PREFECTURE,
        with_a_message_missing_its_sequence,
        400,
        "malformed",
        "sequence",
    ),
    Refused(
        "body-breaks-its-schema",
        PREFECTURE,
        with_a_wrong_check_digit,
        400,
        "malformed",
        "resident_code",
    ),
    Refused(
        "message-repeated-in-envelope",
        PREFECTURE,
        with_a_message_twice,
        400,
        "malformed",
        "appears twice",
    ),
    Refused(
        "identity-of-another-municipalitys-resident",
        PREFECTURE,
        for_another_municipalitys_resident,
        403,
        "route-refused",
        YOKOHAMA_TSURUMI,
    ),
    Refused(
        "prefecture-node-speaks-for-a-prefecture-it-does-not-serve",
        NATIONAL_ID,
        for_a_prefecture_not_served,
        403,
        "route-refused",
        SAPPORO_CHUO,
    ),
]


@pytest.fixture
def country(make_deployment: DeploymentFactory) -> Deployment:
    """Two municipalities are enough to refuse everything, and quicker to set up than three."""
    return make_deployment((TOKYO_CHIYODA, YOKOHAMA_TSURUMI))


def store_counts(node: Node) -> dict[str, int]:
    with node.engine.connect() as connection:
        return {
            name: connection.execute(
                select(func.count()).select_from(node.metadata.tables[name])
            ).scalar_one()
            for name in STORES
        }


def logged_as(raw: bytes) -> tuple[str, str]:
    """The sender and envelope id the security log names: as given, if the envelope was legible."""
    try:
        envelope = Envelope.from_bytes(raw)
    except MalformedEnvelope:
        return ("(unreadable)", "(unreadable)")
    return (envelope.sender, envelope.id)


def test_each_refused_envelope_is_answered_logged_and_changes_nothing(
    country: Deployment, clock: FixedClock, subtests: pytest.Subtests
) -> None:
    # One country serves every case (building one costs more than all the cases together);
    # each case compares the receiving node before and after, so they stay independent.
    for case in REFUSALS:
        with subtests.test(case.name):
            node = country.nodes[case.receiver]
            raw = case.build(country, clock)
            stores, refusals = store_counts(node), node.refusals.recent()

            response = post(node, raw)

            assert response.status_code == case.status
            assert response.headers["content-type"] == "application/problem+json"
            problem = response.json()
            assert problem["reason"] == case.reason
            assert case.detail_names in problem["detail"]
            logged, *earlier = node.refusals.recent()
            assert earlier == refusals
            assert (logged.reason, logged.detail) == (case.reason, problem["detail"])
            assert (logged.sender, logged.envelope_id) == logged_as(raw)
            assert store_counts(node) == stores
