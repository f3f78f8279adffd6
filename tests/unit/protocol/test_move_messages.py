"""The messages of moves between municipalities: 転出証明書情報 and 転入通知."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from jukinet.domain.certificates import CertificateInfo, MoveOutCertificate
from jukinet.domain.identity import Sex
from jukinet.domain.moves import MoveOutChannel
from jukinet.domain.residents import ForeignResidentBlock, ForeignResidentClass, Relationship
from jukinet.protocol.bodies.moves import CertificateInfoNotice, MoveInNotice
from jukinet.protocol.errors import MalformedEnvelope

CERTIFICATE = MoveOutCertificate(
    certificate_id="3F9A0C2E7B1D4A56",
    issuer="131016",
    resident_code="12345678903",
    my_number="983205673214",
    family_name="NGUYEN",
    given_name="VAN AN",
    birth_date=date(1995, 3, 14),
    sex=Sex.MALE,
    address="東京都千代田区丸の内一丁目1番1号",
    destination="東京都新宿区西新宿二丁目8番1号",
    planned_on=date(2026, 11, 30),
    issued_on=date(2026, 11, 23),
    relationship=Relationship.CHILD,
    head_name="NGUYEN VAN BINH",
    foreign=ForeignResidentBlock(
        ForeignResidentClass.MID_TO_LONG_TERM,
        "ベトナム",
        date(2020, 4, 1),
        residence_status="留学",
        period_of_stay="2年",
        stay_expires_on=date(2027, 3, 31),
        card_number="AB12345678CD",
    ),
)
INFO = CertificateInfoNotice(
    CertificateInfo(
        CERTIFICATE, "12345678903", "202611230014", MoveOutChannel.COUNTER, "131041", None
    )
)
NOTICE = MoveInNotice(
    certificate_id="3F9A0C2E7B1D4A56",
    issuer="131016",
    resident_code="12345678903",
    family_name="NGUYEN",
    given_name="VAN AN",
    birth_date=date(1995, 3, 14),
    sex=Sex.MALE,
    municipality_code="131041",
    address="東京都新宿区西新宿二丁目8番1号",
    moved_in_on=date(2026, 11, 30),
    notified_on=date(2026, 12, 1),
)


def test_a_foreign_residents_certificate_information_crosses_with_every_item() -> None:
    back = CertificateInfoNotice.from_body(INFO.to_body())

    assert back == INFO
    assert back.info.certificate.foreign is not None
    assert back.info.certificate.foreign.card_number == "AB12345678CD"


def test_a_move_in_notice_reads_back_as_sent() -> None:
    assert MoveInNotice.from_body(NOTICE.to_body()) == NOTICE


def _info_with(**certificate: Any) -> dict[str, Any]:
    body = INFO.to_body()
    body["info"]["certificate"].update(certificate)
    return body


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (_info_with(resident_code="12345678904"), "body.info.certificate.resident_code"),
        (_info_with(relationship="cousin"), "body.info.certificate.relationship"),
        (_info_with(foreign={"resident_class": "tourist"}), "certificate.foreign.resident_class"),
        ({"info": {**INFO.to_body()["info"], "channel": "fax"}}, "body.info.channel"),
        ({"info": {**INFO.to_body()["info"], "card_number": "1234"}}, "body.info.card_number"),
        ({"info": "a string"}, "body.info"),
    ],
)
def test_bad_certificate_information_is_refused_naming_the_field(
    body: dict[str, Any], field: str
) -> None:
    with pytest.raises(MalformedEnvelope, match=field.replace(".", r"\.")):
        CertificateInfoNotice.from_body(body)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"issuer": "131017"}, "body.issuer"),
        ({"moved_in_on": "2026-13-01"}, "moved_in_on"),
        ({"sex": "other"}, "body.sex"),
        ({"family_name": ""}, "family_name"),
        ({"address": 42}, "body.address"),
    ],
)
def test_a_bad_move_in_notice_is_refused_naming_the_field(
    change: dict[str, Any], field: str
) -> None:
    with pytest.raises(MalformedEnvelope, match=field.replace(".", r"\.")):
        MoveInNotice.from_body({**NOTICE.to_body(), **change})
