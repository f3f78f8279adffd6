"""Golden envelopes: one complete, signed envelope per message type, kept in ``tests/golden/``.

Each is rebuilt here from fixed inputs — fixed ids and timestamps, and an Ed25519 key from a
fixed seed (Ed25519 signatures are deterministic) — and compared byte for byte with its file,
so any change to what goes on the wire shows up as a diff of that file in review. The files
are written indented for that diff to be readable; the bytes that travel are their canonical
form, which the test checks too. Another implementation can use the files as test vectors.

To regenerate after an intended wire change::

    JUKINET_REGENERATE_GOLDEN=1 pytest tests/unit/protocol/test_golden.py
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from jukinet.adapters.crypto.signers import NodeSigner
from jukinet.domain.changes import ChangeReason
from jukinet.domain.codes import MyNumber, ResidentCode
from jukinet.domain.identity import IdentityInfo, RecordStatus, Sex
from jukinet.domain.residents import Relationship
from jukinet.protocol.canonical import canonical_bytes, loads
from jukinet.protocol.catalogue import (
    CATALOGUE,
    AgencyCodeAccepted,
    AgencyCodeRequest,
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
from jukinet.protocol.directory import LINKAGE_ID, NATIONAL_ID, municipality_node_id
from jukinet.protocol.envelope import Envelope, Message
from jukinet.protocol.reception import seal

GOLDEN = Path(__file__).parents[2] / "golden"
REGENERATE = os.environ.get("JUKINET_REGENERATE_GOLDEN") == "1"

SEED = bytes(range(32))
KEY = Ed25519PrivateKey.from_private_bytes(SEED)

CHIYODA = municipality_node_id("131016")
PREFECTURE = "prefecture"
SENT_AT = "2026-11-23T01:00:00.000Z"
ANSWERED_AT = "2026-11-23T01:00:00.250Z"
REQUEST_ID = "019ab2f4-2a00-7000-8000-00000000a001"
RESPONSE_ID = "019ab2f4-2afa-7000-8000-00000000a002"
MESSAGE_ID = "019ab2f4-2a00-7000-8000-00000000b001"
ANSWER_ID = "019ab2f4-2afa-7000-8000-00000000b002"
RECORD = "8d1f6c0e2b7a4e59a3c1d2e3f4a5b6c7"  # a municipal record id: the stream of its versions

RESIDENT_CODE = ResidentCode.from_body("4718205936").value
MY_NUMBER = MyNumber.from_body("80142736519").value
IVS = "\U000e0100"  # VARIATION SELECTOR-17: picks one registered glyph of the kanji before it

IDENTITY = IdentityInfo(
    resident_code=RESIDENT_CODE,
    my_number=MY_NUMBER,
    family_name="髙橋",
    given_name="葛" + IVS + "子",
    family_name_kana="タカハシ",
    given_name_kana="カツコ",
    former_surname="渡邊",
    alias="",
    birth_date=date(1988, 2, 29),
    sex=Sex.FEMALE,
    address="東京都千代田区丸の内一丁目1番1号",
    municipality_code="131016",
    status=RecordStatus.ACTIVE,
    reason=ChangeReason.NAME_CHANGE,
    change_date=date(2026, 11, 20),
)


@dataclass(frozen=True, slots=True)
class Golden:
    """One message type's envelope: who sends it to whom, and what it says."""

    sender: str
    recipient: str
    body: Any
    answering: bool = False  # a response: streamed on the request's envelope id

    @property
    def type(self) -> str:
        return str(self.body.TYPE)

    def envelope(self) -> Envelope:
        stream, sequence = (REQUEST_ID, 1) if self.answering else ("request", 1)
        if isinstance(self.body, IdentityUpdate):
            stream, sequence = self.body.stream, self.body.sequence
        envelope_id, at = (RESPONSE_ID, ANSWERED_AT) if self.answering else (REQUEST_ID, SENT_AT)
        message = Message(
            ANSWER_ID if self.answering else MESSAGE_ID,
            self.type,
            self.body.VERSION,
            stream,
            sequence,
            at,
            self.body.to_body(),
        )
        unsigned = Envelope(envelope_id, self.sender, self.recipient, at, (message,))
        return seal(NodeSigner(self.sender, KEY), unsigned)


def _digest_report() -> DigestReport:
    entries = [
        DigestEntry(RECORD, 2, RESIDENT_CODE, IDENTITY.digest()),
        DigestEntry(
            "9e2a7b3c4d5e4f60a1b2c3d4e5f60718",
            1,
            ResidentCode.from_body("5820316047").value,
            "0" * 64,
        ),
    ]
    return DigestReport.fold("131016", entries, detail=True)


