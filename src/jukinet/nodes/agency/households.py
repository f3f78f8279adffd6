"""世帯情報の確認 on the agency's side: does the household written on an application match the
register? These are the two patterns of seed 000, as 日本年金機構 runs them for survivors'
pensions.

1. **Listed people only** (``complete=False``): is everyone listed on the application in the
   applicant's household, with the 続柄 written? One household check, about the applicant and
   the people listed.
2. **Complete** (the default): is anyone of the applicant's household left off as well? The
   agency first gets everyone registered at the applicant's address, then checks the households
   of all of them together with the people listed. Whoever shares the applicant's household but
   is not on the application is reported, with the name the same-address answer gave. Someone
   at the same address who belongs to another household (a lodger heading their own, say) is
   not.

Household labels hold only within one answer, so everything is asked in one household check.
An application that lists a person twice is refused with ``InvalidValue``; the gateway's errors
reach the caller unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from jukinet.domain.errors import InvalidValue
from jukinet.domain.residents import Relationship
from jukinet.nodes.agency.ports import HouseholdFinding, Occupant, ProvisionGateway


class Verdict(StrEnum):
    CONFIRMED = "confirmed"  # in the applicant's household, with the 続柄 written
    RELATIONSHIP_DIFFERS = "relationship-differs"  # in the household, another 続柄 registered
    NOT_IN_HOUSEHOLD = "not-in-household"  # in another household, or no record there

    @property
    def label(self) -> str:
        return _VERDICT_LABELS[self]


_VERDICT_LABELS = {
    Verdict.CONFIRMED: "確認済",
    Verdict.RELATIONSHIP_DIFFERS: "続柄相違",
    Verdict.NOT_IN_HOUSEHOLD: "世帯員でない",
}


@dataclass(frozen=True, slots=True)
class ListedPerson:
    """A person named on the application, with the 続柄 written for them."""

    resident_code: str
    relationship: Relationship


@dataclass(frozen=True, slots=True)
class Application:
    """An application for ``affair``: the applicant and the household members they list."""

    affair: str
    applicant: ListedPerson
    members: tuple[ListedPerson, ...] = ()

    def __post_init__(self) -> None:
        codes = self.codes
        for index, code in enumerate(codes[1:]):
            if code in codes[: index + 1]:
                raise InvalidValue(f"members[{index}]", f"{code} is listed twice")

    @property
    def codes(self) -> list[str]:
        """The applicant's code, then the members' in the order listed."""
        return [self.applicant.resident_code, *(m.resident_code for m in self.members)]


@dataclass(frozen=True, slots=True)
class PersonCheck:
    listed: ListedPerson
    verdict: Verdict
    registered: Relationship | None = None  # the 続柄 on the register, when in the household


@dataclass(frozen=True, slots=True)
class LeftOff:
    """Someone of the applicant's household whom the application does not list."""

    occupant: Occupant
    relationship: Relationship


@dataclass(frozen=True, slots=True)
class ApplicationCheck:
    applicant: PersonCheck
    members: tuple[PersonCheck, ...]
    left_off: tuple[LeftOff, ...]
    complete: bool  # whether people left off were looked for (pattern 2)

    @property
    def consistent(self) -> bool:
        """Everyone listed is confirmed and, if looked for, no one is left off."""
        listed = (self.applicant, *self.members)
        return all(c.verdict is Verdict.CONFIRMED for c in listed) and not self.left_off


def check_application(
    application: Application, gateway: ProvisionGateway, *, complete: bool = True
) -> ApplicationCheck:
    """Check ``application`` against the register (pattern 2, or pattern 1 if not ``complete``)."""
    applicant = application.applicant.resident_code
    occupants = (
        gateway.same_address(application.affair, {"resident_code": applicant}) if complete else []
    )
    listed = application.codes
    codes = listed + [o.resident_code for o in occupants if o.resident_code not in listed]
    findings = {f.resident_code: f for f in gateway.household_check(application.affair, codes)}
    home = findings.get(applicant)
    household = home.household if home is not None and home.registered else None
    return ApplicationCheck(
        applicant=_check(application.applicant, findings, household),
        members=tuple(_check(m, findings, household) for m in application.members),
        left_off=_left_off(occupants, set(listed), findings, household),
        complete=complete,
    )


def _check(
    person: ListedPerson, findings: Mapping[str, HouseholdFinding], household: str | None
) -> PersonCheck:
    relationship = _member_of(findings.get(person.resident_code), household)
    if relationship is None:
        return PersonCheck(person, Verdict.NOT_IN_HOUSEHOLD)
    if relationship is not person.relationship:
        return PersonCheck(person, Verdict.RELATIONSHIP_DIFFERS, relationship)
    return PersonCheck(person, Verdict.CONFIRMED, relationship)


def _left_off(
    occupants: list[Occupant],
    listed: set[str],
    findings: Mapping[str, HouseholdFinding],
    household: str | None,
) -> tuple[LeftOff, ...]:
    found = []
    for occupant in occupants:
        relationship = _member_of(findings.get(occupant.resident_code), household)
        if occupant.resident_code not in listed and relationship is not None:
            found.append(LeftOff(occupant, relationship))
    return tuple(found)


def _member_of(finding: HouseholdFinding | None, household: str | None) -> Relationship | None:
    """The registered 続柄 if the finding puts the person in ``household``, else None."""
    if finding is None or household is None or finding.household != household:
        return None
    return finding.relationship


_RELATIONSHIPS = {r.value: r for r in Relationship} | {r.label: r for r in Relationship}


def relationship_named(text: str, field: str) -> Relationship:
    """A 続柄 as written on a form: its label (子, 世帯主 …) or its code name (child, head …)."""
    found = _RELATIONSHIPS.get(text.strip())
    if found is None:
        known = "、".join(r.label for r in Relationship)
        raise InvalidValue(field, f"{text!r} is not a 続柄; use one of {known} (or head, child …)")
    return found
