"""住民票の写し: who may ask for a copy, of whom, and which items the copy shows.

Five kinds of requester (``RequesterKind``): the person (本人) and a member of the same
household (同一世帯員) at the home municipality (住基法12条), a public body (12条の2), a third
party with a stated purpose (12条の3), and the person or a household member at another
municipality (広域交付, 12条の4). Every copy shows the name (with the 通称 of a foreign
resident, which cannot be left off), furigana, date of birth, sex, address, the dates of
becoming a resident and of setting the address, the notification date and the address before
(転入前住所 / 異動前住所), and a foreign resident's 30条の45 items. Four items are shown only when
asked for (``OptionalItem``), and ``shown_items`` is the one function that decides, per kind:

* 住民票コード and 個人番号: never on a copy for a public body or a third party;
* 本籍・筆頭者: never on a wide-area copy; nor are the 9–12号 items (elector, insurance, pension,
  child allowance: no copy prints them) or the 14号 items (旧氏; 通称 stays with the name);
* removed people (除票) of the household: only when asked, and never by wide-area.

Everything else is refused with ``InvalidValue`` naming the field. For a person under a DV
支援措置, ``compose_copy`` prints every address as 記載省略 unless a protected person asks; the
suppressions that refuse a copy outright are checked by the use case (``nodes/municipal/
copies.py``), which can read them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from jukinet.domain.changes import ChangeReason
from jukinet.domain.errors import DomainError, InvalidValue, NotFound
from jukinet.domain.identity import NAME_LIMIT, Sex
from jukinet.domain.requesters import IdentityDocument, Proof
from jukinet.domain.residents import (
    ForeignResidentBlock,
    Household,
    RegisteredDomicile,
    Relationship,
    Resident,
)
from jukinet.domain.suppressions import OMITTED, address_shown_to
from jukinet.domain.text import clean_text

DEFAULT_FEE = 300  # yen per copy; each municipality sets its own by ordinance
PURPOSE_LIMIT = 400


class CopyRefused(DomainError):
    """The home municipality refused a wide-area copy; ``field`` and ``problem`` are its own."""

    kind = "copy-refused"

    def __init__(self, reason: str, field: str, problem: str) -> None:
        super().__init__(field, f"the home municipality refused ({reason}): {problem}")
        self.reason = reason


class RequesterKind(StrEnum):
    SELF = "self"  # 本人 (12条)
    HOUSEHOLD_MEMBER = "household-member"  # 同一世帯員 (12条)
    PUBLIC_BODY = "public-body"  # 国又は地方公共団体の機関 (12条の2)
    THIRD_PARTY = "third-party"  # 本人等以外の者 (12条の3)
    WIDE_AREA = "wide-area"  # 広域交付 (12条の4)

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def is_resident(self) -> bool:
        """The requester is the person or lives in the same household (and says who they are
        by their own 住民票コード)."""
        return self in (RequesterKind.SELF, RequesterKind.HOUSEHOLD_MEMBER, RequesterKind.WIDE_AREA)


_KIND_LABELS = {
    RequesterKind.SELF: "本人（住民基本台帳法第12条）",
    RequesterKind.HOUSEHOLD_MEMBER: "同一世帯員（住民基本台帳法第12条）",
    RequesterKind.PUBLIC_BODY: "国又は地方公共団体の機関（住民基本台帳法第12条の2）",
    RequesterKind.THIRD_PARTY: "本人等以外の者（住民基本台帳法第12条の3）",
    RequesterKind.WIDE_AREA: "広域交付（住民基本台帳法第12条の4）",
}


class OptionalItem(StrEnum):
    """The items a copy shows only when the requester asks for them."""

    HOUSEHOLD_HEAD = "household-head"  # 世帯主の氏名及び世帯主との続柄 (7条4号)
    DOMICILE = "domicile"  # 本籍及び筆頭者 (7条5号)
    MY_NUMBER = "my-number"  # 個人番号 (7条8号の2)
    RESIDENT_CODE = "resident-code"  # 住民票コード (7条13号)

    @property
    def label(self) -> str:
        return _ITEM_LABELS[self]


_ITEM_LABELS = {
    OptionalItem.HOUSEHOLD_HEAD: "世帯主・続柄",
    OptionalItem.DOMICILE: "本籍・筆頭者",
    OptionalItem.MY_NUMBER: "個人番号",
    OptionalItem.RESIDENT_CODE: "住民票コード",
}

_CODES_NEVER = "never shows the 住民票コード or the 個人番号"
# Kind → item → why that kind may never have it.
_NEVER: dict[RequesterKind, dict[OptionalItem, str]] = {
    RequesterKind.PUBLIC_BODY: {
        OptionalItem.RESIDENT_CODE: f"a copy for a public body (12条の2) {_CODES_NEVER}",
        OptionalItem.MY_NUMBER: f"a copy for a public body (12条の2) {_CODES_NEVER}",
    },
    RequesterKind.THIRD_PARTY: {
        OptionalItem.RESIDENT_CODE: f"a copy for a third party (12条の3) {_CODES_NEVER}",
        OptionalItem.MY_NUMBER: f"a copy for a third party (12条の3) {_CODES_NEVER}",
    },
    RequesterKind.WIDE_AREA: {
        OptionalItem.DOMICILE: "a wide-area copy (12条の4) never shows 本籍・筆頭者",
    },
}
# Documents a wide-area requester may present: the card or another photo ID (施行規則).
WIDE_AREA_DOCUMENTS = frozenset(d for d in IdentityDocument if d.proof is Proof.PHOTO)


class Layout(StrEnum):
    """The two standard layouts (A4 portrait) of the 2024–2026 standardisation."""

    HOUSEHOLD = "household"  # 世帯連記式: the household's members on one sheet
    INDIVIDUAL = "individual"  # 個人票: one person per sheet

    @property
    def label(self) -> str:
        return "世帯連記式" if self is Layout.HOUSEHOLD else "個人票"


def optional_items(values: object, field: str = "items") -> frozenset[OptionalItem]:
    """Read the items asked for; ``InvalidValue`` names the first unknown one."""
    if not isinstance(values, list | tuple):
        raise InvalidValue(field, 'expected a list of items, e.g. ["household-head"]')
    items = set()
    for index, value in enumerate(values):
        try:
            items.add(OptionalItem(str(value)))
        except ValueError:
            known = ", ".join(item.value for item in OptionalItem)
            raise InvalidValue(f"{field}[{index}]", f"{value!r} is not one of: {known}") from None
    return frozenset(items)


@dataclass(frozen=True, slots=True)
class ShownItems:
    """What one copy shows beyond the items every copy has."""

    optional: frozenset[OptionalItem]
    former_surname: bool  # 旧氏, a 14号 item
    removed: bool  # members removed from the household (除票), marked as removed

    def __contains__(self, item: object) -> bool:
        return item in self.optional


def shown_items(
    kind: RequesterKind, asked: frozenset[OptionalItem], *, removed: bool = False
) -> ShownItems:
    """The items a copy for ``kind`` shows when ``asked`` for these; refuses what it may never
    show, naming ``items`` (or ``include_removed``) as the field."""
    for item in sorted(asked):
        reason = _NEVER.get(kind, {}).get(item)
        if reason is not None:
            raise InvalidValue("items", f"{item.value} ({item.label}): {reason}")
    if removed and kind is RequesterKind.WIDE_AREA:
        raise InvalidValue("include_removed", "a wide-area copy shows only current records")
    wide_area = kind is RequesterKind.WIDE_AREA
    return ShownItems(asked, former_surname=not wide_area, removed=removed)


@dataclass(frozen=True, slots=True)
class CopyRequester:
    """Who asks, as the clerk recorded it. A resident requester gives their own 住民票コード;
    a public body or third party states its purpose. The document shown is recorded by kind
    only, never its number."""

    kind: RequesterKind
    name: str
    resident_code: str | None = None
    purpose: str = ""
    document: IdentityDocument | None = None

    def __post_init__(self) -> None:
        name = clean_text("requester.name", self.name, max_length=NAME_LIMIT * 2)
        object.__setattr__(self, "name", name)
        if self.kind.is_resident and self.resident_code is None:
            raise InvalidValue("requester.resident_code", f"is required for {self.kind.value}")
        if not self.kind.is_resident:
            purpose = clean_text("requester.purpose", self.purpose, max_length=PURPOSE_LIMIT)
            object.__setattr__(self, "purpose", purpose)
        if self.kind is not RequesterKind.PUBLIC_BODY and self.document is None:
            raise InvalidValue("requester.document", "record the identity document shown")
        if self.kind is RequesterKind.WIDE_AREA and self.document not in WIDE_AREA_DOCUMENTS:
            allowed = ", ".join(sorted(d.value for d in WIDE_AREA_DOCUMENTS))
            raise InvalidValue(
                "requester.document", f"a wide-area copy needs the card or a photo ID: {allowed}"
            )


@dataclass(frozen=True, slots=True)
class Removal:
    """How a member left the household's register: 消除 with its reason, date, destination."""

    reason: ChangeReason
    on: date
    destination: str = ""


