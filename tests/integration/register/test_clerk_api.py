"""The clerk HTTP API: authenticated JSON endpoints over the register use cases.

Every request needs a signed-in operator's session token (a window clerk's), whose operator
goes into the history; a
refusal is an ``application/problem+json`` body naming the field, and writes nothing.
The tests share one country: each creates its own people and compares before and after.
"""

from __future__ import annotations

import secrets
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.conftest import opened_country, operator_header

from jukinet.adapters.clock import FixedClock
from jukinet.bootstrap import Node
from jukinet.deployments import Deployment
from jukinet.domain.codes import LocalGovernmentCode, MyNumber, ResidentCode
from jukinet.nodes.operators.sessions import sign_out

CHIYODA, TSURUMI = "131016", "141011"
CHIYODA_ADDRESS = "東京都千代田区丸の内一丁目1番1号"
TSURUMI_ADDRESS = "神奈川県横浜市鶴見区鶴見中央三丁目20番1号"
TODAY_MOMENT = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 10:00 JST, as in tests/conftest.py
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """A module-wide country (on PostgreSQL when JUKINET_TEST_DATABASE_URL says so)."""
    home = tmp_path_factory.mktemp("clerk-api")
    with opened_country(home, (CHIYODA, TSURUMI), FixedClock(TODAY_MOMENT)) as deployment:
        yield deployment


def adult(**items: object) -> dict[str, Any]:
    return {
        "reason": "ex-officio-record",
        "family_name": "松本",
        "given_name": "大輔",
        "birth_date": "1982-02-02",
        "sex": "male",
        "address": CHIYODA_ADDRESS,
        "arrived_on": "2016-04-01",
        **items,
    }


@dataclass(frozen=True)
class Counter:
    """One municipality's clerk API, with a signed-in clerk."""

    node: Node
    operator: str
    token: str

    @property
    def client(self) -> TestClient:
        return TestClient(self.node.app)

    def post(self, path: str, body: object) -> Any:
        return self.client.post(
            f"/api/v1{path}", json=body, headers={"Authorization": f"Bearer {self.token}"}
        )

    def get(self, path: str) -> Any:
        return self.client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {self.token}"})

    def register_adult(self, **items: object) -> dict[str, Any]:
        response = self.post("/arrivals", adult(**items))
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created


def counter(country: Deployment, code: str, operator: str) -> Counter:
    node = country.municipality(code)
    header = operator_header(node, ("window-clerk",), operator)
    return Counter(node, operator, header["Authorization"].removeprefix("Bearer "))


@pytest.fixture(scope="module")
def chiyoda(country: Deployment) -> Counter:
    return counter(country, CHIYODA, "clerk-yamaguchi")


@pytest.fixture(scope="module")
def tsurumi(country: Deployment) -> Counter:
    return counter(country, TSURUMI, "clerk-ogawa")


def everything_written(node: Node) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the register's tables: operators' accounts, sessions and events, and the
    access log (where a refusal is logged too) aside."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with node.engine.connect() as connection:
        for name, table in node.metadata.tables.items():
            if not name.startswith(("operator_", "access_log")):
                query = select(table).order_by(*table.primary_key.columns)
                rows[name] = [tuple(row) for row in connection.execute(query)]
    return rows


def birth_of_child(household_id: str, **items: object) -> dict[str, Any]:
    return {
        "family_name": "松本",
        "given_name": "結衣",
        "family_name_kana": "まつもと",
        "given_name_kana": "ゆい",
        "birth_date": "2026-11-18",
        "sex": "female",
        "address": CHIYODA_ADDRESS,
        "household": {"household_id": household_id, "relationship": "child"},
        **items,
    }


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer not-a-token", "Basic {token}", "Bearer {revoked}"],
    ids=["no-header", "unknown-token", "wrong-scheme", "signed-out-session"],
)
def test_a_request_without_a_valid_operator_session_is_refused_and_writes_nothing(
    country: Deployment, chiyoda: Counter, authorization: str | None
) -> None:
    parent = chiyoda.register_adult()
    retired = operator_header(chiyoda.node, ("window-clerk",), f"clerk-{secrets.token_hex(3)}")
    revoked = retired["Authorization"].removeprefix("Bearer ")
    sign_out(revoked, chiyoda.node.operators)
    headers = (
        {}
        if authorization is None
        else {"Authorization": authorization.format(token=chiyoda.token, revoked=revoked)}
    )
    before = everything_written(chiyoda.node)

    response = chiyoda.client.post(
        "/api/v1/births", json=birth_of_child(parent["household_id"]), headers=headers
    )
    lookup = chiyoda.client.get(f"/api/v1/residents/{parent['resident_code']}", headers=headers)

    assert (response.status_code, lookup.status_code) == (401, 401)
    assert response.headers["www-authenticate"] == "Bearer"
    assert everything_written(chiyoda.node) == before


