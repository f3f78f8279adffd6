"""The resident record, its parts, the move-out certificate and the municipality directory."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from jukinet.domain.certificates import MoveOutCertificate
from jukinet.domain.changes import ChangeReason, NotificationKind
from jukinet.domain.codes import LocalGovernmentCode
from jukinet.domain.errors import (
    Conflict,
    InvalidCheckDigit,
    InvalidValue,
    UnknownMunicipality,
)
from jukinet.domain.identity import RecordStatus, Sex
from jukinet.domain.municipalities import all_municipalities, municipality, prefecture
from jukinet.domain.residents import (
    ForeignResidentBlock,
    ForeignResidentClass,
    PersonName,
    RegisteredDomicile,
    Relationship,
    Resident,
)

# --- names


def test_a_person_name_is_cleaned_part_by_part() -> None:
    name = PersonName.of("\u3000山田", "太郎 ", "やまだ", "ﾀﾛｳ", former_surname="", alias="")
    assert name == PersonName("山田", "太郎", "ヤマダ", "タロウ")


def test_a_single_name_may_leave_the_given_name_empty() -> None:
    assert PersonName.of("SMITH", "").given == ""


@pytest.mark.parametrize(
    ("parts", "field"),
    [
        ({"family": "\u3000"}, "family_name"),
        ({"given": "太\x00郎"}, "given_name"),
        ({"family_kana": "山田"}, "family_name_kana"),
        ({"given_kana": "Taro"}, "given_name_kana"),
        ({"former_surname": "鈴\u202e木"}, "former_surname"),
        ({"alias": "x" * 101}, "alias"),
        ({"family": "山" * 51}, "family_name"),
    ],
)
def test_a_bad_name_part_names_its_field(parts: dict[str, object], field: str) -> None:
    arguments: dict[str, Any] = {"family": "山田", "given": "太郎", **parts}
    with pytest.raises(InvalidValue) as caught:
        PersonName.of(**arguments)
    assert caught.value.field == field


# --- foreign residents

MID_TO_LONG_TERM: dict[str, Any] = {
    "resident_class": ForeignResidentClass.MID_TO_LONG_TERM,
    "nationality": "ベトナム",
    "became_foreign_resident_on": date(2020, 4, 1),
    "residence_status": "技術・人文知識・国際業務",
    "period_of_stay": "5年",
    "stay_expires_on": date(2030, 4, 1),
    "card_number": "AB12345678CD",
}


def test_a_complete_mid_to_long_term_resident_is_accepted() -> None:
    assert ForeignResidentBlock(**MID_TO_LONG_TERM).card_number == "AB12345678CD"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"residence_status": ""}, "foreign.residence_status"),
        ({"period_of_stay": " "}, "foreign.period_of_stay"),
        ({"stay_expires_on": None}, "foreign.stay_expires_on"),
        ({"card_number": ""}, "foreign.card_number"),
        ({"nationality": ""}, "foreign.nationality"),
    ],
)
def test_a_mid_to_long_term_resident_needs_status_period_expiry_and_card(
    change: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidValue) as caught:
        ForeignResidentBlock(**{**MID_TO_LONG_TERM, **change})
    assert caught.value.field == field


@pytest.mark.parametrize(
    "card_number",
    [
        "AB1234567CD",  # 7 digits
        "AB123456789CD",  # 9 digits
        "A123456789CD",  # 1 letter first
        "AB12345678C",  # 1 letter last
        "ab12345678cd",  # lower case
        "AB12345678CD ",  # trailing space
        "ＡＢ12345678ＣＤ",  # full-width letters
        "AB１２３４５６７８CD",  # full-width digits
    ],
)
def test_a_residence_card_number_is_two_letters_eight_digits_two_letters(card_number: str) -> None:
    with pytest.raises(InvalidValue, match="2 letters, 8 digits and 2 letters") as caught:
        ForeignResidentBlock(**{**MID_TO_LONG_TERM, "card_number": card_number})
    assert caught.value.field == "foreign.card_number"


def test_a_card_number_with_a_trailing_newline_is_refused() -> None:
    with pytest.raises(InvalidValue):
        ForeignResidentBlock(**{**MID_TO_LONG_TERM, "card_number": "AB12345678CD\n"})


def test_a_special_permanent_resident_needs_only_the_certificate_number() -> None:
    block = ForeignResidentBlock(
        ForeignResidentClass.SPECIAL_PERMANENT,
        "韓国",
        date(1991, 11, 1),
        card_number="XY00000001ZZ",
    )
    assert block.residence_status == ""
    with pytest.raises(InvalidValue) as caught:
        ForeignResidentBlock(ForeignResidentClass.SPECIAL_PERMANENT, "韓国", date(1991, 11, 1))
    assert caught.value.field == "foreign.card_number"


@pytest.mark.parametrize(
    "resident_class",
    [ForeignResidentClass.TEMPORARY_REFUGE, ForeignResidentClass.PROVISIONAL_STAY],
)
def test_refuge_and_provisional_stay_need_the_permitted_period(
    resident_class: ForeignResidentClass,
) -> None:
    ForeignResidentBlock(resident_class, "ミャンマー", date(2024, 1, 5), permitted_period="6月")
    with pytest.raises(InvalidValue) as caught:
        ForeignResidentBlock(resident_class, "ミャンマー", date(2024, 1, 5))
    assert caught.value.field == "foreign.permitted_period"


@pytest.mark.parametrize(
    "resident_class",
    [
        ForeignResidentClass.TRANSITIONAL_BIRTH,
        ForeignResidentClass.TRANSITIONAL_LOSS_OF_NATIONALITY,
    ],
)
def test_transitional_stays_need_only_the_nationality(resident_class: ForeignResidentClass) -> None:
    assert ForeignResidentBlock(resident_class, "米国", date(2025, 3, 3)).card_number == ""


# --- 本籍


def test_a_domicile_needs_its_head_of_family() -> None:
    domicile = RegisteredDomicile.of(" 東京都千代田区千代田一番 ", "山田太郎", note="unknown")
    assert domicile == RegisteredDomicile("東京都千代田区千代田一番", "山田太郎", "")
    with pytest.raises(InvalidValue) as caught:
        RegisteredDomicile.of("東京都千代田区千代田一番", "")
    assert caught.value.field == "domicile.head_of_family"


@pytest.mark.parametrize("note", ["none", "unknown"])
def test_a_missing_domicile_is_noted_as_none_or_unknown(note: str) -> None:
    assert RegisteredDomicile.of("", "", note) == RegisteredDomicile("", "", note)


@pytest.mark.parametrize("note", ["", "n/a", None])
def test_a_missing_domicile_without_a_note_is_refused(note: object) -> None:
    with pytest.raises(InvalidValue) as caught:
        RegisteredDomicile.of("\u3000", "", note)
    assert caught.value.field == "domicile.place"


# --- the resident record


def make_resident() -> Resident:
    return Resident(
        record_id="r-1",
        municipality_code="131016",
        resident_code="12345678903",
        my_number="123456789018",
        name=PersonName.of("山田", "太郎", "やまだ", "たろう"),
        birth_date=date(1980, 5, 17),
        sex=Sex.MALE,
        household_id="h-1",
        relationship=Relationship.HEAD,
        address="東京都千代田区千代田1-1",
        address_set_on=date(2010, 4, 1),
        became_resident_on=date(2010, 4, 1),
        notified_on=date(2010, 4, 2),
    )


def test_a_new_record_notifies_its_identity_as_recorded() -> None:
    identity = make_resident().identity()
    assert identity.resident_code == "12345678903"
    assert identity.full_name == "山田\u3000太郎"
    assert identity.family_name_kana == "ヤマダ"
    assert identity.status is RecordStatus.ACTIVE
    assert identity.kind is NotificationKind.RECORD
    assert identity.change_date == date(2010, 4, 2)


def test_removal_marks_the_record_and_its_identity() -> None:
    resident = make_resident()
    resident.remove(ChangeReason.MOVE_OUT, date(2025, 3, 31), destination="大阪府大阪市北区")
    identity = resident.identity()
    assert not resident.is_active
    assert (resident.removal_reason, resident.removed_on) == (
        ChangeReason.MOVE_OUT,
        date(2025, 3, 31),
    )
    assert resident.destination == "大阪府大阪市北区"
    assert identity.status is RecordStatus.REMOVED
    assert identity.kind is NotificationKind.REMOVAL
    assert identity.change_date == date(2025, 3, 31)


def test_a_record_cannot_be_removed_twice() -> None:
    resident = make_resident()
    resident.remove(ChangeReason.DEATH, date(2025, 1, 1))
    with pytest.raises(Conflict) as caught:
        resident.remove(ChangeReason.DEATH, date(2025, 1, 2))
    assert caught.value.field == "resident_code"
    assert resident.removed_on == date(2025, 1, 1)


def test_a_removal_cannot_predate_the_record() -> None:
    with pytest.raises(InvalidValue) as caught:
        make_resident().remove(ChangeReason.DEATH, date(2010, 3, 31))
    assert caught.value.field == "date"


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.move_within("東京都千代田区千代田2-2", date(2025, 2, 1)),
        lambda r: r.rename(
            PersonName.of("佐藤", "太郎"), date(2025, 2, 1), ChangeReason.NAME_CHANGE
        ),
        lambda r: r.change_resident_code("31415926530", date(2025, 2, 1)),
        lambda r: r.change_my_number("983205673214", date(2025, 2, 1)),
    ],
    ids=["move-within", "rename", "resident-code", "my-number"],
)
def test_a_removed_record_cannot_change(change: Any) -> None:
    resident = make_resident()
    resident.remove(ChangeReason.DEATH, date(2025, 1, 1))
    before = resident.snapshot()
    with pytest.raises(Conflict):
        change(resident)
    assert resident == before


def test_moving_within_to_the_same_address_is_refused() -> None:
    resident = make_resident()
    with pytest.raises(Conflict) as caught:
        resident.move_within(resident.address, date(2025, 2, 1))
    assert caught.value.field == "address"


def test_identity_follows_a_move_within() -> None:
    resident = make_resident()
    resident.move_within("東京都千代田区千代田2-2", date(2025, 2, 1))
    identity = resident.identity()
    assert identity.address == "東京都千代田区千代田2-2"
    assert resident.previous_address == "東京都千代田区千代田1-1"
    assert (identity.reason, identity.change_date) == (ChangeReason.MOVE_WITHIN, date(2025, 2, 1))
    assert identity.kind is NotificationKind.CORRECTION


def test_identity_follows_a_name_change() -> None:
    resident = make_resident()
    resident.rename(
        PersonName.of("佐藤", "太郎", "さとう", "たろう"),
        date(2025, 2, 1),
        ChangeReason.NAME_CHANGE,
    )
    identity = resident.identity()
    assert (identity.family_name, identity.family_name_kana) == ("佐藤", "サトウ")
    assert identity.reason is ChangeReason.NAME_CHANGE


def test_changing_the_resident_code_keeps_the_previous_one_for_that_version() -> None:
    resident = make_resident()
    resident.change_resident_code("31415926530", date(2025, 2, 1))
    identity = resident.identity()
    assert identity.resident_code == "31415926530"
    assert identity.previous_resident_code == "12345678903"
    assert identity.reason is ChangeReason.RESIDENT_CODE_CHANGE
    assert identity.my_number == "123456789018"  # 番号法: the code change alone keeps the number

    resident.move_within("東京都千代田区千代田3-3", date(2025, 3, 1))
    assert resident.identity().previous_resident_code is None


def test_changing_the_my_number_is_a_correction() -> None:
    resident = make_resident()
    resident.change_my_number("983205673214", date(2025, 2, 1))
    identity = resident.identity()
    assert identity.my_number == "983205673214"
    assert identity.reason is ChangeReason.MY_NUMBER_CHANGE


def test_a_snapshot_does_not_follow_later_changes() -> None:
    resident = make_resident()
    snapshot = resident.snapshot()
    resident.move_within("東京都千代田区千代田2-2", date(2025, 2, 1))
    assert snapshot.address == "東京都千代田区千代田1-1"


def test_relationships_print_their_statutory_label() -> None:
    assert Relationship.HEAD.label == "世帯主"
    assert Relationship.UNREGISTERED_WIFE.label == "妻(未届)"
    assert all(r.label for r in Relationship)


# --- 転出証明書

KEYED: dict[str, object] = {
    "certificate_id": "CERT-2025-0001",
    "issuer": "012131",
    "resident_code": "12345678903",
    "my_number": "123456789018",
    "family_name": "山田",
    "given_name": "太郎",
    "birth_date": "1980-05-17",
    "sex": "male",
    "address": "北海道苫小牧市旭町4-5-6",
    "destination": "東京都千代田区千代田1-1",
    "planned_on": "2025-04-01",
    "issued_on": "2025-03-20",
}


def test_a_keyed_certificate_is_accepted() -> None:
    certificate = MoveOutCertificate.from_keyed(KEYED)
    assert certificate.issuer == "012131"
    assert certificate.birth_date == date(1980, 5, 17)
    assert certificate.sex is Sex.MALE
    assert {name: value for name, value in certificate.to_wire().items() if name in KEYED} == KEYED


@pytest.mark.parametrize("missing", [None, ""])
def test_a_certificate_without_my_number_is_accepted(missing: object) -> None:
    assert MoveOutCertificate.from_keyed({**KEYED, "my_number": missing}).my_number is None


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("certificate_id", " "),
        ("certificate_id", "x" * 65),
        ("issuer", "012132"),
        ("issuer", "01213"),
        ("resident_code", "12345678904"),
        ("resident_code", None),
        ("my_number", "123456789019"),
        ("my_number", "１２３４５６７８９０１８"),
        ("family_name", ""),
        ("given_name", "太\x07郎"),
        ("birth_date", "1980-02-30"),
        ("birth_date", "17/05/1980"),
        ("sex", "m"),
        ("sex", None),
        ("address", "\u3000"),
        ("destination", None),
        ("planned_on", "2025-13-01"),
        ("issued_on", 20250320),
    ],
)
def test_a_bad_certificate_item_names_its_field(field: str, bad: object) -> None:
    with pytest.raises(InvalidValue) as caught:
        MoveOutCertificate.from_keyed({**KEYED, field: bad})
    assert caught.value.field == f"certificate.{field}"


# --- the directory


def test_a_municipality_is_found_by_its_code() -> None:
    chiyoda = municipality("131016")
    assert chiyoda.code == LocalGovernmentCode("131016")
    assert (chiyoda.prefecture, chiyoda.name, chiyoda.full_name) == (
        "東京都",
        "千代田区",
        "東京都千代田区",
    )
    assert not chiyoda.is_prefecture


def test_a_prefecture_is_not_a_register_unit() -> None:
    with pytest.raises(UnknownMunicipality) as caught:
        municipality("130001")
    assert caught.value.field == "municipality_code"
    assert caught.value.code == "130001"
    assert prefecture("13").full_name == "東京都"


def test_a_well_formed_code_missing_from_the_directory_is_unknown() -> None:
    absent = LocalGovernmentCode.from_five("99001").value
    with pytest.raises(UnknownMunicipality) as caught:
        municipality(absent, "issuer")
    assert (caught.value.field, caught.value.code) == ("issuer", absent)


def test_a_bad_check_digit_is_reported_against_the_given_field() -> None:
    with pytest.raises(InvalidCheckDigit) as caught:
        municipality("131017", "certificate.issuer")
    assert caught.value.field == "certificate.issuer"
    assert (caught.value.expected, caught.value.given) == (6, 7)


def test_the_directory_lists_register_units_only() -> None:
    units = all_municipalities()
    assert not any(m.is_prefecture for m in units)
    assert "東京都千代田区" in {m.full_name for m in units}
    assert len({m.code for m in units}) == len(units)


def test_moving_within_to_a_blank_address_is_refused_before_it_is_stored() -> None:
    resident = make_resident()
    with pytest.raises(InvalidValue):
        resident.move_within("\u3000", date(2025, 2, 1))
    assert resident.identity().address == "東京都千代田区千代田1-1"
