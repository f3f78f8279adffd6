"""Bad input at the clerk's counter: every refusal names the field, and nothing is written.

"Nothing" means every row of the municipal register (records, households, history, outbox,
identity versions, certificates, the code pool) and of the national node's issued codes and
numbers is exactly as it was: a refused registration does not even use up a 個人番号.

The cases share one country: a refused request writes nothing, so they cannot disturb each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from tests.conftest import opened_country

from jukinet.adapters.clock import FixedClock
from jukinet.bootstrap import Node
from jukinet.deployments import Deployment
from jukinet.domain.certificates import MoveOutCertificate
from jukinet.domain.codes import LocalGovernmentCode, ResidentCode
from jukinet.domain.errors import (
    Conflict,
    DomainError,
    InvalidCheckDigit,
    InvalidCode,
    InvalidValue,
    NotFound,
    UnknownMunicipality,
)
from jukinet.domain.residents import Resident
from jukinet.nodes.municipal import amendments, arrivals, codes, departures

CHIYODA, TSURUMI = "131016", "141011"
HOME_ADDRESS = "東京都千代田区丸の内一丁目1番1号"
OTHER_ADDRESS = "東京都千代田区神田神保町二丁目2番地"
TSURUMI_ADDRESS = "神奈川県横浜市鶴見区鶴見中央三丁目20番1号"
TODAY_MOMENT = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 10:00 JST, as in tests/conftest.py
CLERK = "clerk-mori"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """A module-wide country (on PostgreSQL when JUKINET_TEST_DATABASE_URL says so)."""
    home = tmp_path_factory.mktemp("bad-input")
    with opened_country(home, (CHIYODA, TSURUMI), FixedClock(TODAY_MOMENT)) as deployment:
        yield deployment


def adult(**items: object) -> dict[str, Any]:
    return {
        "reason": "ex-officio-record",
        "family_name": "木村",
        "given_name": "拓也",
        "family_name_kana": "きむら",
        "given_name_kana": "たくや",
        "birth_date": "1985-10-10",
        "sex": "male",
        "address": HOME_ADDRESS,
        "arrived_on": "2015-04-01",
        **items,
    }


@dataclass(frozen=True)
class Register:
    """What 千代田区 holds before any bad request is made."""

    node: Node
    head: Resident  # heads a household at HOME_ADDRESS
    neighbour: Resident  # heads a household at OTHER_ADDRESS
    dead: Resident  # death already recorded
    used: MoveOutCertificate  # from 鶴見区, already used for a move-in here
    fresh: MoveOutCertificate  # from 鶴見区, not used yet
    own: MoveOutCertificate  # issued by 千代田区 itself

    def birth(self, **items: object) -> dict[str, Any]:
        return {
            "family_name": "木村",
            "given_name": "陽菜",
            "birth_date": "2026-11-20",
            "sex": "female",
            "address": HOME_ADDRESS,
            "household": {"household_id": self.head.household_id, "relationship": "child"},
            **items,
        }

    def move_in(
        self, certificate: MoveOutCertificate | None = None, **changes: object
    ) -> dict[str, Any]:
        """A 転入届 with ``certificate`` (the fresh one by default), its items changed."""
        wire = (certificate or self.fresh).to_wire()
        return {
            "certificate": {**wire, **changes},
            "family_name": wire["family_name"],
            "given_name": wire["given_name"],
            "birth_date": wire["birth_date"],
            "sex": wire["sex"],
            "address": "東京都千代田区麹町三丁目3番地",
            "moved_in_on": "2026-11-20",
        }


def _move_out(node: Node, resident: Resident) -> MoveOutCertificate:
    result = departures.record_move_out(
        {
            "resident_code": resident.resident_code,
            "destination": HOME_ADDRESS,
            "planned_on": "2026-11-15",
        },
        CLERK,
        node.supply,
    )
    assert result.certificate is not None
    return result.certificate


@pytest.fixture(scope="module")
def register(country: Deployment) -> Register:
    chiyoda, tsurumi = country.municipality(CHIYODA), country.municipality(TSURUMI)

    def record(node: Node, **items: object) -> Resident:
        return arrivals.record_arrival(adult(**items), CLERK, node.supply)

    head = record(chiyoda)
    neighbour = record(chiyoda, family_name="林", address=OTHER_ADDRESS)
    dead = record(chiyoda, given_name="茂", birth_date="1940-01-01")
    departures.record_death(
        {"resident_code": dead.resident_code, "died_on": "2026-11-01"}, CLERK, chiyoda.supply
    )
    used = _move_out(tsurumi, record(tsurumi, address=TSURUMI_ADDRESS))
    fresh = _move_out(tsurumi, record(tsurumi, given_name="誠", address=TSURUMI_ADDRESS))
    own = _move_out(chiyoda, record(chiyoda, given_name="学"))
    setup = Register(chiyoda, head, neighbour, dead, used, fresh, own)
    arrivals.record_move_in(setup.move_in(used), CLERK, chiyoda.supply)
    return setup


def everything_written(country: Deployment) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the municipal register and of the national node's issuance tables."""
    tables = {
        CHIYODA: [
            "residents",
            "households",
            "changes",
            "outbox",
            "identity_versions",
            "identity_current",
            "code_pool",
            "move_out_certificates",
            "consumed_certificates",
        ],
        "national": ["issued_resident_codes", "issued_my_numbers"],
    }
    rows: dict[str, list[tuple[Any, ...]]] = {}
    for holder, names in tables.items():
        node = country.national if holder == "national" else country.municipality(holder)
        with node.engine.connect() as connection:
            for name in names:
                table = node.metadata.tables[name]
                query = select(table).order_by(*table.primary_key.columns)
                rows[f"{holder}.{name}"] = [tuple(row) for row in connection.execute(query)]
    return rows