@dataclass(frozen=True, slots=True)
class CopiedRecord:
    """One person's items as a copy shows them; an item not shown is ``None`` (or empty)."""

    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    alias: str
    former_surname: str
    birth_date: date
    sex: Sex
    address: str
    address_set_on: date
    became_resident_on: date | None  # foreign residents: None (their date is in ``foreign``)
    notified_on: date
    previous_address: str
    relationship: Relationship | None = None
    domicile: RegisteredDomicile | None = None
    my_number: str | None = None
    resident_code: str | None = None
    foreign: ForeignResidentBlock | None = None
    removal: Removal | None = None

    @property
    def full_name(self) -> str:
        return f"{self.family_name}\u3000{self.given_name}".strip()


@dataclass(frozen=True, slots=True)
class ResidentCopy:
    """The content of one 住民票の写し, ready to print: the household's address and head, and
    the records copied in register order (head first)."""

    home_municipality: str  # holds the record
    requester_kind: RequesterKind
    layout: Layout
    shown: ShownItems
    address: str
    head_name: str | None  # shown with 世帯主・続柄
    records: tuple[CopiedRecord, ...]
    # Whom the copy concerns, for the records both ends keep; printed only when shown.
    resident_codes: tuple[str, ...] = ()

    @property
    def sheets(self) -> int:
        """Copies charged: one sheet per household, or one per person for 個人票."""
        return 1 if self.layout is Layout.HOUSEHOLD else len(self.records)


