"""Which items a 住民票の写し shows, for each kind of requester, and which requests are refused."""

from __future__ import annotations

import pytest
from tests.copies_household import (
    CHILD_CODE,
    HEAD_CODE,
    LODGER_CODE,
    MOTHER_CODE,
    WIFE_CODE,
    household,
)

from jukinet.domain.copies import (
    CopyRequester,
    Layout,
    OptionalItem,
    RequesterKind,
    ResidentCopy,
    Selection,
    compose_copy,
    optional_items,
    shown_items,
)
from jukinet.domain.errors import InvalidValue, NotFound
from jukinet.domain.requesters import IdentityDocument

CARD = IdentityDocument.MY_NUMBER_CARD
ALL = frozenset(OptionalItem)
CODES = {OptionalItem.RESIDENT_CODE, OptionalItem.MY_NUMBER}


def requester(kind: RequesterKind, code: str | None = HEAD_CODE) -> CopyRequester:
    if kind in (RequesterKind.PUBLIC_BODY, RequesterKind.THIRD_PARTY):
        document = None if kind is RequesterKind.PUBLIC_BODY else CARD
        return CopyRequester(
            kind, "千代田法律事務所", purpose="債権回収の訴訟提起", document=document
        )
    return CopyRequester(kind, "髙橋　一郎", code, document=CARD)


def copy_for(
    kind: RequesterKind,
    asked: frozenset[OptionalItem] = frozenset(),
    members: tuple[str, ...] = (),
    removed: bool = False,
) -> ResidentCopy:
    shown = shown_items(kind, asked, removed=removed)
    return compose_copy(
        requester(kind), Selection(HEAD_CODE, members), shown, Layout.HOUSEHOLD, household()
    )


# --- the matrix of optional items


@pytest.mark.parametrize("kind", list(RequesterKind))
def test_nothing_optional_is_shown_unless_asked_for(kind: RequesterKind) -> None:
    copy = copy_for(kind, members=(HEAD_CODE,) if kind is RequesterKind.SELF else ())

    assert copy.head_name is None
    for record in copy.records:
        assert (record.resident_code, record.my_number) == (None, None)
        assert (record.relationship, record.domicile) == (None, None)


@pytest.mark.parametrize("kind", [RequesterKind.SELF, RequesterKind.HOUSEHOLD_MEMBER])
def test_the_person_or_a_household_member_gets_every_item_they_ask_for(
    kind: RequesterKind,
) -> None:
    (head,) = copy_for(kind, ALL, members=(HEAD_CODE,)).records

    assert (head.resident_code, head.my_number) == (HEAD_CODE, "123456789018")
    assert head.domicile is not None
    assert head.domicile.place.startswith("鹿児島県")
    assert head.relationship is not None
    assert head.relationship.label == "世帯主"


@pytest.mark.parametrize("kind", [RequesterKind.PUBLIC_BODY, RequesterKind.THIRD_PARTY])
@pytest.mark.parametrize("item", sorted(CODES))
def test_a_public_body_or_third_party_never_gets_the_codes(
    kind: RequesterKind, item: OptionalItem
) -> None:
    with pytest.raises(InvalidValue) as refused:
        shown_items(kind, frozenset({item}))

    assert refused.value.field == "items"
    assert item.value in refused.value.problem


@pytest.mark.parametrize("kind", [RequesterKind.PUBLIC_BODY, RequesterKind.THIRD_PARTY])
def test_a_public_body_or_third_party_may_have_the_domicile_and_the_head(
    kind: RequesterKind,
) -> None:
    copy = copy_for(kind, frozenset({OptionalItem.DOMICILE, OptionalItem.HOUSEHOLD_HEAD}))

    assert copy.head_name == "髙橋\u3000一郎"
    assert all(r.resident_code is None and r.my_number is None for r in copy.records)


def test_a_wide_area_copy_never_shows_the_domicile() -> None:
    with pytest.raises(InvalidValue) as refused:
        shown_items(RequesterKind.WIDE_AREA, frozenset({OptionalItem.DOMICILE}))

    assert "本籍" in refused.value.problem


def test_a_wide_area_copy_may_show_the_codes_and_the_head_when_asked() -> None:
    copy = copy_for(RequesterKind.WIDE_AREA, ALL - {OptionalItem.DOMICILE})

    assert {r.resident_code for r in copy.records} == {
        HEAD_CODE,
        WIFE_CODE,
        CHILD_CODE,
        LODGER_CODE,
    }
    assert all(r.domicile is None for r in copy.records)