def _other_digit(code: str) -> str:
    """The code with a wrong check digit."""
    return code[:-1] + str((int(code[-1]) + 1) % 10)


NOT_A_MUNICIPALITY = LocalGovernmentCode.from_five("99999").value
NEVER_ISSUED = ResidentCode.from_body("0000000001").value
VALID_FOREIGN_ITEMS = {
    "resident_class": "special-permanent",
    "nationality": "韓国",
    "became_foreign_resident_on": "1991-11-01",
    "card_number": "AB12345678CD",
}

UseCase = Callable[[object, str, Any], object]
Case = Callable[[Register], tuple[UseCase, object]]

CASES: dict[str, tuple[Case, str, type[DomainError]]] = {
    "form-not-a-json-object": (
        lambda r: (arrivals.record_birth, ["木村", "陽菜"]),
        "body",
        InvalidValue,
    ),
    "empty-family-name": (
        lambda r: (arrivals.record_birth, r.birth(family_name="")),
        "family_name",
        InvalidValue,
    ),
    "whitespace-only-family-name": (
        lambda r: (arrivals.record_birth, r.birth(family_name="\u3000 \t")),
        "family_name",
        InvalidValue,
    ),
    "control-character-in-given-name": (
        lambda r: (arrivals.record_birth, r.birth(given_name="陽\x07菜")),
        "given_name",
        InvalidValue,
    ),
    "over-long-family-name": (
        lambda r: (arrivals.record_birth, r.birth(family_name="木" * 51)),
        "family_name",
        InvalidValue,
    ),
    "furigana-not-in-kana": (
        lambda r: (arrivals.record_birth, r.birth(family_name_kana="Kimura")),
        "family_name_kana",
        InvalidValue,
    ),
    "impossible-birth-date": (
        lambda r: (arrivals.record_birth, r.birth(birth_date="2026-02-30")),
        "birth_date",
        InvalidValue,
    ),
    "birth-date-in-the-future": (
        lambda r: (arrivals.record_birth, r.birth(birth_date="2026-11-24")),
        "birth_date",
        InvalidValue,
    ),
    "unknown-sex": (
        lambda r: (arrivals.record_birth, r.birth(sex="unknown")),
        "sex",
        InvalidValue,
    ),
    "birth-without-a-household": (
        lambda r: (arrivals.record_birth, r.birth(household=None)),
        "household.household_id",
        InvalidValue,
    ),
    "birth-into-a-non-existent-household": (
        lambda r: (
            arrivals.record_birth,
            r.birth(household={"household_id": "0" * 32, "relationship": "child"}),
        ),
        "household.household_id",
        NotFound,
    ),
    "birth-at-another-address-than-the-household": (
        lambda r: (arrivals.record_birth, r.birth(address=OTHER_ADDRESS)),
        "address",
        InvalidValue,
    ),
    "arrival-with-a-wrong-check-digit": (
        lambda r: (
            arrivals.record_arrival,
            adult(previous_resident_code=_other_digit(r.head.resident_code)),
        ),
        "previous_resident_code",
        InvalidCheckDigit,
    ),
    "arrival-with-full-width-digits": (
        lambda r: (
            arrivals.record_arrival,
            adult(previous_resident_code=r.head.resident_code.translate(FULL_WIDTH)),
        ),
        "previous_resident_code",
        InvalidCode,
    ),
    "arrival-of-someone-already-registered-here": (
        lambda r: (arrivals.record_arrival, adult(previous_resident_code=r.head.resident_code)),
        "resident_code",
        Conflict,
    ),
    "arrival-in-the-future": (
        lambda r: (arrivals.record_arrival, adult(arrived_on="2027-01-01")),
        "arrived_on",
        InvalidValue,
    ),
    "arrival-reason-that-is-no-arrival": (
        lambda r: (arrivals.record_arrival, adult(reason="death")),
        "reason",
        InvalidValue,
    ),
    "arrival-into-a-non-existent-household": (
        lambda r: (
            arrivals.record_arrival,
            adult(household={"household_id": "0" * 32, "relationship": "lodger"}),
        ),
        "household.household_id",
        NotFound,
    ),
    "foreign-resident-with-a-bad-card-number": (
        lambda r: (
            arrivals.record_arrival,
            adult(
                reason="foreign-resident-registration",
                foreign={**VALID_FOREIGN_ITEMS, "card_number": "AB1234"},
            ),
        ),
        "foreign.card_number",
        InvalidValue,
    ),
    "foreign-resident-items-for-a-national": (
        lambda r: (arrivals.record_arrival, adult(foreign=VALID_FOREIGN_ITEMS)),
        "foreign",
        InvalidValue,
    ),
    "move-in-without-a-certificate": (
        lambda r: (arrivals.record_move_in, {**r.move_in(), "certificate": None}),
        "certificate",
        InvalidValue,
    ),
    "move-in-certificate-without-its-number": (
        lambda r: (arrivals.record_move_in, r.move_in(certificate_id="")),
        "certificate.certificate_id",
        InvalidValue,
    ),
    "move-in-certificate-with-a-wrong-check-digit": (
        lambda r: (
            arrivals.record_move_in,
            r.move_in(resident_code=_other_digit(r.fresh.resident_code)),
        ),
        "certificate.resident_code",
        InvalidCheckDigit,
    ),
    "move-in-certificate-with-full-width-my-number": (
        lambda r: (
            arrivals.record_move_in,
            r.move_in(my_number=str(r.fresh.my_number).translate(FULL_WIDTH)),
        ),
        "certificate.my_number",
        InvalidCode,
    ),
    "move-in-certificate-of-an-unknown-municipality": (
        lambda r: (arrivals.record_move_in, r.move_in(issuer=NOT_A_MUNICIPALITY)),
        "certificate.issuer",
        UnknownMunicipality,
    ),
    "move-in-certificate-with-an-impossible-date": (
        lambda r: (arrivals.record_move_in, r.move_in(planned_on="2026-02-30")),
        "certificate.planned_on",
        InvalidValue,
    ),
    "move-in-certificate-used-twice": (
        lambda r: (arrivals.record_move_in, r.move_in(r.used)),
        "certificate.certificate_id",
        Conflict,
    ),
    "move-in-certificate-from-this-very-municipality": (
        lambda r: (arrivals.record_move_in, r.move_in(r.own)),
        "certificate.issuer",
        InvalidValue,
    ),
    "move-in-of-someone-else-than-the-certificate-names": (
        lambda r: (arrivals.record_move_in, {**r.move_in(), "family_name": "別人"}),
        "certificate",
        InvalidValue,
    ),
    "death-recorded-twice": (
        lambda r: (
            departures.record_death,
            {"resident_code": r.dead.resident_code, "died_on": "2026-11-02"},
        ),
        "resident_code",
        Conflict,
    ),
    "death-of-someone-never-registered-here": (
        lambda r: (
            departures.record_death,
            {"resident_code": NEVER_ISSUED, "died_on": "2026-11-02"},
        ),
        "resident_code",
        NotFound,
    ),
    "death-in-the-future": (
        lambda r: (
            departures.record_death,
            {"resident_code": r.head.resident_code, "died_on": "2026-12-01"},
        ),
        "died_on",
        InvalidValue,
    ),
    "death-before-the-record-began": (
        lambda r: (
            departures.record_death,
            {"resident_code": r.head.resident_code, "died_on": "2014-01-01"},
        ),
        "died_on",
        InvalidValue,
    ),
    "move-out-more-than-60-days-ahead": (
        lambda r: (
            departures.record_move_out,
            {
                "resident_code": r.head.resident_code,
                "destination": TSURUMI_ADDRESS,
                "planned_on": "2027-02-01",
            },
        ),
        "planned_on",
        InvalidValue,
    ),
    "move-out-before-the-record-began": (
        lambda r: (
            departures.record_move_out,
            {
                "resident_code": r.head.resident_code,
                "destination": TSURUMI_ADDRESS,
                "planned_on": "2014-01-01",
            },
        ),
        "planned_on",
        InvalidValue,
    ),
    "move-out-without-a-destination": (
        lambda r: (
            departures.record_move_out,
            {"resident_code": r.head.resident_code, "destination": " ", "planned_on": "2026-12-01"},
        ),
        "destination",
        InvalidValue,
    ),
    "ex-officio-removal-without-a-note": (
        lambda r: (
            departures.remove_ex_officio,
            {"resident_code": r.head.resident_code, "removed_on": "2026-11-01"},
        ),
        "note",
        InvalidValue,
    ),
    "move-within-to-the-same-address": (
        lambda r: (
            amendments.record_move_within,
            {
                "resident_code": r.head.resident_code,
                "address": HOME_ADDRESS,
                "moved_on": "2026-11-20",
            },
        ),
        "address",
        Conflict,
    ),
    "household-change-to-a-household-at-another-address": (
        lambda r: (
            amendments.change_household,
            {
                "resident_code": r.head.resident_code,
                "household": {"household_id": r.neighbour.household_id, "relationship": "lodger"},
                "changed_on": "2026-11-20",
            },
        ),
        "household.household_id",
        InvalidValue,
    ),
    "name-change-to-the-same-name": (
        lambda r: (
            amendments.change_name,
            {**adult(), "resident_code": r.head.resident_code, "changed_on": "2026-11-20"},
        ),
        "family_name",
        Conflict,
    ),
    "correction-that-corrects-nothing": (
        lambda r: (
            amendments.correct_record,
            {"resident_code": r.head.resident_code, "family_name": "木村", "note": "確認"},
        ),
        "body",
        InvalidValue,
    ),
}


