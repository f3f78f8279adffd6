"""即時提供 through the national node's HTTP API, as an agency's system uses it.

A module-wide country holds a few people registered at their municipalities and propagated
to the national node; agencies and a resident portal are registered with credentials from
the deployment CA and sign every request. Each test asserts what the agency (or the resident)
sees, and what the provision log keeps.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from tests.conftest import TEST_MOMENT
from tests.integration.provision.conftest import (
    CHIYODA_ADDRESS,
    PENSION,
    TSURUMI_ADDRESS,
    World,
    log_rows,
    provided_codes,
)

from jukinet.adapters.crypto.request_signatures import sign_request
from jukinet.adapters.network.recipient_client import RecipientClient, RecipientRequestFailed
from jukinet.web.fast_lane import FastLane


def ask(
    client: RecipientClient, key: dict[str, Any], affair: str = PENSION, **extra: Any
) -> dict[str, Any]:
    return client.post("/provision/v1/identity-queries", {"affair": affair, "key": key, **extra})


def refusal(
    client: RecipientClient, key: dict[str, Any], affair: str = PENSION
) -> RecipientRequestFailed:
    with pytest.raises(RecipientRequestFailed) as failed:
        ask(client, key, affair)
    return failed.value


def test_an_agency_finds_a_person_by_resident_code_and_the_provision_is_logged(
    world: World,
) -> None:
    person = world.people["sato-tokyo"]

    answer = ask(world.client("nenkin"), {"resident_code": person.resident_code})

    (match,) = answer["matches"]
    assert match["identity"]["family_name"] == "佐藤"
    assert match["identity"]["address"] == CHIYODA_ADDRESS
    assert match["status"] == {"state": "resident", "since": "2000-04-01"}
    (entry,) = log_rows(world, provision_id=answer["provision_id"])
    assert (entry["recipient_id"], entry["affair_id"], entry["channel"], entry["outcome"]) == (
        "nenkin",
        PENSION,
        "immediate",
        "provided",
    )
    assert (entry["operator"], entry["key_kind"], entry["provided"], entry["month"]) == (
        "op-0001",
        "resident-code",
        1,
        "2026-11",
    )
    assert provided_codes(world, provision_id=answer["provision_id"]) == [person.resident_code]


def test_a_name_keyed_with_a_common_kanji_finds_the_registered_variant(world: World) -> None:
    person = world.people["takahashi"]

    answer = ask(
        world.client("nenkin"), {"name": "高橋　一郎", "birth_date": "19500401", "sex": "1"}
    )

    (match,) = answer["matches"]
    assert match["identity"]["resident_code"] == person.resident_code
    assert match["identity"]["family_name"] == "髙橋"  # provided as registered, not as searched


def test_furigana_in_half_width_katakana_or_hiragana_find_the_same_person(world: World) -> None:
    client = world.client("nenkin")
    person = world.people["takahashi"]

    for kana in ("ﾀｶﾊｼ ｲﾁﾛｳ", "たかはし　いちろう"):
        answer = ask(client, {"kana": kana, "birth_date": "1950-04-01", "sex": "male"})
        assert [m["identity"]["resident_code"] for m in answer["matches"]] == [person.resident_code]


def test_two_people_with_the_same_name_are_both_named_and_the_address_tells_them_apart(
    world: World,
) -> None:
    client = world.client("nenkin")
    key = {"name": "佐藤花子", "birth_date": "1955-06-15", "sex": "female"}

    both = ask(client, key)
    narrowed = ask(client, {**key, "address": "大阪府大阪市北区梅田1-1-1"})

    assert {m["identity"]["resident_code"] for m in both["matches"]} == {
        world.people["sato-tokyo"].resident_code,
        world.people["sato-osaka"].resident_code,
    }
    assert [m["identity"]["resident_code"] for m in narrowed["matches"]] == [
        world.people["sato-osaka"].resident_code
    ]


def test_too_many_candidates_are_refused_with_narrow_your_search_and_logged(world: World) -> None:
    provider = world.national.provider
    assert provider is not None
    provider.max_candidates = 1
    try:
        failed = refusal(
            world.client("nenkin"),
            {"name": "佐藤 花子", "birth_date": "1955-06-15", "sex": "female"},
        )
    finally:
        provider.max_candidates = 10

    assert (failed.status, failed.problem["title"]) == (422, "narrow-your-search")
    assert log_rows(world, outcome="narrow")[-1]["provided"] == 0


def test_a_person_who_died_is_answered_as_removed_with_the_reason_and_date(world: World) -> None:
    person = world.people["yoshida"]

    answer = ask(
        world.client("nenkin"), {"name": "𠮷田茂", "birth_date": "1940-01-20", "sex": "male"}
    )

    (match,) = answer["matches"]
    assert match["identity"]["family_name"] == "𠮷田"
    assert match["identity"]["resident_code"] == person.resident_code
    assert match["status"] == {
        "state": "removed",
        "reason": "death",
        "reason_label": "死亡",
        "date": "2026-11-01",
    }


def test_a_person_who_moved_is_answered_at_the_new_address_with_history_on_request(
    world: World,
) -> None:
    client = world.client("nenkin")

    plain = ask(client, {"resident_code": world.moved_code})
    detailed = ask(client, {"resident_code": world.moved_code}, history=True)

    (current,) = plain["matches"]
    assert current["identity"]["address"] == TSURUMI_ADDRESS
    assert current["status"]["state"] == "resident"
    assert "history" not in current
    reasons = [v["reason"] for v in detailed["matches"][0]["history"]]
    assert reasons[:2] == ["ex-officio-record", "move-out"]
    # The move-in, and the 転入通知 completing the move-out, share the day of the move.
    assert sorted(reasons[2:]) == ["move-in", "move-out-confirmed"]
    assert detailed["matches"][0]["history"][1]["address"] == CHIYODA_ADDRESS


def test_no_match_is_an_empty_answer_and_still_logged(world: World) -> None:
    answer = ask(
        world.client("nenkin"), {"name": "存在 しない", "birth_date": "2001-01-01", "sex": "male"}
    )

    assert answer["matches"] == []
    (entry,) = log_rows(world, provision_id=answer["provision_id"])
    assert (entry["outcome"], entry["provided"]) == ("provided", 0)


@pytest.mark.parametrize(
    ("recipient", "affair", "field"),
    [
        ("nenkin", "onkyu", "affair"),  # 恩給 is 総務省's affair, not the pension service's
        ("npfa", "kikin-kyufu", "channel"),  # only on media, never online
    ],
)
def test_an_agency_outside_its_affairs_or_channels_gets_403_with_the_reason_and_is_logged(
    world: World, recipient: str, affair: str, field: str
) -> None:
    person = world.people["sato-tokyo"]

    failed = refusal(world.client(recipient), {"resident_code": person.resident_code}, affair)

    assert (failed.status, failed.problem["title"], failed.problem["field"]) == (
        403,
        "provision-not-permitted",
        field,
    )
    entry = log_rows(world, recipient_id=recipient, outcome="refused")[-1]
    assert (entry["affair_id"], entry["provided"]) == (affair, 0)
    assert field in entry["detail"]


@pytest.mark.parametrize(
    ("key", "field"),
    [
        ({"name": "佐藤*", "birth_date": "1955-06-15", "sex": "female"}, "key.name"),
        ({"name": "佐%", "birth_date": "1955-06-15", "sex": "female"}, "key.name"),
        ({"address": CHIYODA_ADDRESS}, "key"),
        ({"name": "佐藤花子", "sex": "female"}, "key.birth_date"),
        ({"resident_code": "12345678901"}, "key.resident_code"),
        ({"name": "' OR 1=1 --", "birth_date": "1955-06-15", "sex": "female"}, None),
    ],
)
def test_wildcards_partial_keys_and_bad_codes_are_refused_naming_the_field(
    world: World, key: dict[str, Any], field: str | None
) -> None:
    client = world.client("nenkin")
    if field is None:  # an injection attempt is just a name nobody has
        assert ask(client, key)["matches"] == []
        return

    failed = refusal(client, key)

    assert (failed.status, failed.problem["field"]) == (422, field)


def test_an_unsigned_or_altered_request_is_refused_with_401(world: World) -> None:
    client = world.client("nenkin")
    assert world.country.bridge is not None
    raw = httpx.Client(transport=world.country.bridge, base_url=client.credentials.endpoint)
    body = {"affair": PENSION, "key": {"resident_code": world.people["sato-tokyo"].resident_code}}

    unsigned = raw.post("/provision/v1/identity-queries", json=body)
    headers = {
        **client_headers(client, body),
        "X-Jukinet-Operator": "someone-else",  # not what was signed
    }
    altered = raw.post("/provision/v1/identity-queries", json=body, headers=headers)

    assert unsigned.status_code == altered.status_code == 401
    assert altered.json()["title"] == "the signature does not match the request"
    assert unsigned.headers["www-authenticate"] == "JKN-Ed25519"


def client_headers(client: RecipientClient, body: dict[str, Any]) -> dict[str, str]:
    c = client.credentials
    content = json.dumps(body).encode()
    return sign_request(
        c.key,
        c.fingerprint,
        c.recipient_id,
        client.operator,
        "POST",
        "/provision/v1/identity-queries",
        content,
        TEST_MOMENT,
    )


def test_a_revoked_credential_is_refused_and_the_revocation_is_in_the_registry_log(
    world: World,
) -> None:
    client = world.client("chikyosai")
    key = {"resident_code": world.people["sato-tokyo"].resident_code}
    assert ask(client, key, "nenkin-kyufu")["matches"]
    credentials = world.national.credentials
    assert credentials is not None

    credentials.revoke("chikyosai", "jlis-admin", world.clock.now())
    world.clock.advance(seconds=10)  # past the few seconds the authenticator caches
    failed = refusal(client, key, "nenkin-kyufu")

    assert (failed.status, failed.problem["title"]) == (401, "the credential was revoked")
    actions = [(c["action"], c["subject"], c["operator"]) for c in credentials.changes()]
    assert ("register", "chikyosai", "jlis-admin") in actions
    assert ("revoke", "chikyosai", "jlis-admin") in actions


def test_an_agency_credential_cannot_read_a_residents_provision_records(world: World) -> None:
    with pytest.raises(RecipientRequestFailed) as failed:
        world.client("nenkin").post(
            "/resident/v1/provision-records", {"my_number": world.people["takahashi"].my_number}
        )

    assert failed.value.status == 401


def test_a_resident_sees_who_received_their_information_through_a_portal(world: World) -> None:
    person = world.people["takahashi"]
    ask(
        world.client("nenkin", operator="op-7"),
        {"resident_code": person.resident_code},
        "kosei-nenkin",
    )

    answer = world.client("mynaportal", kind="portal").post(
        "/resident/v1/provision-records", {"my_number": person.my_number}
    )

    assert answer["records"]
    last = answer["records"][-1]
    assert (last["recipient"], last["channel_label"]) == ("日本年金機構", "即時提供")
    assert last["affair"].startswith("厚生年金保険法による")
    assert all(r["recipient"] != "mynaportal" for r in answer["records"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"not json", "body"),
        (b'{"affair": "kokumin-nenkin", "key": {"surname": "x"}}', "key.surname"),
        (b'{"key": {"resident_code": "47182059362"}}', "affair"),
    ],
)
def test_a_body_that_is_not_a_query_is_refused_naming_the_field(
    world: World, body: bytes, field: str
) -> None:
    client = world.client("nenkin")
    c = client.credentials
    assert world.country.bridge is not None
    raw = httpx.Client(transport=world.country.bridge, base_url=c.endpoint)
    path = "/provision/v1/identity-queries"
    headers = sign_request(
        c.key, c.fingerprint, c.recipient_id, "op-1", "POST", path, body, world.clock.now()
    )

    answer = raw.post(path, content=body, headers=headers)

    assert (answer.status_code, answer.json()["field"]) == (422, field)


def test_the_openapi_document_describes_the_query_body(world: World) -> None:
    assert world.country.bridge is not None
    raw = httpx.Client(transport=world.country.bridge, base_url=world.national.entry.endpoint)

    document = raw.get("/openapi.json").json()

    operation = document["paths"]["/provision/v1/identity-queries"]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert {"affair", "key", "history"} <= set(schema["properties"])
    assert "resident_code" in schema["properties"]["key"]["properties"]


def test_immediate_provision_takes_the_fast_lane_and_keeps_the_apps_other_answers(
    world: World,
) -> None:
    """The hot route skips the framework (bench/provision.py measures it): its handler is in
    the fast lane, while another method on the same path still gets the app's 405."""
    lanes = [m for m in world.national.app.user_middleware if m.cls is FastLane]
    assert [sorted(lane.kwargs["routes"]) for lane in lanes] == [
        [("POST", "/provision/v1/identity-queries")]
    ]
    assert world.country.bridge is not None
    raw = httpx.Client(transport=world.country.bridge, base_url=world.national.entry.endpoint)
    assert raw.get("/provision/v1/identity-queries").status_code == 405
    unsigned = raw.post("/provision/v1/identity-queries", json={"affair": PENSION})
    assert unsigned.status_code == 401
    assert unsigned.headers["content-type"] == "application/problem+json"
    assert "WWW-Authenticate" in unsigned.headers