def test_a_wide_area_copy_leaves_off_the_former_surname_but_keeps_the_alias() -> None:
    at_home = {r.given_name: r for r in copy_for(RequesterKind.HOUSEHOLD_MEMBER).records}
    wide = {r.given_name: r for r in copy_for(RequesterKind.WIDE_AREA).records}

    wife = next(name for name in at_home if name.startswith("葛"))
    assert (at_home[wife].former_surname, wide[wife].former_surname) == ("山﨑", "")
    assert wide["ヴァン\u3000アン"].alias == "阮文安"


# --- foreign residents and removed members


def test_a_foreign_resident_shows_nationality_and_the_30_45_items() -> None:
    (lodger,) = copy_for(RequesterKind.HOUSEHOLD_MEMBER, members=(LODGER_CODE,)).records

    assert lodger.foreign is not None
    assert (lodger.foreign.nationality, lodger.foreign.card_number) == ("ベトナム", "AB12345678CD")
    assert lodger.became_resident_on is None  # a 30条の45 record has no 住民となった年月日


def test_removed_members_are_shown_as_removed_only_when_asked() -> None:
    without = copy_for(RequesterKind.HOUSEHOLD_MEMBER)
    with_removed = copy_for(RequesterKind.HOUSEHOLD_MEMBER, removed=True)

    assert MOTHER_CODE not in without.resident_codes
    assert with_removed.resident_codes[-1] == MOTHER_CODE
    removal = with_removed.records[-1].removal
    assert removal is not None
    assert removal.reason.label == "死亡"


def test_a_wide_area_copy_cannot_include_removed_members() -> None:
    with pytest.raises(InvalidValue) as refused:
        shown_items(RequesterKind.WIDE_AREA, frozenset(), removed=True)

    assert refused.value.field == "include_removed"


# --- who and whom


def test_the_household_is_listed_head_first_and_charged_one_sheet() -> None:
    copy = copy_for(RequesterKind.HOUSEHOLD_MEMBER)

    assert copy.resident_codes == (HEAD_CODE, WIFE_CODE, CHILD_CODE, LODGER_CODE)
    assert copy.sheets == 1


def test_individual_sheets_are_charged_one_per_person() -> None:
    shown = shown_items(RequesterKind.HOUSEHOLD_MEMBER, frozenset())
    copy = compose_copy(
        requester(RequesterKind.HOUSEHOLD_MEMBER),
        Selection(HEAD_CODE, (WIFE_CODE, CHILD_CODE)),
        shown,
        Layout.INDIVIDUAL,
        household(),
    )

    assert copy.sheets == 2


def test_a_person_not_in_the_household_is_refused_by_position() -> None:
    with pytest.raises(InvalidValue) as refused:
        copy_for(RequesterKind.HOUSEHOLD_MEMBER, members=(HEAD_CODE, MOTHER_CODE))

    assert refused.value.field == "members[1]"


def test_a_requester_outside_the_household_is_refused() -> None:
    shown = shown_items(RequesterKind.WIDE_AREA, frozenset())
    stranger = requester(RequesterKind.WIDE_AREA, code=MOTHER_CODE)  # removed: not a member now

    with pytest.raises(InvalidValue) as refused:
        compose_copy(stranger, Selection(HEAD_CODE), shown, Layout.HOUSEHOLD, household())

    assert refused.value.field == "requester.resident_code"


def test_the_person_alone_gets_only_their_own_record() -> None:
    with pytest.raises(InvalidValue) as refused:
        copy_for(RequesterKind.SELF, members=(HEAD_CODE, WIFE_CODE))

    assert "only their record" in refused.value.problem


def test_a_subject_without_a_current_record_is_not_found() -> None:
    shown = shown_items(RequesterKind.PUBLIC_BODY, frozenset())
    with pytest.raises(NotFound):
        compose_copy(
            requester(RequesterKind.PUBLIC_BODY),
            Selection(MOTHER_CODE),
            shown,
            Layout.HOUSEHOLD,
            household(),
        )


# --- reading requests


def test_an_unknown_item_is_named_by_position() -> None:
    with pytest.raises(InvalidValue) as refused:
        optional_items(["household-head", "pension"])

    assert refused.value.field == "items[1]"


@pytest.mark.parametrize(
    ("kind", "items", "field"),
    [
        (RequesterKind.SELF, {"name": "髙橋　一郎", "document": CARD}, "requester.resident_code"),
        (RequesterKind.THIRD_PARTY, {"name": "某", "document": CARD}, "requester.purpose"),
        (RequesterKind.THIRD_PARTY, {"name": "某", "purpose": "相続"}, "requester.document"),
        (
            RequesterKind.WIDE_AREA,
            {"name": "某", "resident_code": HEAD_CODE, "document": IdentityDocument.PENSION_BOOK},
            "requester.document",
        ),
    ],
)
def test_an_incomplete_requester_is_refused_naming_the_field(
    kind: RequesterKind, items: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidValue) as refused:
        CopyRequester(kind, **items)  # type: ignore[arg-type]

    assert refused.value.field == field
