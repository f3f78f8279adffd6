"""Only identity information (本人確認情報) leaves a municipality.

Residents are registered with every item of the 住民票 filled — 本籍 and 筆頭者, household and
続柄, welfare items, remarks, the foreign-resident block with its card number — and then every
byte that crossed the network, every message the municipality queued, and everything the
prefecture and national nodes stored is searched for those items.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from tests.conftest import TOKYO_CHIYODA, DeploymentFactory

from jukinet.bootstrap import Node
from jukinet.deployments import Deployment
from jukinet.domain.identity import IDENTITY_FIELDS
from jukinet.domain.residents import Resident, WelfareItems
from jukinet.nodes.municipal import amendments, arrivals, departures
from jukinet.protocol.catalogue import IdentityUpdate
from jukinet.protocol.envelope import Envelope
from jukinet.protocol.errors import MalformedEnvelope

OPERATOR = "clerk-1"
ADDRESS = "東京都千代田区丸の内一丁目1番1号"

DOMICILE = "鹿児島県鹿児島市山下町11番地"  # 本籍
HEAD_OF_FAMILY = "薩摩隼人"  # 筆頭者
PREVIOUS_ADDRESS = "北海道稚内市宗谷岬2番地"
DESTINATION = "沖縄県那覇市泉崎一丁目2番2号"
REMARK = "申出書第4471号により生年月日の誤記を訂正"  # 備考
CARD_NUMBER = "XY98765432ZW"  # 在留カード
NATIONALITY = "ベトナム"
RESIDENCE_STATUS = "技術・人文知識・国際業務"
PENSION_CATEGORY = "第1号被保険者"
RELATIONSHIP = "unregistered-wife"  # 妻(未届)
LOCAL_ONLY = [
    DOMICILE,
    HEAD_OF_FAMILY,
    PREVIOUS_ADDRESS,
    DESTINATION,
    REMARK,
    CARD_NUMBER,
    NATIONALITY,
    RESIDENCE_STATUS,
    PENSION_CATEGORY,
    RELATIONSHIP,
]


@pytest.fixture
def country(make_deployment: DeploymentFactory) -> Deployment:
    """Chiyoda with its prefecture node and the national node."""
    return make_deployment((TOKYO_CHIYODA,))


def register_everything(node: Node) -> list[Resident]:
    """A couple with 本籍, a foreign resident; welfare items, a remark, a move away."""
    supply = node.supply
    assert supply is not None
    person = {"birth_date": "1980-04-01", "address": ADDRESS, "arrived_on": "2026-11-01"}
    domicile = {"place": DOMICILE, "head_of_family": HEAD_OF_FAMILY}
    head = arrivals.record_arrival(
        {
            **person,
            "reason": "ex-officio-record",
            "family_name": "山田",
            "given_name": "太郎",
            "sex": "male",
            "previous_address": PREVIOUS_ADDRESS,
            "domicile": domicile,
        },
        OPERATOR,
        supply,
    )
    partner = arrivals.record_arrival(
        {
            **person,
            "reason": "ex-officio-record",
            "family_name": "鈴木",
            "given_name": "花子",
            "sex": "female",
            "domicile": domicile,
            "household": {"household_id": head.household_id, "relationship": RELATIONSHIP},
        },
        OPERATOR,
        supply,
    )
    foreigner = arrivals.record_arrival(
        {
            **person,
            "address": "東京都千代田区丸の内二丁目2番2号",
            "reason": "foreign-resident-registration",
            "family_name": "NGUYEN",
            "given_name": "VAN AN",
            "alias": "阮文安",
            "sex": "male",
            "foreign": {
                "resident_class": "mid-to-long-term",
                "nationality": NATIONALITY,
                "became_foreign_resident_on": "2026-11-01",
                "residence_status": RESIDENCE_STATUS,
                "period_of_stay": "5年",
                "stay_expires_on": "2031-10-31",
                "card_number": CARD_NUMBER,
            },
        },
        OPERATOR,
        supply,
    )
    for resident in (head, foreigner):
        record_welfare(node, resident)

    # Changes that are notified, made while every local item is filled in.
    amendments.correct_record(
        {"resident_code": head.resident_code, "birth_date": "1980-04-02", "note": REMARK},
        OPERATOR,
        supply,
    )
    amendments.record_move_within(
        {
            "resident_code": foreigner.resident_code,
            "address": "東京都千代田区丸の内三丁目3番3号",
            "moved_on": "2026-11-20",
        },
        OPERATOR,
        supply,
    )
    departures.record_move_out(
        {
            "resident_code": partner.resident_code,
            "destination": DESTINATION,
            "planned_on": "2026-11-30",
        },
        OPERATOR,
        supply,
    )
    return [head, partner, foreigner]


def record_welfare(node: Node, resident: Resident) -> None:
    """Fill items 9–12 of 7条 in the register (no use case records them yet)."""
    with node.unit_of_work() as uow:
        stored = uow.residents.active_by_code(resident.resident_code)
        assert stored is not None
        stored.welfare = WelfareItems(
            elector=True,
            health_insurance_since=date(2026, 11, 1),
            long_term_care_since=date(2026, 11, 1),
            national_pension_category=PENSION_CATEGORY,
            child_allowance_since=date(2026, 11, 1),
        )
        uow.residents.update(stored)
        uow.commit()


def capture_traffic(country: Deployment, monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every request and response body that crosses the (in-process) network."""
    assert country.bridge is not None
    crossed: list[bytes] = []
    handle = country.bridge.handle_request

    def record(request: httpx.Request) -> httpx.Response:
        response = handle(request)
        crossed.extend((request.content, response.content))
        return response

    monkeypatch.setattr(country.bridge, "handle_request", record)
    return crossed


