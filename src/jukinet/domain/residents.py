"""The resident record (住民票, 住基法7条) and the household it belongs to.

A :class:`Resident` is one person's record in one municipality for one stay; it is never
deleted, only removed (消除) with a reason and a date. Foreign residents (住基法30条の45) carry
a :class:`ForeignResidentBlock` instead of the 本籍, 住民となつた年月日 and elector items.
Every mutation goes through a method that checks the record is still active, so a removed
record cannot change by accident.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from jukinet.domain.changes import ChangeReason
from jukinet.domain.codes import ResidentCode
from jukinet.domain.errors import Conflict, InvalidValue
from jukinet.domain.identity import ADDRESS_LIMIT, NAME_LIMIT, IdentityInfo, RecordStatus, Sex
from jukinet.domain.text import clean_text, to_katakana

KANA_LIMIT = 100


class Relationship(StrEnum):
    """続柄 to the head of household; children have been recorded uniformly as 子 since 1995."""

    HEAD = "head"
    WIFE = "wife"
    HUSBAND = "husband"
    UNREGISTERED_WIFE = "unregistered-wife"
    UNREGISTERED_HUSBAND = "unregistered-husband"
    CHILD = "child"
    CHILDS_SPOUSE = "childs-spouse"
    GRANDCHILD = "grandchild"
    FATHER = "father"
    MOTHER = "mother"
    SIBLING = "sibling"
    RELATIVE = "relative"
    LODGER = "lodger"

    @property
    def label(self) -> str:
        return _RELATIONSHIP_LABELS[self]


_RELATIONSHIP_LABELS = {
    Relationship.HEAD: "世帯主",
    Relationship.WIFE: "妻",
    Relationship.HUSBAND: "夫",
    Relationship.UNREGISTERED_WIFE: "妻(未届)",
    Relationship.UNREGISTERED_HUSBAND: "夫(未届)",
    Relationship.CHILD: "子",
    Relationship.CHILDS_SPOUSE: "子の配偶者",
    Relationship.GRANDCHILD: "孫",
    Relationship.FATHER: "父",
    Relationship.MOTHER: "母",
    Relationship.SIBLING: "兄弟姉妹",
    Relationship.RELATIVE: "縁故者",
    Relationship.LODGER: "同居人",
}


class ForeignResidentClass(StrEnum):
    """The four classes of 住基法30条の45 (the last two each cover two situations)."""

    MID_TO_LONG_TERM = "mid-to-long-term"  # 中長期在留者
    SPECIAL_PERMANENT = "special-permanent"  # 特別永住者
    TEMPORARY_REFUGE = "temporary-refuge"  # 一時庇護許可者
    PROVISIONAL_STAY = "provisional-stay"  # 仮滞在許可者
    TRANSITIONAL_BIRTH = "transitional-birth"  # 出生による経過滞在者
    TRANSITIONAL_LOSS_OF_NATIONALITY = (
        "transitional-loss-of-nationality"  # 国籍喪失による経過滞在者
    )


_CARD_NUMBER = re.compile(r"[A-Z]{2}[0-9]{8}[A-Z]{2}")


@dataclass(frozen=True, slots=True)
class ForeignResidentBlock:
    """The 30条の45 items; which ones are required depends on the class."""

    resident_class: ForeignResidentClass
    nationality: str  # 国籍・地域
    became_foreign_resident_on: date
    residence_status: str = ""  # 在留資格
    period_of_stay: str = ""  # 在留期間
    stay_expires_on: date | None = None  # 在留期間の満了の日
    card_number: str = ""  # 在留カード / 特別永住者証明書の番号
    permitted_period: str = ""  # 上陸期間 or 仮滞在期間

    def __post_init__(self) -> None:
        clean_text("foreign.nationality", self.nationality, max_length=40)
        if self.resident_class is ForeignResidentClass.MID_TO_LONG_TERM:
            clean_text("foreign.residence_status", self.residence_status, max_length=40)
            clean_text("foreign.period_of_stay", self.period_of_stay, max_length=40)
            if self.stay_expires_on is None:
                raise InvalidValue("foreign.stay_expires_on", "is required for 中長期在留者")
        if self.resident_class in (
            ForeignResidentClass.MID_TO_LONG_TERM,
            ForeignResidentClass.SPECIAL_PERMANENT,
        ) and not _CARD_NUMBER.fullmatch(self.card_number):
            raise InvalidValue(
                "foreign.card_number",
                f"{self.card_number!r} is not 2 letters, 8 digits and 2 letters (e.g. AB12345678CD)",
            )
        if self.resident_class in (
            ForeignResidentClass.TEMPORARY_REFUGE,
            ForeignResidentClass.PROVISIONAL_STAY,
        ):
            clean_text("foreign.permitted_period", self.permitted_period, max_length=40)


@dataclass(frozen=True, slots=True)
class PersonName:
    """氏名 with its furigana; 旧氏 and 通称 are optional 政令 items that travel with it."""

    family: str
    given: str
    family_kana: str = ""
    given_kana: str = ""
    former_surname: str = ""
    alias: str = ""

    @classmethod
    def of(
        cls,
        family: object,
        given: object,
        family_kana: object = "",
        given_kana: object = "",
        former_surname: object = "",
        alias: object = "",
    ) -> PersonName:
        """Validate each part and name the field that is wrong."""
        return cls(
            family=clean_text("family_name", family, max_length=NAME_LIMIT),
            # Some foreign residents have a single name; the given name may then be empty.
            given=clean_text("given_name", given, max_length=NAME_LIMIT, required=False),
            family_kana=to_katakana("family_name_kana", family_kana, max_length=KANA_LIMIT),
            given_kana=to_katakana("given_name_kana", given_kana, max_length=KANA_LIMIT),
            former_surname=clean_text(
                "former_surname", former_surname, max_length=NAME_LIMIT, required=False
            ),
            alias=clean_text("alias", alias, max_length=NAME_LIMIT * 2, required=False),
        )


@dataclass(frozen=True, slots=True)
class RegisteredDomicile:
    """本籍 and 筆頭者 (nationals); ``place`` empty with a note when there is none or it is unknown."""

    place: str = ""
    head_of_family: str = ""
    note: str = ""  # "none" or "unknown" when place is empty

    @classmethod
    def of(cls, place: object, head_of_family: object, note: object = "") -> RegisteredDomicile:
        text = clean_text("domicile.place", place, max_length=ADDRESS_LIMIT, required=False)
        if not text and note not in ("none", "unknown"):
            raise InvalidValue("domicile.place", "give the 本籍, or note 'none' or 'unknown'")
        head = clean_text(
            "domicile.head_of_family",
            head_of_family,
            max_length=NAME_LIMIT * 2,
            required=bool(text),
        )
        return cls(place=text, head_of_family=head, note=str(note) if not text else "")


@dataclass(frozen=True, slots=True)
class WelfareItems:
    """Items 9–12 of 7条 (elector, insurance, pension, child allowance): local use only."""

    elector: bool = False
    health_insurance_since: date | None = None  # 国民健康保険
    late_elderly_insurance_since: date | None = None  # 後期高齢者医療
    long_term_care_since: date | None = None  # 介護保険
    national_pension_category: str = ""  # 国民年金の種別
    child_allowance_since: date | None = None  # 児童手当


def address_text(field_name: str, value: object) -> str:
    return clean_text(field_name, value, max_length=ADDRESS_LIMIT)


@dataclass(slots=True)
class Resident:
    """One 住民票. ``record_id`` identifies this stay; ``version`` counts notified versions."""

    record_id: str
    municipality_code: str
    resident_code: str
    my_number: str | None
    name: PersonName
    birth_date: date
    sex: Sex
    household_id: str
    relationship: Relationship
    address: str
    address_set_on: date
    became_resident_on: date
    notified_on: date
    previous_address: str = ""
    domicile: RegisteredDomicile | None = None
    foreign: ForeignResidentBlock | None = None
    welfare: WelfareItems = field(default_factory=WelfareItems)
    status: RecordStatus = RecordStatus.ACTIVE
    removal_reason: ChangeReason | None = None
    removed_on: date | None = None
    destination: str = ""
    remarks: str = ""
    version: int = 0
    last_reason: ChangeReason = ChangeReason.EX_OFFICIO_RECORD
    last_change_date: date | None = None
    previous_resident_code: str | None = None

    @property
    def is_active(self) -> bool:
        return self.status is RecordStatus.ACTIVE

    def require_active(self) -> None:
        if not self.is_active:
            raise Conflict(
                "resident_code",
                f"the record of {self.resident_code} was removed ({self.removal_reason}) "
                f"on {self.removed_on}",
            )

    def identity(self) -> IdentityInfo:
        """The identity information as it stands now (what would be notified)."""
        return IdentityInfo(
            resident_code=self.resident_code,
            my_number=self.my_number,
            family_name=self.name.family,
            given_name=self.name.given,
            family_name_kana=self.name.family_kana,
            given_name_kana=self.name.given_kana,
            former_surname=self.name.former_surname,
            alias=self.name.alias,
            birth_date=self.birth_date,
            sex=self.sex,
            address=self.address,
            municipality_code=self.municipality_code,
            status=self.status,
            reason=self.last_reason,
            change_date=self.last_change_date or self.notified_on,
            previous_resident_code=self.previous_resident_code,
        )

    def note_change(self, reason: ChangeReason, on: date) -> None:
        self.last_reason = reason
        self.last_change_date = on
        if reason is not ChangeReason.RESIDENT_CODE_CHANGE:
            self.previous_resident_code = None

    def remove(self, reason: ChangeReason, on: date, destination: str = "") -> None:
        """消除: the record stays, marked removed with the reason, date and destination."""
        self.require_active()
        if on < self.became_resident_on:
            raise InvalidValue(
                "date", f"{on} is before the record began ({self.became_resident_on})"
            )
        self.status = RecordStatus.REMOVED
        self.removal_reason = reason
        self.removed_on = on
        self.destination = destination
        self.note_change(reason, on)

    def confirm_move_out(self, on: date, destination: str) -> bool:
        """転入通知 received: the removal for 転出 takes the actual date and destination.

        Returns whether anything changed (a second notice of the same facts changes nothing).
        """
        if self.removal_reason not in (ChangeReason.MOVE_OUT, ChangeReason.MOVE_OUT_CONFIRMED):
            raise Conflict(
                "resident_code",
                f"the record of {self.resident_code} was not removed for a move-out "
                f"({self.removal_reason or 'it is active'})",
            )
        if on < self.became_resident_on:
            raise InvalidValue(
                "moved_in_on", f"{on} is before the record began ({self.became_resident_on})"
            )
        if self.removal_reason is ChangeReason.MOVE_OUT_CONFIRMED:
            if (self.removed_on, self.destination) == (on, destination):
                return False
            raise Conflict(
                "resident_code",
                f"the move-out of {self.resident_code} was already confirmed: moved to "
                f"{self.destination} on {self.removed_on}",
            )
        self.removed_on, self.destination = on, destination
        self.removal_reason = ChangeReason.MOVE_OUT_CONFIRMED
        self.note_change(ChangeReason.MOVE_OUT_CONFIRMED, on)
        return True

    def die_after_move_out(self, on: date) -> None:
        """Death before any move-in: the removal for 転出 becomes a removal for death."""
        if self.removal_reason is not ChangeReason.MOVE_OUT:
            raise Conflict(
                "resident_code",
                f"the record of {self.resident_code} was removed ({self.removal_reason}); "
                "record the death where the person lives now",
            )
        if on < self.became_resident_on:
            raise InvalidValue("died_on", f"{on} is before the record began")
        self.removal_reason, self.removed_on, self.destination = ChangeReason.DEATH, on, ""
        self.note_change(ChangeReason.DEATH, on)

    def move_within(self, address: str, on: date) -> None:
        self.require_active()
        address = address_text("address", address)
        if address == self.address:
            raise Conflict("address", "the new address is the same as the current one")
        self.previous_address, self.address, self.address_set_on = self.address, address, on
        self.note_change(ChangeReason.MOVE_WITHIN, on)

    def rename(self, name: PersonName, on: date, reason: ChangeReason) -> None:
        self.require_active()
        self.name = name
        self.note_change(reason, on)

    def change_resident_code(self, new_code: str, on: date) -> None:
        self.require_active()
        new_code = ResidentCode.parse(new_code, "resident_code").value
        if new_code == self.resident_code:
            raise Conflict("resident_code", "the new code must differ from the current one")
        old = self.resident_code
        self.resident_code = new_code
        self.note_change(ChangeReason.RESIDENT_CODE_CHANGE, on)
        self.previous_resident_code = old

    def change_my_number(self, new_number: str, on: date) -> None:
        self.require_active()
        self.my_number = new_number
        self.note_change(ChangeReason.MY_NUMBER_CHANGE, on)

    def snapshot(self) -> Resident:
        return replace(self)


@dataclass(slots=True)
class Household:
    """世帯: people living together; one head, everyone else related to the head."""

    household_id: str
    municipality_code: str
    address: str
    head_record_id: str | None
    created_on: date
    ended_on: date | None = None