# 世帯情報の確認: the applicant, their child, and a lodger at the same address (another
# household); a code not registered here is answered as such, with nothing else.
HOUSEHOLD_CODES = (
    RESIDENT_CODE,
    *(ResidentCode.from_body(b).value for b in ("5820316047", "6931427158", "7042538269")),
)
HOUSEHOLD_ANSWER = HouseholdAnswer(
    "131016",
    (
        HouseholdMember(HOUSEHOLD_CODES[0], True, "1", Relationship.HEAD),
        HouseholdMember(HOUSEHOLD_CODES[1], True, "1", Relationship.CHILD),
        HouseholdMember(HOUSEHOLD_CODES[2], True, "2", Relationship.HEAD),
        HouseholdMember(HOUSEHOLD_CODES[3], False),
    ),
)

GOLDENS = [
    Golden(CHIYODA, PREFECTURE, IdentityUpdate(RECORD, 2, SENT_AT, IDENTITY)),
    Golden(CHIYODA, NATIONAL_ID, CodePoolRequest("131016", 200)),
    Golden(
        NATIONAL_ID,
        CHIYODA,
        CodePoolGrant(
            "131016", tuple(ResidentCode.from_body(b).value for b in ("1029384756", "5647382910"))
        ),
        answering=True,
    ),
    Golden(CHIYODA, NATIONAL_ID, MyNumberRequest(RESIDENT_CODE, MyNumberReason.INITIAL)),
    Golden(NATIONAL_ID, CHIYODA, MyNumberIssued(RESIDENT_CODE, MY_NUMBER), answering=True),
    Golden(NATIONAL_ID, PREFECTURE, DigestRequest("131016", detail=True)),
    Golden(PREFECTURE, NATIONAL_ID, _digest_report(), answering=True),
    Golden(
        PREFECTURE,
        CHIYODA,
        DeliveryReceipt(
            accepted=(MESSAGE_ID,), duplicates=("019ab2f4-2a00-7000-8000-00000000b000",)
        ),
        answering=True,
    ),
    Golden(
        NATIONAL_ID,
        CHIYODA,
        HouseholdQuery(
            "131016",
            "019ab2f4-2a00-7000-8000-00000000c001",
            "nenkin",
            "kokumin-nenkin",
            HOUSEHOLD_CODES,
        ),
    ),
    Golden(CHIYODA, NATIONAL_ID, HOUSEHOLD_ANSWER, answering=True),
    # 機関別符号: only the 住民票コード travels, never the 個人番号; the answer carries no code.
    Golden(NATIONAL_ID, LINKAGE_ID, AgencyCodeRequest("nenkin", "N-2026-000001", RESIDENT_CODE)),
    Golden(LINKAGE_ID, NATIONAL_ID, AgencyCodeAccepted(1), answering=True),
]
CASES = [pytest.param(golden, id=golden.type) for golden in GOLDENS]


def render(envelope: Envelope) -> bytes:
    """The golden file's text: the wire object indented, keys sorted, text unescaped."""
    text = json.dumps(envelope.to_wire(), ensure_ascii=False, indent=2, sort_keys=True)
    return (text + "\n").encode()


def golden_file(golden: Golden) -> Path:
    return GOLDEN / f"{golden.type}.json"


@pytest.mark.parametrize("golden", CASES)
def test_the_envelope_on_the_wire_is_the_golden_one(golden: Golden) -> None:
    envelope = golden.envelope()
    path = golden_file(golden)
    if REGENERATE:
        path.write_bytes(render(envelope))
    if not path.exists():
        pytest.fail(f"{path} is missing: run with JUKINET_REGENERATE_GOLDEN=1 to write it")

    kept = path.read_bytes()
    assert kept.decode() == render(envelope).decode(), f"{path.name} differs from the wire"
    assert canonical_bytes(loads(kept)) == envelope.to_bytes()


@pytest.mark.parametrize("golden", CASES)
def test_a_golden_envelope_reads_back_into_its_message(golden: Golden) -> None:
    envelope = Envelope.from_bytes(golden_file(golden).read_bytes())

    KEY.public_key().verify(envelope.signature_bytes(), envelope.signing_bytes())
    (message,) = envelope.messages
    assert (envelope.sender, envelope.recipient, message.type) == (
        golden.sender,
        golden.recipient,
        golden.type,
    )
    assert parse_body(message.type, message.version, message.body) == golden.body


def test_names_travel_as_written_with_their_variation_selectors() -> None:
    text = golden_file(GOLDENS[0]).read_text(encoding="utf-8")
    assert "髙橋" in text
    assert "葛" + IVS + "子" in text
    assert "\\u" not in text  # nothing is escaped: the bytes signed are the UTF-8 of the name


def test_every_message_type_in_the_catalogue_has_a_golden_envelope() -> None:
    assert sorted(g.type for g in GOLDENS) == sorted(t for t, _ in CATALOGUE)
    assert sorted(p.name for p in GOLDEN.glob("*.json")) == sorted(
        golden_file(g).name for g in GOLDENS
    )
