"""The protection desk over HTTP: separate permissions for set, release and temporary release,
suppression shown in look-ups and the record view, the feed, and copies refused."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from tests.conftest import TOKYO_CHIYODA, DeploymentFactory, operator_header

from jukinet.adapters.clock import FixedClock

ADDRESS = "東京都千代田区丸の内一丁目1番1号"
PROBLEM = "application/problem+json"


def test_a_suppression_set_released_for_a_while_and_released_by_the_right_people(
    make_deployment: DeploymentFactory, clock: FixedClock
) -> None:
    node = make_deployment((TOKYO_CHIYODA,)).municipality(TOKYO_CHIYODA)
    client = TestClient(node.app)
    clerk = operator_header(node, ("window-clerk",), "clerk-ito")
    supervisor = operator_header(node, ("supervisor",), "chief-mori")
    person: dict[str, Any] = client.post(
        "/api/v1/arrivals",
        headers=clerk,
        json={
            "reason": "ex-officio-record",
            "family_name": "髙橋",
            "given_name": "花子",
            "birth_date": "1990-02-03",
            "sex": "female",
            "address": ADDRESS,
            "arrived_on": "2026-11-01",
        },
    ).json()
    code = person["resident_code"]
    form = {
        "resident_code": code,
        "reason": "residence-investigation",
        "processes": ["certificate-issuance", "lookup"],
        "level": "error",
    }

    by_clerk = client.post("/api/v1/suppressions", headers=clerk, json=form)
    made = client.post("/api/v1/suppressions", headers=supervisor, json=form)
    assert made.status_code == 201, made.text
    suppression = made.json()["suppression_id"]
    looked_up = client.post(
        "/api/v1/resident-searches",
        headers=clerk,
        json={"name": "高橋 花子", "birth_date": "1990-02-03", "sex": "female"},
    ).json()["matches"]
    viewed = client.get(f"/api/v1/residents/{code}", headers=clerk)
    copy = client.post(
        "/api/v1/copies",
        headers=clerk,
        json={
            "requester": {
                "kind": "self",
                "name": "髙橋　花子",
                "resident_code": code,
                "document": "drivers-licence",
            },
        },
    )

    assert by_clerk.status_code == 403
    assert by_clerk.json()["detail"].endswith("suppression.set")
    assert made.status_code == 201
    assert [(m["resident_code"], m["address"], m["suppression"]["verdict"]) for m in looked_up] == [
        (code, None, "refuse")
    ]
    assert viewed.status_code == 409
    assert copy.status_code == 409
    assert copy.headers["content-type"] == PROBLEM

    lifted = client.post(
        f"/api/v1/suppressions/{suppression}/temporary-release?minutes=5", headers=supervisor
    )
    during = client.get(f"/api/v1/residents/{code}", headers=clerk)
    clock.advance(minutes=6)
    after = client.get(f"/api/v1/residents/{code}", headers=clerk)

    assert lifted.status_code == 200
    assert during.status_code == 200
    assert after.status_code == 409  # suppressed again by itself

    refused = client.post(f"/api/v1/suppressions/{suppression}/release", headers=clerk)
    released = client.post(f"/api/v1/suppressions/{suppression}/release", headers=supervisor)
    feed = client.get("/api/v1/suppression-feed", headers=clerk).json()

    assert (refused.status_code, released.status_code) == (403, 200)
    assert [event["event"] for event in feed["events"]] == ["set", "released"]  # no temporary
    assert client.get(f"/api/v1/residents/{code}", headers=clerk).status_code == 200


def test_a_copy_under_an_alert_level_suppression_is_issued_with_the_alert_for_the_clerk(
    make_deployment: DeploymentFactory,
) -> None:
    node = make_deployment((TOKYO_CHIYODA,)).municipality(TOKYO_CHIYODA)
    client = TestClient(node.app)
    clerk = operator_header(node, ("window-clerk",), "clerk-ito")
    supervisor = operator_header(node, ("supervisor",), "chief-mori")
    code = client.post(
        "/api/v1/arrivals",
        headers=clerk,
        json={
            "reason": "ex-officio-record",
            "family_name": "山﨑",
            "given_name": "太郎",
            "birth_date": "1975-05-05",
            "sex": "male",
            "address": ADDRESS,
            "arrived_on": "2026-11-01",
        },
    ).json()["resident_code"]
    client.post(
        "/api/v1/suppressions",
        headers=supervisor,
        json={
            "resident_code": code,
            "reason": "glyph-in-preparation",
            "processes": ["certificate-issuance"],
            "level": "alert",
        },
    )

    copy = client.post(
        "/api/v1/copies",
        headers=clerk,
        json={
            "requester": {
                "kind": "self",
                "name": "山﨑　太郎",
                "resident_code": code,
                "document": "drivers-licence",
            },
        },
    )

    assert copy.status_code == 200
    assert copy.headers["content-type"] == "application/pdf"
    assert copy.headers["protection-alert"] == "glyph-in-preparation"
