"""A household of the register for tests of 住民票の写し: names in the MJ set (髙, 𠮷, 﨑 and a
variation sequence), a wife with a 旧氏, a foreign lodger with a 通称, and a mother removed
on her death."""

from __future__ import annotations

from datetime import date

from jukinet.domain.changes import ChangeReason
from jukinet.domain.copies import HouseholdRecords
from jukinet.domain.identity import RecordStatus, Sex
from jukinet.domain.residents import (
    ForeignResidentBlock,
    ForeignResidentClass,
    Household,
    PersonName,
    RegisteredDomicile,
    Relationship,
    Resident,
)

CHIYODA = "131016"
ADDRESS = "東京都千代田区丸の内一丁目1番1号"
EARLIER_ADDRESS = "東京都千代田区神田神保町二丁目2番地"  # before the move within
ARRIVED_FROM = "大阪府大阪市北区梅田一丁目1番1号"  # before moving into Chiyoda
DOMICILE = RegisteredDomicile("鹿児島県鹿児島市山下町11番地", "髙橋　一郎")
IVS_NAME = "葛\U000e0100子"
HOUSEHOLD_ID = "h-1"

HEAD_CODE, WIFE_CODE, CHILD_CODE, LODGER_CODE, MOTHER_CODE = (
    "12345678903",
    "31415926530",
    "27182818289",
    "16180339888",
    "14142135621",
)


def _person(code: str, name: PersonName, relationship: Relationship, **items: object) -> Resident:
    values: dict[str, object] = {
        "record_id": f"r-{code}",
        "municipality_code": CHIYODA,
        "resident_code": code,
        "my_number": None,
        "name": name,
        "birth_date": date(1970, 4, 1),
        "sex": Sex.MALE,
        "household_id": HOUSEHOLD_ID,
        "relationship": relationship,
        "address": ADDRESS,
        "address_set_on": date(2020, 6, 1),
        "became_resident_on": date(2015, 4, 1),
        "notified_on": date(2015, 4, 3),
        "previous_address": EARLIER_ADDRESS,
        "domicile": DOMICILE,
        **items,
    }
    return Resident(**values)  # type: ignore[arg-type]


def household() -> HouseholdRecords:
    head = _person(
        HEAD_CODE,
        PersonName("髙橋", "一郎", "タカハシ", "イチロウ"),
        Relationship.HEAD,
        my_number="123456789018",
    )
    wife = _person(
        WIFE_CODE,
        PersonName("髙橋", IVS_NAME, "タカハシ", "カツコ", former_surname="山﨑"),
        Relationship.WIFE,
        birth_date=date(1972, 2, 29),
        sex=Sex.FEMALE,
    )
    child = _person(
        CHILD_CODE,
        PersonName("髙橋", "\U00020bb7男", "タカハシ", "ヨシオ"),
        Relationship.CHILD,
        birth_date=date(2005, 8, 15),
        became_resident_on=date(2005, 8, 15),
        address_set_on=date(2005, 8, 15),
        notified_on=date(2005, 8, 22),
        previous_address="",
    )
    lodger = _person(
        LODGER_CODE,
        PersonName("グエン", "ヴァン　アン", "グエン", "ヴァンアン", alias="阮文安"),
        Relationship.LODGER,
        birth_date=date(1995, 1, 20),
        address_set_on=date(2024, 4, 1),
        became_resident_on=date(2024, 4, 1),
        notified_on=date(2024, 4, 3),
        previous_address=ARRIVED_FROM,
        domicile=None,
        foreign=ForeignResidentBlock(
            ForeignResidentClass.MID_TO_LONG_TERM,
            "ベトナム",
            date(2024, 4, 1),
            residence_status="技術・人文知識・国際業務",
            period_of_stay="3年",
            stay_expires_on=date(2027, 3, 31),
            card_number="AB12345678CD",
        ),
    )
    mother = _person(
        MOTHER_CODE,
        PersonName("髙橋", "ハナ", "タカハシ", "ハナ"),
        Relationship.MOTHER,
        birth_date=date(1940, 1, 1),
        sex=Sex.FEMALE,
        status=RecordStatus.REMOVED,
        removal_reason=ChangeReason.DEATH,
        removed_on=date(2025, 12, 1),
    )
    home = Household(HOUSEHOLD_ID, CHIYODA, ADDRESS, head.record_id, date(2015, 4, 1))
    return HouseholdRecords(home, (lodger, child, wife, head), (mother,))