def test_a_birth_returns_the_new_codes_and_the_record_shows_who_recorded_it(
    chiyoda: Counter,
) -> None:
    parent = chiyoda.register_adult()

    response = chiyoda.post("/births", birth_of_child(parent["household_id"]))

    assert response.status_code == 201
    created = response.json()
    assert ResidentCode(created["resident_code"]) != ResidentCode(parent["resident_code"])
    assert MyNumber(created["my_number"]).value != parent["my_number"]
    assert (created["household_id"], created["status"]) == (parent["household_id"], "active")

    shown = chiyoda.get(f"/residents/{created['resident_code']}")
    assert shown.status_code == 200
    view = shown.json()
    assert view["record"]["name"]["given_kana"] == "ユイ"
    assert view["identity"]["reason"] == "birth"
    members = {m["resident_code"]: m["relationship_label"] for m in view["household"]["members"]}
    assert members == {parent["resident_code"]: "世帯主", created["resident_code"]: "子"}
    assert [(h["reason"], h["occurred_on"], h["operator"]) for h in view["history"]] == [
        ("birth", "2026-11-18", chiyoda.operator)
    ]


def test_a_certificate_from_one_counter_is_accepted_as_is_by_another_municipalitys_counter(
    country: Deployment, chiyoda: Counter, tsurumi: Counter
) -> None:
    leaving = tsurumi.register_adult(address=TSURUMI_ADDRESS)
    move_out = tsurumi.post(
        "/move-outs",
        {
            "resident_code": leaving["resident_code"],
            "destination": CHIYODA_ADDRESS,
            "planned_on": "2026-11-20",
        },
    )
    assert move_out.status_code == 200
    certificate = move_out.json()["certificate"]

    move_in = chiyoda.post(
        "/move-ins",
        {
            "certificate": certificate,
            "family_name": certificate["family_name"],
            "given_name": certificate["given_name"],
            "birth_date": certificate["birth_date"],
            "sex": certificate["sex"],
            "address": CHIYODA_ADDRESS,
            "moved_in_on": "2026-11-21",
        },
    )

    assert move_in.status_code == 201
    arrived = move_in.json()
    assert (arrived["resident_code"], arrived["my_number"], arrived["late"]) == (
        leaving["resident_code"],
        leaving["my_number"],
        False,
    )
    assert tsurumi.get(f"/residents/{leaving['resident_code']}").json()["record"]["status"] == (
        "removed"
    )
    country.pump()
    assert all(check.consistent for check in country.national.consistency.run([CHIYODA, TSURUMI]))


def test_a_resident_code_change_answers_the_new_code_and_the_old_one_is_not_found(
    chiyoda: Counter,
) -> None:
    person = chiyoda.register_adult()

    response = chiyoda.post("/resident-code-changes", {"resident_code": person["resident_code"]})

    assert response.status_code == 200
    new_code = ResidentCode(response.json()["resident_code"]).value
    assert (
        chiyoda.get(f"/residents/{new_code}").json()["record"]["my_number"] == (person["my_number"])
    )
    assert chiyoda.get(f"/residents/{person['resident_code']}").status_code == 404


def _wrong_digit(code: str) -> str:
    return code[:-1] + str((int(code[-1]) + 1) % 10)


@dataclass(frozen=True)
class People:
    """Who is on the register when the bad requests arrive."""

    head: dict[str, Any]
    dead: dict[str, Any]
    own_certificate: dict[str, Any]  # a certificate 千代田区 issued itself


@pytest.fixture(scope="module")
def people(chiyoda: Counter) -> People:
    head = chiyoda.register_adult()
    dead = chiyoda.register_adult(given_name="勇")
    chiyoda.post("/deaths", {"resident_code": dead["resident_code"], "died_on": "2026-11-01"})
    leaving = chiyoda.register_adult(given_name="翼")
    move_out = chiyoda.post(
        "/move-outs",
        {
            "resident_code": leaving["resident_code"],
            "destination": TSURUMI_ADDRESS,
            "planned_on": "2026-11-20",
        },
    )
    return People(head, dead, move_out.json()["certificate"])


def _move_in(certificate: dict[str, Any]) -> dict[str, Any]:
    return {
        "certificate": certificate,
        "family_name": certificate["family_name"],
        "given_name": certificate["given_name"],
        "birth_date": certificate["birth_date"],
        "sex": certificate["sex"],
        "address": CHIYODA_ADDRESS,
        "moved_in_on": "2026-11-21",
    }


Request = Callable[[People], tuple[str, str, object]]  # method, path, body