def readable(raw: bytes | str) -> str:
    """Text to search: JSON re-rendered without escapes, so no \\uXXXX can hide a value."""
    text = raw.decode() if isinstance(raw, bytes) else raw
    try:
        return json.dumps(json.loads(text), ensure_ascii=False)
    except ValueError:
        return text


def rows_of(node: Node) -> list[str]:
    """Every row of every table of ``node``, as text."""
    with node.engine.connect() as connection:
        return [
            " ".join(str(value) for value in row)
            for table in node.metadata.sorted_tables
            for row in connection.execute(select(table))
        ]


def outbox_bodies(node: Node) -> list[str]:
    outbox = node.metadata.tables["outbox"]
    with node.engine.connect() as connection:
        return list(connection.execute(select(outbox.c.body)).scalars())


def stored_identities(node: Node) -> list[dict[str, Any]]:
    """Every identity version the node received, and its latest version of each record."""
    with node.engine.connect() as connection:
        return [
            json.loads(content)
            for name in ("identity_versions", "identity_current")
            for content in connection.execute(
                select(node.metadata.tables[name].c.content)
            ).scalars()
        ]


def identities_in(raw: bytes) -> list[dict[str, Any]]:
    """The identity objects of the identity updates in an envelope (none in other traffic)."""
    try:
        envelope = Envelope.from_bytes(raw)
    except MalformedEnvelope:
        return []  # not an envelope: a problem+json body, say
    return [m.body["identity"] for m in envelope.messages if m.type == IdentityUpdate.TYPE]


def test_only_identity_information_leaves_the_municipality(
    country: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    crossed = capture_traffic(country, monkeypatch)
    chiyoda = country.municipality(TOKYO_CHIYODA)
    residents = register_everything(chiyoda)
    queued = outbox_bodies(chiyoda)
    country.pump()
    assert country.national.consistency is not None  # digests cross the network too
    assert all(c.consistent for c in country.national.consistency.run([TOKYO_CHIYODA]))

    identities = [json.loads(body)["identity"] for body in queued]
    identities += [identity for raw in crossed for identity in identities_in(raw)]
    identities += stored_identities(country.nodes["prefecture"])
    identities += stored_identities(country.national)
    assert len(queued) == 6
    # queued; carried to the prefecture and on to J-LIS; stored by each (6 + 3 current each)
    assert len(identities) == 6 + 2 * 6 + 2 * (6 + 3)
    assert all(set(identity) == IDENTITY_FIELDS for identity in identities)

    households = {r.household_id for r in residents}
    upstream = rows_of(country.nodes["prefecture"]) + rows_of(country.national)
    searched = {
        "crossing the network": [readable(raw) for raw in crossed],
        "queued by the municipality": [readable(body) for body in queued],
        "stored upstream": [readable(row) for row in upstream],
    }
    leaks = [
        (where, value)
        for where, texts in searched.items()
        for value in [*LOCAL_ONLY, *households]
        if any(value in text for text in texts)
    ]
    assert leaks == []
    # The same values are in the municipal register: the search would have found them.
    local = "\n".join(rows_of(chiyoda))
    assert all(value in local for value in [*LOCAL_ONLY, *households])
