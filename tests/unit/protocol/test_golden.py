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
from jukinet.domain.certificates import CertificateInfo, MoveOutCertificate
from jukinet.domain.changes import ChangeReason
from jukinet.domain.codes import MyNumber, ResidentCode
from jukinet.domain.identity import IdentityInfo, RecordStatus, Sex
from jukinet.domain.moves import MoveOutChannel
from jukinet.domain.residents import RegisteredDomicile, Relationship
from jukinet.domain.suppressions import MeasureState, Relation
from jukinet.protocol.bodies.immigration import (
    ImmigrationNotice,
    ImmigrationNoticeReceipt,
    NoticeAnswer,
    NoticeChanges,
    NoticeKind,
    NoticeOutcome,
)
from jukinet.protocol.bodies.moves import CertificateInfoNotice, MoveInNotice
from jukinet.protocol.bodies.protection import MeasureNotice
from jukinet.protocol.canonical import canonical_bytes, loads
from jukinet.protocol.catalogue import (
    CATALOGUE,
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
from jukinet.protocol.directory import (
    CARD_ID,
    IMMIGRATION_ID,
    LINKAGE_ID,
    NATIONAL_ID,
    municipality_node_id,
)
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
    # 個人番号カード: the card's own number (not the 個人番号), its holder and the PIN typed in.
    Golden(CHIYODA, CARD_ID, CardPinCheck("400123456784", RESIDENT_CODE, "4321")),
    Golden(
        CARD_ID,
        CHIYODA,
        CardPinVerdict("400123456784", "wrong-pin", 2, "2031-02-28"),
        answering=True,
    ),
    Golden(
        CHIYODA,
        CARD_ID,
        CardContinuedUse("400123456784", RESIDENT_CODE, "4321", "131016", "2026-11-20"),
    ),
    Golden(
        CARD_ID,
        CHIYODA,
        CardContinuedUseVerdict("400123456784", "accepted", 3, "2031-02-28"),
        answering=True,
    ),
    # 住基法30条の50: ISA names the person by the card they hold and repeats its own record of
    # them; a status change comes with a new card. The receipt answers each notice.
    Golden(
        IMMIGRATION_ID,
        CHIYODA,
        ImmigrationNotice(
            "ISA-2026-000001",
            NoticeKind.STATUS_CHANGE,
            "131016",
            "AB12345678CD",
            "NGUYEN",
            "VAN AN",
            date(1995, 3, 14),
            date(2026, 11, 20),
            NoticeChanges(
                residence_status="技術・人文知識・国際業務",
                period_of_stay="5年",
                stay_expires_on=date(2031, 11, 20),
                card_number="EF98765432GH",
            ),
        ),
    ),
    Golden(
        CHIYODA,
        IMMIGRATION_ID,
        ImmigrationNoticeReceipt(
            (
                NoticeAnswer(MESSAGE_ID, "ISA-2026-000001", NoticeOutcome.APPLIED),
                NoticeAnswer(
                    "019ab2f4-2a00-7000-8000-00000000b003",
                    "ISA-2026-000002",
                    NoticeOutcome.NO_SUCH_RESIDENT,
                    "no foreign resident registered here holds card GH24681357JK",
                ),
            )
        ),
        answering=True,
    ),
    # 転出証明書情報 of a card holder's move (old → new municipality), and the 転入通知 back.
    Golden(
        CHIYODA,
        municipality_node_id("131041"),
        CertificateInfoNotice(
            CertificateInfo(
                MoveOutCertificate(
                    certificate_id="3F9A0C2E7B1D4A56",
                    issuer="131016",
                    resident_code=RESIDENT_CODE,
                    my_number=MY_NUMBER,
                    family_name="髙橋",
                    given_name="葛" + IVS + "子",
                    birth_date=date(1988, 2, 29),
                    sex=Sex.FEMALE,
                    address="東京都千代田区丸の内一丁目1番1号",
                    destination="東京都新宿区西新宿二丁目8番1号",
                    planned_on=date(2026, 11, 30),
                    issued_on=date(2026, 11, 23),
                    domicile=RegisteredDomicile("東京都千代田区千代田1番", "髙橋一郎"),
                    family_name_kana="タカハシ",
                    given_name_kana="カツコ",
                    relationship=Relationship.WIFE,
                    head_name="髙橋　一郎",
                ),
                holder=RESIDENT_CODE,
                card_number="202611230014",
                channel=MoveOutChannel.ONLINE,
                destination_code="131041",
                visit_planned_on=date(2026, 12, 1),
            )
        ),
    ),
    Golden(
        municipality_node_id("131041"),
        CHIYODA,
        MoveInNotice(
            certificate_id="3F9A0C2E7B1D4A56",
            issuer="131016",
            resident_code=RESIDENT_CODE,
            family_name="髙橋",
            given_name="葛" + IVS + "子",
            birth_date=date(1988, 2, 29),
            sex=Sex.FEMALE,
            municipality_code="131041",
            address="東京都新宿区西新宿二丁目8番1号",
            moved_in_on=date(2026, 11, 30),
            notified_on=date(2026, 12, 1),
        ),
    ),
    # 支援措置 decided at the new address, told to the former-address municipality: the person
    # by code, name, birth date and sex, never by where they live now.
    Golden(
        municipality_node_id("131041"),
        CHIYODA,
        MeasureNotice(
            measure_id="7c1f2a9e4b6d4e0f8a3b5c7d9e1f2a3b",
            sender="131041",
            recipient="131016",
            relation=Relation.FORMER_ADDRESS,
            resident_code=RESIDENT_CODE,
            family_name="髙橋",
            given_name="葛" + IVS + "子",
            birth_date=date(1988, 2, 29),
            sex=Sex.FEMALE,
            state=MeasureState.ACTIVE,
            ends_on=date(2027, 11, 22),
        ),
    ),
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
    # The 広域交付 goldens live with their own tests, which import this module's fixed key and
    # ids: imported here, not at the top, to keep the two modules from importing each other.
    from tests.unit.protocol.test_wide_area_messages import GOLDENS as WIDE_AREA

    everything = GOLDENS + WIDE_AREA
    assert sorted(g.type for g in everything) == sorted(t for t, _ in CATALOGUE)
    assert sorted(p.name for p in GOLDEN.glob("*.json")) == sorted(
        golden_file(g).name for g in everything
    )