@dataclass(frozen=True, slots=True)
class Selection:
    """Whose records: the household of ``subject``, all current members or the chosen ones."""

    subject: str
    members: tuple[str, ...] = ()  # empty: the whole household


@dataclass(frozen=True, slots=True)
class HouseholdRecords:
    """A household as the register holds it: current members and those removed from it."""

    household: Household
    current: tuple[Resident, ...]
    removed: tuple[Resident, ...] = ()


def compose_copy(
    requester: CopyRequester,
    selection: Selection,
    shown: ShownItems,
    layout: Layout,
    records: HouseholdRecords,
    protected: frozenset[str] = frozenset(),
) -> ResidentCopy:
    """Decide whose records the copy holds and what of each it shows.

    ``protected`` holds the 住民票コード covered by a 支援措置: when the copy holds one of them
    and the requester is not one of them, every address on it reads 記載省略. Whether the copy
    may be issued at all (抑止) is decided by the caller, which knows the suppressions.

    Raises ``NotFound`` when the subject is not a current member of ``records``, and
    ``InvalidValue`` when a chosen member is not in the household or a resident requester is
    neither the person nor a member of the same household.
    """
    chosen = _chosen(selection, records)
    _check_requester(requester, chosen, records)
    people = _in_register_order([*chosen, *(records.removed if shown.removed else ())])
    omit = any(p.resident_code in protected for p in people) and not address_shown_to(
        requester.resident_code, protected
    )
    head = next((r for r in records.current if r.relationship is Relationship.HEAD), None)
    show_head = OptionalItem.HOUSEHOLD_HEAD in shown
    return ResidentCopy(
        home_municipality=records.household.municipality_code,
        requester_kind=requester.kind,
        layout=layout,
        shown=shown,
        address=OMITTED if omit else records.household.address,
        head_name=_name(head) if show_head and head is not None else None,
        records=tuple(_omitted(_copied(person, shown), omit) for person in people),
        resident_codes=tuple(person.resident_code for person in people),
    )