BAD_REQUESTS: dict[str, tuple[Request, int, str]] = {
    "body-not-a-json-object": (lambda p: ("POST", "/births", ["松本"]), 422, "body"),
    "impossible-date": (
        lambda p: (
            "POST",
            "/births",
            birth_of_child(p.head["household_id"], birth_date="2026-02-30"),
        ),
        422,
        "birth_date",
    ),
    "control-character-in-a-name": (
        lambda p: (
            "POST",
            "/births",
            birth_of_child(p.head["household_id"], given_name="結\x1b衣"),
        ),
        422,
        "given_name",
    ),
    "non-existent-household": (
        lambda p: ("POST", "/births", birth_of_child("0" * 32)),
        404,
        "household.household_id",
    ),
    "wrong-check-digit": (
        lambda p: (
            "POST",
            "/arrivals",
            adult(
                reason="arrival-from-abroad",
                previous_resident_code=_wrong_digit(p.head["resident_code"]),
            ),
        ),
        422,
        "previous_resident_code",
    ),
    "full-width-digits": (
        lambda p: (
            "POST",
            "/deaths",
            {
                "resident_code": p.head["resident_code"].translate(
                    str.maketrans("0123456789", "０１２３４５６７８９")
                ),
                "died_on": "2026-11-20",
            },
        ),
        422,
        "resident_code",
    ),
    "death-recorded-twice": (
        lambda p: (
            "POST",
            "/deaths",
            {"resident_code": p.dead["resident_code"], "died_on": "2026-11-02"},
        ),
        409,
        "resident_code",
    ),
    "certificate-from-this-very-municipality": (
        lambda p: ("POST", "/move-ins", _move_in(p.own_certificate)),
        422,
        "certificate.issuer",
    ),
    "certificate-of-an-unknown-municipality": (
        lambda p: (
            "POST",
            "/move-ins",
            _move_in({**p.own_certificate, "issuer": LocalGovernmentCode.from_five("99999").value}),
        ),
        422,
        "certificate.issuer",
    ),
    "code-change-for-an-unknown-person": (
        lambda p: (
            "POST",
            "/resident-code-changes",
            {"resident_code": ResidentCode.from_body("0000000001").value},
        ),
        404,
        "resident_code",
    ),
    "lookup-with-a-wrong-check-digit": (
        lambda p: ("GET", f"/residents/{_wrong_digit(p.head['resident_code'])}", None),
        422,
        "resident_code",
    ),
    "lookup-of-an-unknown-code": (
        lambda p: ("GET", f"/residents/{ResidentCode.from_body('0000000001').value}", None),
        404,
        "resident_code",
    ),
}


@pytest.mark.parametrize("case", BAD_REQUESTS.keys())
def test_a_bad_request_is_answered_with_a_problem_naming_the_field_and_writes_nothing(
    chiyoda: Counter, people: People, case: str
) -> None:
    build, status, field = BAD_REQUESTS[case]
    method, path, body = build(people)
    before = everything_written(chiyoda.node)

    response = chiyoda.post(path, body) if method == "POST" else chiyoda.get(path)

    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert (problem["status"], problem["field"]) == (status, field)
    assert problem["detail"]
    assert everything_written(chiyoda.node) == before


def test_a_body_that_is_not_json_at_all_is_refused_as_the_body(chiyoda: Counter) -> None:
    before = everything_written(chiyoda.node)

    response = chiyoda.client.post(
        "/api/v1/births",
        content=b'{"family_name": ',
        headers={"Authorization": f"Bearer {chiyoda.token}", "Content-Type": "application/json"},
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["field"] == "body"
    assert everything_written(chiyoda.node) == before


def test_the_move_out_certificate_prints_as_a_pdf_with_the_items_the_new_counter_needs(
    tsurumi: Counter, tmp_path: Path
) -> None:
    leaving = tsurumi.register_adult(
        address=TSURUMI_ADDRESS, family_name="髙橋", given_name="𠮷男", family_name_kana="タカハシ"
    )
    certificate = tsurumi.post(
        "/move-outs",
        {
            "resident_code": leaving["resident_code"],
            "destination": CHIYODA_ADDRESS,
            "planned_on": "2026-11-30",
        },
    ).json()["certificate"]

    pdf = tsurumi.get(f"/move-out-certificates/{certificate['certificate_id']}")
    missing = tsurumi.get("/move-out-certificates/NO-SUCH-CERTIFICATE")

    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    (tmp_path / "certificate.pdf").write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "certificate.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for item in ("転出証明書", "髙橋", "𠮷男", "タカハシ", CHIYODA_ADDRESS, "令和8年11月30日"):
        assert item in text, item
    assert leaving["resident_code"] in text
    assert leaving["my_number"] in text
    assert "横浜市鶴見区長" in text
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM


def test_a_special_move_out_the_card_route_does_not_allow_is_a_problem_naming_the_field(
    tsurumi: Counter,
) -> None:
    leaving = tsurumi.register_adult(address=TSURUMI_ADDRESS)

    refused = tsurumi.post(
        "/special-move-outs",
        {
            "resident_code": leaving["resident_code"],
            "card_number": "202611230014",
            "channel": "counter",
            "planned_on": "2026-11-01",  # 22 days ago
            "destination": CHIYODA_ADDRESS,
            "destination_code": CHIYODA,
        },
    )

    assert refused.status_code == 422
    assert refused.headers["content-type"] == PROBLEM
    assert "planned_on" in refused.text
    assert "paper" in refused.text
    assert tsurumi.get(f"/residents/{leaving['resident_code']}").json()["record"]["status"] == (
        "active"
    )