@pytest.mark.parametrize("case", CASES.keys())
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    country: Deployment, register: Register, case: str
) -> None:
    build, field, error = CASES[case]
    use_case, form = build(register)
    before = everything_written(country)

    with pytest.raises(DomainError) as refused:
        use_case(form, CLERK, register.node.supply)

    assert type(refused.value) is error
    assert refused.value.field == field
    assert everything_written(country) == before


@pytest.mark.parametrize("change", [codes.change_resident_code, codes.change_my_number])
@pytest.mark.parametrize("who", ["never-registered", "dead"])
def test_a_code_change_for_someone_without_an_active_record_here_writes_nothing(
    country: Deployment,
    register: Register,
    change: Callable[..., str],
    who: str,
) -> None:
    code = NEVER_ISSUED if who == "never-registered" else register.dead.resident_code
    before = everything_written(country)
    today = register.node.supply.clock.today()

    with pytest.raises((NotFound, Conflict)) as refused:
        change(code, today, CLERK, register.node.supply)

    assert refused.value.field == "resident_code"
    assert everything_written(country) == before


def test_the_corrected_form_goes_through_where_the_bad_ones_were_refused(
    country: Deployment, register: Register
) -> None:
    baby = arrivals.record_birth(register.birth(), CLERK, register.node.supply)

    assert baby.household_id == register.head.household_id
    assert country.pump() > 0
    assert country.national.consistency.run([CHIYODA])[0].consistent
