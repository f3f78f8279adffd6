"""Every operator request over HTTP leaves one chained line in the node's access log.

Who (operator, terminal, session), what (the route), under which permission, about whom (the
住民票コード named or shown) and how it ended — and `jukinet audit verify` still finds the chain
intact afterwards.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.conftest import TOKYO_CHIYODA, DeploymentFactory, operator_header

from jukinet.deployments import Deployment
from jukinet.nodes.audit.verification import verify_log

ADDRESS = "東京都千代田区丸の内一丁目1番1号"


def lines(country: Deployment) -> list[dict[str, Any]]:
    node = country.municipality(TOKYO_CHIYODA)
    table = node.metadata.tables["access_log"]
    with node.engine.connect() as connection:
        return [
            dict(row._mapping) for row in connection.execute(select(table).order_by("sequence"))
        ]


def test_a_record_made_and_read_is_logged_with_its_code_permission_and_outcome(
    make_deployment: DeploymentFactory,
) -> None:
    country = make_deployment((TOKYO_CHIYODA,))
    node = country.municipality(TOKYO_CHIYODA)
    clerk = operator_header(node, ("window-clerk",), "clerk-ito", terminal="window-03")
    auditor = operator_header(node, ("auditor",), "audit-sato")
    client = TestClient(node.app)
    made = client.post(
        "/api/v1/arrivals",
        headers=clerk,
        json={
            "reason": "ex-officio-record",
            "family_name": "髙橋",
            "given_name": "𠮷男",
            "birth_date": "1980-04-01",
            "sex": "male",
            "address": ADDRESS,
            "arrived_on": "2026-11-01",
        },
    ).json()
    code = made["resident_code"]

    read = client.get(f"/api/v1/residents/{code}", headers=clerk)
    refused = client.get(f"/api/v1/residents/{code}", headers=auditor)

    assert (read.status_code, refused.status_code) == (200, 403)
    logged = [line for line in lines(country) if line["action"].startswith("api.")]
    assert [(line["action"], line["outcome"], line["operator_id"]) for line in logged] == [
        ("api.arrival", "done", "clerk-ito"),
        ("api.resident", "done", "clerk-ito"),
        ("api.resident", "refused", "audit-sato"),
    ]
    assert all(code in line["resident_codes"] for line in logged)
    assert [line["permission"] for line in logged] == [
        "register.change",
        "resident.read",
        "resident.read",
    ]
    assert logged[0]["terminal"] == "window-03"


def test_the_chain_of_http_lines_verifies_intact(
    make_deployment: DeploymentFactory,
) -> None:
    country = make_deployment((TOKYO_CHIYODA,))
    node = country.municipality(TOKYO_CHIYODA)
    clerk = operator_header(node, ("window-clerk",))
    client = TestClient(node.app)
    for n in range(3):
        client.get(f"/api/v1/residents/1234567890{n}", headers=clerk)

    assert node.access_log is not None
    assert node.checkpoint_signatures is not None
    verdict = verify_log(node.access_log, node.checkpoint_signatures)

    assert verdict.broken is None
    assert verdict.chain.entries >= 3
