"""The legal registry and the restricted search keys: what an agency may ask, and how."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from jukinet.domain.checkdigits import resident_code_scheme
from jukinet.domain.dates import japanese_month
from jukinet.domain.errors import InvalidValue
from jukinet.domain.identity import Sex
from jukinet.domain.legal import RegistryFileInvalid, parse_registry, registry_in_force
from jukinet.domain.provision import Channel, ProvisionNotPermitted, Schedule
from jukinet.domain.searches import KeyKind, SearchKey

TODAY = date(2026, 11, 23)


def valid_resident_code(body: str = "1234567890") -> str:
    return body + str(resident_code_scheme().check_digit(body))


def test_the_national_registry_names_the_pension_service_and_its_affairs() -> None:
    law = registry_in_force("national", TODAY)

    affair = law.permit("nenkin", "kokumin-nenkin", Channel.NETWORK_BATCH)

    assert law.recipient("nenkin").name == "日本年金機構"
    assert affair.schedule is Schedule.TABLE_1
    assert affair.law == "国民年金法"
    assert affair.household


@pytest.mark.parametrize(
    ("recipient", "affair", "channel", "field"),
    [
        ("unknown-body", "kokumin-nenkin", Channel.IMMEDIATE, "agency"),
        ("nenkin", "onkyu", Channel.IMMEDIATE, "affair"),
        ("pfa", "kigyo-nenkin", Channel.IMMEDIATE, "channel"),
    ],
)
def test_the_registry_refuses_naming_what_is_outside_the_law(
    recipient: str, affair: str, channel: Channel, field: str
) -> None:
    with pytest.raises(ProvisionNotPermitted) as refused:
        registry_in_force("national", TODAY).permit(recipient, affair, channel)

    assert refused.value.field == field


def test_the_prefecture_registry_gives_every_prefecture_its_governor_and_its_ordinances() -> None:
    law = registry_in_force("prefecture", TODAY)

    tokyo_tax = law.permit("13.governor", "chihozei", Channel.IMMEDIATE)
    saga = law.recipient("41.governor")
    passports = law.permit("14.governor", "ryoken", Channel.IMMEDIATE)

    assert law.recipient("13.governor").name == "東京都知事"
    assert (tokyo_tax.schedule, tokyo_tax.prefecture) == (Schedule.TABLE_5, "13")
    assert saga.affairs["tochi-shuyo"].schedule is Schedule.ORDINANCE
    assert "tochi-shuyo" not in law.recipient("13.governor").affairs
    assert passports.prefecture is None  # 別表第三: residents of any prefecture


def test_no_registry_is_in_force_before_the_first_version() -> None:
    with pytest.raises(RegistryFileInvalid):
        registry_in_force("national", date(2020, 1, 1))


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ({"version": "x", "effective_from": date(2026, 1, 1)}, "missing key 'provider'"),
        (
            {
                "version": "x",
                "provider": "national",
                "effective_from": date(2026, 1, 1),
                "recipients": [
                    {
                        "id": "a",
                        "name": "A",
                        "affairs": [{"id": "b", "law": "L", "title": "T", "channels": ["fax"]}],
                    }
                ],
            },
            "'fax' is not a valid Channel",
        ),
        (
            {
                "version": "x",
                "provider": "national",
                "effective_from": date(2026, 1, 1),
                "recipients": [{"id": "a", "name": "A"}, {"id": "a", "name": "A again"}],
            },
            "recipient 'a' appears twice",
        ),
    ],
)
def test_a_broken_registry_file_is_refused_naming_the_file_and_entry(
    document: dict[str, Any], problem: str
) -> None:
    with pytest.raises(RegistryFileInvalid) as refused:
        parse_registry("national-test.toml", document)

    assert str(refused.value) == f"national-test.toml: {problem}"


def test_each_of_the_four_keys_is_recognised() -> None:
    code = valid_resident_code()

    assert SearchKey.parse({"resident_code": code}).kind is KeyKind.RESIDENT_CODE
    by_name = SearchKey.parse({"name": "髙橋 一郎", "birth_date": "1950-04-01", "sex": "男"})
    by_kana = SearchKey.parse({"kana": "ﾀｶﾊｼ ｲﾁﾛｳ", "birth_date": "19500401", "sex": "1"})

    assert (by_name.kind, by_name.name, by_name.sex) == (KeyKind.NAME, "高橋一郎", Sex.MALE)
    assert (by_kana.kind, by_kana.kana, by_kana.birth_date) == (
        KeyKind.KANA,
        "タカハシイチロウ",
        date(1950, 4, 1),
    )


def test_full_width_digits_in_a_code_are_read_as_digits() -> None:
    code = valid_resident_code()
    wide = code.translate(str.maketrans("0123456789", "０１２３４５６７８９"))

    assert SearchKey.parse({"resident_code": wide}).resident_code == code


@pytest.mark.parametrize(
    ("key", "field"),
    [
        ({}, "key"),
        ({"address": "東京都千代田区"}, "key"),
        ({"name": "高橋", "address": "東京都"}, "key.birth_date"),
        ({"name": "高橋*", "birth_date": "1950-04-01", "sex": "male"}, "key.name"),
        ({"name": "高＿橋", "birth_date": "1950-04-01", "sex": "male"}, "key.name"),
        ({"kana": "タカ%", "birth_date": "1950-04-01", "sex": "male"}, "key.kana"),
        ({"kana": "タカハシ", "birth_date": "1950-04-01", "sex": "male", "address": "x"}, "key"),
        ({"name": "高橋", "birth_date": "1950-02-30", "sex": "male"}, "key.birth_date"),
        ({"name": "高橋", "birth_date": "1950-04-01", "sex": "x"}, "key.sex"),
        ({"resident_code": "1234"}, "key.resident_code"),
        ({"resident_code": valid_resident_code(), "my_number": "123"}, "key"),
        ({"surname": "高橋"}, "key.surname"),
    ],
)
def test_keys_outside_the_four_forms_are_refused_naming_the_field(
    key: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidValue) as refused:
        SearchKey.parse(key)

    assert refused.value.field == field


@pytest.mark.parametrize(
    ("year", "month", "printed"),
    [
        (2025, 8, "令和7年8月"),
        (2019, 5, "令和元年5月"),
        (2019, 4, "平成31年4月"),
        (2012, 8, "平成24年8月"),
        (1989, 1, "平成元年1月"),
    ],
)
def test_months_print_in_the_japanese_era_as_notices_do(
    year: int, month: int, printed: str
) -> None:
    assert japanese_month(year, month) == printed