def _chosen(selection: Selection, records: HouseholdRecords) -> list[Resident]:
    by_code = {r.resident_code: r for r in records.current}
    if selection.subject not in by_code:
        raise NotFound("subject", f"{selection.subject} is not a current member of a household")
    if not selection.members:
        return list(records.current)
    for index, code in enumerate(selection.members):
        if code not in by_code:
            raise InvalidValue(
                f"members[{index}]",
                f"{code} is not a current member of {selection.subject}'s household",
            )
    return [by_code[code] for code in dict.fromkeys(selection.members)]


def _check_requester(
    requester: CopyRequester, chosen: Sequence[Resident], records: HouseholdRecords
) -> None:
    code = requester.resident_code
    if requester.kind is RequesterKind.SELF and [r.resident_code for r in chosen] != [code]:
        raise InvalidValue(
            "requester.resident_code", "a copy for the person themself holds only their record"
        )
    if requester.kind.is_resident and code not in {r.resident_code for r in records.current}:
        raise InvalidValue(
            "requester.resident_code",
            f"{code} is neither the person nor a member of the same household",
        )


_ORDER = list(Relationship)


def _in_register_order(people: Iterable[Resident]) -> list[Resident]:
    """Current members before removed ones, the head first, then by 続柄 and age."""
    return sorted(
        people,
        key=lambda r: (not r.is_active, _ORDER.index(r.relationship), r.birth_date, r.record_id),
    )


def _name(resident: Resident) -> str:
    return f"{resident.name.family}\u3000{resident.name.given}".strip()


def _omitted(record: CopiedRecord, omit: bool) -> CopiedRecord:
    return replace(record, address=OMITTED) if omit else record


def _copied(resident: Resident, shown: ShownItems) -> CopiedRecord:
    name = resident.name
    removal = None
    if not resident.is_active and resident.removal_reason and resident.removed_on:
        removal = Removal(resident.removal_reason, resident.removed_on, resident.destination)
    return CopiedRecord(
        family_name=name.family,
        given_name=name.given,
        family_name_kana=name.family_kana,
        given_name_kana=name.given_kana,
        alias=name.alias,
        former_surname=name.former_surname if shown.former_surname else "",
        birth_date=resident.birth_date,
        sex=resident.sex,
        address=resident.address,
        address_set_on=resident.address_set_on,
        became_resident_on=None if resident.foreign else resident.became_resident_on,
        notified_on=resident.notified_on,
        previous_address=resident.previous_address,
        relationship=resident.relationship if OptionalItem.HOUSEHOLD_HEAD in shown else None,
        domicile=resident.domicile if OptionalItem.DOMICILE in shown else None,
        my_number=resident.my_number if OptionalItem.MY_NUMBER in shown else None,
        resident_code=resident.resident_code if OptionalItem.RESIDENT_CODE in shown else None,
        foreign=resident.foreign,
        removal=removal,
    )
