"""The resident portal against an in-process country: signing in with the card, reading one's
identity information and its provisions, and filing requests at J-LIS and at the home
municipality — each through the nodes' signed recipient API, as a deployed portal does."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from tests.conftest import (
    TOKYO_CHIYODA,
    YOKOHAMA_TSURUMI,
    DeploymentFactory,
    operator_header,
)
from tests.integration.portals.resident_setup import (
    CARD,
    CHIYODA_NODE,
    COUNTRY,
    NEW_HOME,
    PIN,
    PORTAL,
    SESSION_KEY,
    ResidentWorld,
    credentials,
    portal_nodes,
    resident_world,
)

from jukinet.adapters.clock import FixedClock
from jukinet.adapters.network.recipient_client import (
    RecipientClient,
    RecipientCredentials,
    RecipientRequestFailed,
)
from jukinet.domain.errors import DomainError
from jukinet.nodes.municipal.notices import active_resident
from jukinet.nodes.municipal.special_moves import waiting_information
from jukinet.portals.resident import create_resident_portal
from jukinet.portals.resident.sessions import COOKIE
from jukinet.protocol.directory import CARD_ID, NATIONAL_ID

_CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


@pytest.fixture
def world(make_deployment: DeploymentFactory, clock: FixedClock) -> ResidentWorld:
    return resident_world(make_deployment(COUNTRY), clock)


@pytest.fixture
def browser(world: ResidentWorld) -> TestClient:
    return TestClient(world.app(), follow_redirects=False)


def signed_in(browser: TestClient, pin: str = PIN) -> Any:
    return browser.post("/sign-in", data={"card_number": CARD, "pin": pin, "next": "/me"})


def csrf(browser: TestClient, path: str = "/me") -> str:
    found = _CSRF.search(browser.get(path).text)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def post(browser: TestClient, path: str, **fields: Any) -> Any:
    return browser.post(path, data={"csrf": csrf(browser), **fields})


# --- signing in ---------------------------------------------------------------------------


def test_the_card_node_answers_a_portal_with_the_holder_only_for_the_right_pin(
    world: ResidentWorld,
) -> None:
    card = world.nodes.for_session("resident:test")

    wrong = card.sign_in(CARD, "0000")
    right = card.sign_in(CARD, PIN)

    assert (wrong["outcome"], wrong["attempts_left"], wrong["holder"]) == ("wrong-pin", 2, None)
    assert right["outcome"] == "accepted"
    assert right["holder"]["resident_code"] == world.resident.resident_code
    assert right["municipality_code"] == TOKYO_CHIYODA


def test_the_card_node_answers_no_one_but_a_registered_portal(world: ResidentWorld) -> None:
    endpoint = world.country.nodes[CARD_ID].entry.endpoint
    assert world.country.bridge is not None
    http = httpx.Client(transport=world.country.bridge, base_url=endpoint)

    unsigned = http.post("/card/v1/sign-ins", json={"card_number": CARD, "pin": PIN})

    assert unsigned.status_code == 401
    with pytest.raises(ValueError, match="portals only"):
        credentials(world.country, "nenkin", "agency", CARD_ID)


def test_a_screen_asks_for_the_card_first_and_returns_there_after_sign_in(
    browser: TestClient,
) -> None:
    asked = browser.get("/provisions")
    signed = browser.post("/sign-in", data={"card_number": CARD, "pin": PIN, "next": "/provisions"})

    assert (asked.status_code, asked.headers["location"]) == (303, "/sign-in?next=%2Fprovisions")
    assert (signed.status_code, signed.headers["location"]) == (303, "/provisions")
    cookie = signed.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert CARD not in cookie  # sealed, not readable


def test_a_wrong_pin_says_how_many_tries_are_left_and_the_third_locks_the_card(
    browser: TestClient,
) -> None:
    first = signed_in(browser, "0000")
    signed_in(browser, "1111")
    third = signed_in(browser, "2222")
    right_too_late = signed_in(browser, PIN)

    assert first.status_code == 401
    assert "あと2回誤るとカードがロックされます" in first.text
    assert "カードがロックされました" in third.text
    assert right_too_late.status_code == 401
    assert "このカードはロックされています" in right_too_late.text
    assert COOKIE not in browser.cookies


def test_an_unknown_or_malformed_card_number_is_refused_at_its_field(
    browser: TestClient,
) -> None:
    unknown = browser.post("/sign-in", data={"card_number": "400123456792", "pin": PIN})
    malformed = browser.post("/sign-in", data={"card_number": "12345", "pin": PIN})

    assert unknown.status_code == 401
    assert "このカードではサインインできません" in unknown.text
    assert malformed.status_code == 422
    assert re.search(r'id="e-card_number"[^>]*>[^<]*12 digits', malformed.text)


def test_full_width_digits_are_read_as_the_card_number_and_pin(browser: TestClient) -> None:
    answer = browser.post(
        "/sign-in", data={"card_number": "４００１ ２３４５ ６７８４", "pin": "４３２１"}
    )

    assert answer.status_code == 303


def test_the_session_ends_after_15_idle_minutes_and_at_sign_out(
    browser: TestClient, world: ResidentWorld
) -> None:
    signed_in(browser)
    world.clock.advance(minutes=14)
    still = browser.get("/me")  # renews the session
    world.clock.advance(minutes=14)
    renewed = browser.get("/me")
    world.clock.advance(minutes=16)
    idle = browser.get("/me")

    assert (still.status_code, renewed.status_code) == (200, 200), still.text
    assert idle.status_code == 303
    assert idle.headers["location"] == "/sign-in?next=%2Fme&ended=1"

    signed_in(browser)
    out = post(browser, "/sign-out")
    after = browser.get("/me")
    assert out.headers["location"] == "/sign-in?signed_out=1"
    assert after.status_code == 303


def test_an_altered_cookie_does_not_open(browser: TestClient) -> None:
    signed_in(browser)
    sealed = browser.cookies[COOKIE]
    browser.cookies.set(COOKIE, sealed[:-2] + ("AA" if not sealed.endswith("AA") else "BB"))

    assert browser.get("/me").status_code == 303


def test_a_form_without_the_session_csrf_token_is_refused(browser: TestClient) -> None:
    signed_in(browser)

    answer = browser.post("/disclosures", data={"csrf": "0" * 32})

    assert answer.status_code == 403


# --- my information and its provisions ------------------------------------------------------


def test_my_information_shows_what_jlis_holds_as_registered(
    browser: TestClient, world: ResidentWorld
) -> None:
    signed_in(browser)

    page = browser.get("/me")

    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert "髙橋　一郎" in page.text
    assert world.resident.resident_code in page.text
    assert str(world.resident.my_number) in page.text
    assert "記録あり" in page.text
    assert "東京都千代田区" in page.text


def test_a_provision_an_agency_just_made_shows_with_recipient_affair_time_and_method(
    browser: TestClient, world: ResidentWorld
) -> None:
    world.agency().post(
        "/provision/v1/identity-queries",
        {"affair": "kokumin-nenkin", "key": {"resident_code": world.resident.resident_code}},
    )
    signed_in(browser)
    browser.get("/me")  # the resident's own look-up: not a provision

    page = browser.get("/provisions")
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", page.text, re.S)

    assert len(rows) == 1
    at, recipient, affair = rows[0]
    assert at == "2026-11-23 10:00"
    assert recipient == "日本年金機構"
    assert "国民年金" in affair
    assert "即時提供" in page.text


def test_english_is_one_link_away(browser: TestClient) -> None:
    signed_in(browser)

    page = browser.get("/provisions?lang=en")

    assert "Who received my information" in page.text
    assert "Your information has not been provided to anyone." in page.text


# --- requests at J-LIS ----------------------------------------------------------------------


def staff_decides(world: ResidentWorld, request_id: str) -> None:
    header = operator_header(world.country.national, ("provision-operator",), "jlis-staff-01")
    assert world.country.bridge is not None
    http = httpx.Client(
        transport=world.country.bridge, base_url=world.country.national.entry.endpoint
    )
    answer = http.post(
        f"/rights/v1/disclosure-requests/{request_id}/decision",
        json={"decision": "disclosed"},
        headers=header,
    )
    assert answer.status_code == 200, answer.text


def test_a_disclosure_request_is_filed_decided_and_its_notice_downloaded(
    browser: TestClient, world: ResidentWorld
) -> None:
    signed_in(browser)

    filed = post(browser, "/disclosures")
    waiting = browser.get("/disclosures")
    (request_id,) = [
        d["request_id"]
        for d in world.nodes.for_session("t").cases(world.resident.resident_code)["disclosures"]
    ]
    staff_decides(world, request_id)
    decided = browser.get("/disclosures")
    pdf = browser.get(f"/disclosures/{request_id}/notice.pdf")
    delivered = browser.get("/disclosures")

    assert filed.headers["location"] == "/disclosures?filed=1"
    assert "審査中" in waiting.text
    assert "2026-12-07" in waiting.text  # the deadline
    assert f"/disclosures/{request_id}/notice.pdf" in decided.text
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "受取済み" in delivered.text


def test_a_notice_is_only_for_the_resident_who_asked(
    browser: TestClient, world: ResidentWorld
) -> None:
    signed_in(browser)

    answer = browser.get("/disclosures/0190c2c4-0000-7000-8000-000000000000/notice.pdf")

    assert answer.status_code == 404


def test_a_correction_follows_a_disclosure_and_names_the_items(
    browser: TestClient, world: ResidentWorld
) -> None:
    signed_in(browser)
    before = browser.get("/corrections")
    post(browser, "/disclosures")
    calls = world.nodes.for_session("t")
    (disclosure,) = calls.cases(world.resident.resident_code)["disclosures"]
    staff_decides(world, disclosure["request_id"])

    empty = post(
        browser, "/corrections", disclosure_id=disclosure["request_id"], **{"items[]": "address"}
    )
    filed = post(
        browser,
        "/corrections",
        disclosure_id=disclosure["request_id"],
        statement="番地が「1番1号」ではなく「1番2号」です。",
        **{"items[]": ["address", "kana"]},
    )
    page = browser.get("/corrections")

    assert "開示を受けたあとにできます" in before.text
    assert empty.status_code == 422
    assert re.search(r'id="e-statement"[^>]*>[^<]+<', empty.text)
    assert filed.headers["location"] == "/corrections?filed=1"
    (correction,) = calls.cases(world.resident.resident_code)["corrections"]
    assert correction["items"] == ["kana", "address"]
    assert correction["disclosure_id"] == disclosure["request_id"]
    assert "住所、氏名の振り仮名" in page.text or "氏名の振り仮名、住所" in page.text


# --- requests at the home municipality ------------------------------------------------------


def test_a_code_change_request_waits_for_the_window_where_the_clerk_completes_it(
    browser: TestClient, world: ResidentWorld
) -> None:
    signed_in(browser)
    filed = post(browser, "/code-change")
    again = post(browser, "/code-change")
    chiyoda = world.country.municipality(TOKYO_CHIYODA)
    assert world.country.bridge is not None
    clerk = httpx.Client(
        transport=world.country.bridge,
        base_url=chiyoda.entry.endpoint,
        headers=operator_header(chiyoda, ("window-clerk",), "clerk-window"),
    )
    (waiting,) = clerk.get("/api/v1/online-requests").json()["requests"]
    done = clerk.post(f"/api/v1/online-requests/{waiting['request_id']}/completion").json()
    twice = clerk.post(f"/api/v1/online-requests/{waiting['request_id']}/completion")
    page = browser.get("/code-change")

    assert filed.headers["location"] == "/code-change?filed=1"
    assert again.status_code == 409
    assert "already pending" in again.text
    assert (waiting["resident_code"], waiting["portal"], waiting["state"]) == (
        world.resident.resident_code,
        "myna-portal",
        "pending",
    )
    assert done["state"] == "completed"
    assert done["new_resident_code"] != world.resident.resident_code
    assert twice.status_code == 409
    assert "変更済み" in page.text
    assert clerk.get("/api/v1/online-requests").json()["requests"] == []


def test_an_online_move_out_is_recorded_at_once_and_shows_the_visit_deadline(
    browser: TestClient, world: ResidentWorld
) -> None:
    signed_in(browser)
    form = {
        "destination_code": YOKOHAMA_TSURUMI,
        "destination": NEW_HOME,
        "planned_on": "2026-12-01",
        "visit_planned_on": "2026-12-03",
    }

    done = post(browser, "/move-out", **form)
    world.country.pump()

    assert done.status_code == 200
    assert "2026-12-31" in done.text  # 30 days after the planned move: the card route closes
    assert "神奈川県横浜市鶴見区" in done.text
    chiyoda = world.country.municipality(TOKYO_CHIYODA)
    assert chiyoda.supply is not None
    with chiyoda.supply.unit_of_work() as uow, pytest.raises(DomainError, match="removed"):
        active_resident(uow, world.resident.resident_code)
    tsurumi = world.country.municipality(YOKOHAMA_TSURUMI)
    assert tsurumi.supply is not None
    (arriving,) = waiting_information(world.resident.resident_code, tsurumi.supply)
    assert (arriving.card_number, arriving.channel.value) == (CARD, "online")
    assert str(arriving.visit_planned_on) == "2026-12-03"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"visit_planned_on": "2027-01-05"}, "visit_planned_on"),  # after the card route closes
        ({"planned_on": "2027-01-05", "visit_planned_on": "2027-01-06"}, "planned_on"),
        ({"destination_code": TOKYO_CHIYODA}, "destination_code"),  # that is a 転居
    ],
)
def test_a_move_out_outside_the_rules_is_refused_at_its_field_and_nothing_is_removed(
    browser: TestClient, world: ResidentWorld, change: dict[str, str], field: str
) -> None:
    signed_in(browser)
    form = {
        "destination_code": YOKOHAMA_TSURUMI,
        "destination": NEW_HOME,
        "planned_on": "2026-12-01",
        "visit_planned_on": "2026-12-03",
        **change,
    }

    refused = post(browser, "/move-out", **form)

    assert refused.status_code == 422
    assert re.search(rf'id="e-{field}"[^>]*>[^<]+<', refused.text), refused.text
    chiyoda = world.country.municipality(TOKYO_CHIYODA)
    assert chiyoda.supply is not None
    with chiyoda.supply.unit_of_work() as uow:
        assert active_resident(uow, world.resident.resident_code).is_active


def test_a_municipality_the_portal_is_not_registered_at_is_named_not_offered(
    world: ResidentWorld,
) -> None:
    nodes = portal_nodes(world.country, world.clock, CARD_ID, NATIONAL_ID)
    browser = TestClient(create_resident_portal(nodes, SESSION_KEY, world.clock))
    signed_in(browser)

    page = browser.get("/move-out")

    assert "東京都千代田区は、このポータルからのオンライン申請を受け付けていません" in page.text
    assert 'action="/move-out"' not in page.text


def test_a_municipality_refuses_a_portal_registered_elsewhere(world: ResidentWorld) -> None:
    chiyoda_credentials = credentials(world.country, PORTAL, "portal", CHIYODA_NODE)
    tsurumi = world.country.municipality(YOKOHAMA_TSURUMI)
    assert world.country.bridge is not None
    http = httpx.Client(transport=world.country.bridge, base_url=tsurumi.entry.endpoint)
    client = RecipientClient(
        RecipientCredentials.load(chiyoda_credentials), "resident:test", http, world.clock.now
    )

    with pytest.raises(RecipientRequestFailed) as refused:
        client.post("/resident/v1/resident-code-change-requests", {"resident_code": "0" * 11})

    assert refused.value.status == 401
