"""The agency's household check of an application (世帯情報の確認), on a fake providing node.

The fake register holds seed 000's household at one address — A (世帯主), B (妻), C (子),
D (父), E (母) — with a lodger heading a household of her own; the fake answers as the
national node and the home municipality would, household labels and all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import pytest

from jukinet.domain.errors import InvalidValue
from jukinet.domain.residents import Relationship
from jukinet.nodes.agency.households import (
    Application,
    ListedPerson,
    Verdict,
    check_application,
    relationship_named,
)
from jukinet.nodes.agency.ports import HouseholdFinding, Occupant

A, B, C, D, E, LODGER, ELSEWHERE = "A", "B", "C", "D", "E", "L", "X"
REGISTER = {  # code → (name, household id on the register, 続柄)
    A: ("山田　太郎", "h-yamada", Relationship.HEAD),
    B: ("山田　花子", "h-yamada", Relationship.WIFE),
    C: ("山田　一郎", "h-yamada", Relationship.CHILD),
    D: ("山田　茂", "h-yamada", Relationship.FATHER),
    E: ("山田　ハル", "h-yamada", Relationship.MOTHER),
    LODGER: ("鈴木　恵", "h-suzuki", Relationship.HEAD),
}
PENSION = "kokumin-nenkin"


@dataclass
class FakeProvisionGateway:
    register: dict[str, tuple[str, str, Relationship]] = field(default_factory=lambda: REGISTER)
    asked: list[tuple[str, list[str]]] = field(default_factory=list)

    def same_address(self, affair: str, key: Mapping[str, str]) -> list[Occupant]:
        self.asked.append(("same-address", [key["resident_code"]]))
        first = key["resident_code"]
        order = [first, *(c for c in self.register if c != first)]
        return [Occupant(c, self.register[c][0], date(1960, 1, 1)) for c in order]

    def household_check(self, affair: str, resident_codes: Sequence[str]) -> list[HouseholdFinding]:
        self.asked.append(("household", list(resident_codes)))
        labels: dict[str, str] = {}
        findings = []
        for code in resident_codes:
            if code not in self.register:
                findings.append(HouseholdFinding(code, registered=False))
                continue
            _, household, relationship = self.register[code]
            label = labels.setdefault(household, str(len(labels) + 1))
            findings.append(HouseholdFinding(code, True, label, relationship))
        return findings


def application(*members: tuple[str, Relationship], applicant: str = A) -> Application:
    listed = tuple(ListedPerson(code, kind) for code, kind in members)
    return Application(PENSION, ListedPerson(applicant, Relationship.HEAD), listed)


def test_pattern_1_asks_one_household_check_about_the_people_listed_only() -> None:
    gateway = FakeProvisionGateway()

    result = check_application(application((C, Relationship.CHILD)), gateway, complete=False)

    assert gateway.asked == [("household", [A, C])]
    assert (result.applicant.verdict, result.members[0].verdict) == (
        Verdict.CONFIRMED,
        Verdict.CONFIRMED,
    )
    assert result.consistent


def test_a_relationship_other_than_the_registered_one_is_flagged_with_the_registered_one() -> None:
    result = check_application(
        application((C, Relationship.GRANDCHILD)), FakeProvisionGateway(), complete=False
    )

    (child,) = result.members
    assert (child.verdict, child.registered) == (Verdict.RELATIONSHIP_DIFFERS, Relationship.CHILD)
    assert not result.consistent


def test_pattern_2_reports_household_members_left_off_but_not_the_lodger() -> None:
    gateway = FakeProvisionGateway()

    result = check_application(
        application((B, Relationship.WIFE), (C, Relationship.CHILD)), gateway
    )

    assert gateway.asked == [("same-address", [A]), ("household", [A, B, C, D, E, LODGER])]
    assert [m.verdict for m in result.members] == [Verdict.CONFIRMED, Verdict.CONFIRMED]
    assert [(x.occupant.name, x.relationship) for x in result.left_off] == [
        ("山田　茂", Relationship.FATHER),
        ("山田　ハル", Relationship.MOTHER),
    ]
    assert not result.consistent


def test_an_application_listing_the_whole_household_is_consistent() -> None:
    members = [(B, Relationship.WIFE), (C, Relationship.CHILD)]
    members += [(D, Relationship.FATHER), (E, Relationship.MOTHER)]

    result = check_application(application(*members), FakeProvisionGateway())

    assert result.left_off == ()
    assert result.consistent


def test_someone_registered_elsewhere_or_in_another_household_is_not_a_member() -> None:
    result = check_application(
        application((LODGER, Relationship.LODGER), (ELSEWHERE, Relationship.CHILD)),
        FakeProvisionGateway(),
        complete=False,
    )

    assert [(m.verdict, m.registered) for m in result.members] == [
        (Verdict.NOT_IN_HOUSEHOLD, None),
        (Verdict.NOT_IN_HOUSEHOLD, None),
    ]


def test_an_applicant_not_registered_at_their_municipality_confirms_no_one() -> None:
    gateway = FakeProvisionGateway(register={C: REGISTER[C]})

    result = check_application(application((C, Relationship.CHILD)), gateway, complete=False)

    assert [c.verdict for c in (result.applicant, *result.members)] == [
        Verdict.NOT_IN_HOUSEHOLD,
        Verdict.NOT_IN_HOUSEHOLD,
    ]


def test_an_application_that_lists_a_person_twice_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        application((C, Relationship.CHILD), (A, Relationship.CHILD))

    assert refused.value.field == "members[1]"


@pytest.mark.parametrize(
    ("written", "expected"),
    [("子", Relationship.CHILD), (" 世帯主 ", Relationship.HEAD), ("mother", Relationship.MOTHER)],
)
def test_a_relationship_is_read_as_written_on_a_form_or_by_its_code_name(
    written: str, expected: Relationship
) -> None:
    assert relationship_named(written, "member") is expected


def test_an_unknown_relationship_is_refused_naming_the_labels() -> None:
    with pytest.raises(InvalidValue) as refused:
        relationship_named("いとこ", "--member")

    assert refused.value.field == "--member"
    assert "同居人" in refused.value.problem
