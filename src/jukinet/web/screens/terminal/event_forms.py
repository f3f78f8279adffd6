"""What every event form of the window is made of: the :class:`Event` (a form, the use case it
feeds, the statutory deadline it shows), the :class:`Done` page after it, and the fields and
fieldsets several forms share. The events themselves are in ``event_records.py`` (記載),
``event_removals.py`` (消除) and ``event_corrections.py`` (記載の修正, codes, the card).

Field names are the keys of the JSON forms of ``web/register_api.py`` (docs/register.md), so
each form feeds the same use case as the API. Deadlines come from ``domain/deadlines.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from jukinet.domain.dates import parse_date
from jukinet.domain.deadlines import Deadline
from jukinet.domain.errors import DomainError
from jukinet.domain.identity import Sex
from jukinet.domain.residents import ForeignResidentClass, Relationship, Resident
from jukinet.nodes.municipal.codes import CodeSupply
from jukinet.web.screens.terminal.fields import (
    DATE,
    PASSWORD,
    SELECT,
    Field,
    Fieldset,
    FormSpec,
    choice,
)

FormData = dict[str, Any]


@dataclass(frozen=True)
class Done:
    """What an event did, for the page after it: whom it concerned (the first is linked),
    the facts to tell (message key, value), and whether it came late."""

    codes: tuple[str, ...]
    facts: tuple[tuple[str, str], ...] = ()
    late: bool = False
    certificate: dict[str, Any] | None = None  # a 転出証明書's items, to key in elsewhere
    notes: tuple[str, ...] = ()  # message keys of what the clerk must still do


Recorder = Callable[[FormData, str, CodeSupply], Done]
DeadlineOf = Callable[[Mapping[str, Any], CodeSupply], Deadline | None]


@dataclass(frozen=True)
class Event:
    """One procedure of the register at the window, at ``/ui/terminal/events/<slug>``."""

    slug: str
    group: str  # a message key: record, removal, correction, codes
    form: FormSpec
    record: Recorder
    deadline: DeadlineOf | None = None  # the procedure has a statutory deadline


def day(data: Mapping[str, Any], key: str) -> date | None:
    """A date of the form as typed so far, or None while it is not one."""
    try:
        return parse_date(key, data.get(key))
    except DomainError:
        return None


def counted_from(rule: Callable[[date], Deadline], key: str) -> DeadlineOf:
    """The deadline ``rule`` gives, counted from the date the form holds at ``key``."""

    def deadline(data: Mapping[str, Any], supply: CodeSupply) -> Deadline | None:
        found = day(data, key)
        return None if found is None else rule(found)

    return deadline


# --- fields shared by several forms ------------------------------------------------------


def named(name: str, label: str = "", **options: Any) -> Field:
    """A field named as the JSON form's key, labelled ``terminal.field.<last part>``."""
    return Field(name, label or f"terminal.field.{name.split('.')[-1]}", **options)


RESIDENT = named("resident_code", required=True, check="resident-code", attrs='inputmode="numeric"')
NOTIFIED = named("notified_on", kind=DATE, check="past-date", hint="terminal.hint.notified_on")
SEX = named("sex", kind=SELECT, required=True, options=choice(Sex), option_labels="terminal.sex")
BIRTH_DATE = named("birth_date", kind=DATE, required=True, check="past-date")
ADDRESS = named("address", required=True, check="address")
RELATIONSHIPS = choice(Relationship, Relationship.HEAD)
CARD_NUMBER = named("card_number", required=True, check="card-number", attrs='inputmode="numeric"')
PIN = named(
    "pin",
    kind=PASSWORD,
    required=True,
    attrs='inputmode="numeric" maxlength="4" autocomplete="off"',
    hint="terminal.hint.pin",
)


def name_parts(prefix: str = "", required: bool = True) -> tuple[Field, ...]:
    return (
        named(f"{prefix}family_name", required=required, check="name"),
        named(f"{prefix}given_name", check="name"),
        named(f"{prefix}family_name_kana", check="kana", hint="terminal.hint.kana"),
        named(f"{prefix}given_name_kana", check="kana"),
    )


def person(required_name: bool = True) -> Fieldset:
    return Fieldset(
        "terminal.legend.person",
        (
            *name_parts(required=required_name),
            named("former_surname", check="name"),
            named("alias", check="name"),
        ),
    )


def household(required: bool = False) -> Fieldset:
    return Fieldset(
        "terminal.legend.household",
        (
            named("household.household_id", required=required, hint="terminal.hint.household_id"),
            named(
                "household.relationship",
                kind=SELECT,
                required=required,
                options=RELATIONSHIPS,
                option_labels="terminal.relationship",
            ),
        ),
    )


DOMICILE = Fieldset(
    "terminal.legend.domicile",
    (
        named("domicile.place", check="address"),
        named("domicile.head_of_family", check="name"),
        named(
            "domicile.note",
            "terminal.field.domicile_note",
            kind=SELECT,
            options=("none", "unknown"),
            option_labels="terminal.domicile_note",
        ),
    ),
)
FOREIGN = Fieldset(
    "terminal.legend.foreign",
    (
        named(
            "foreign.resident_class",
            kind=SELECT,
            options=choice(ForeignResidentClass),
            option_labels="terminal.foreign_class",
        ),
        named("foreign.nationality"),
        named("foreign.became_foreign_resident_on", kind=DATE, check="past-date"),
        named("foreign.residence_status"),
        named("foreign.period_of_stay"),
        named("foreign.stay_expires_on", kind=DATE, check="date"),
        named(
            "foreign.card_number",
            "terminal.field.card_number_foreign",
            attrs='autocapitalize="characters"',
        ),
        named("foreign.permitted_period"),
    ),
)


def members(rows: int, relationship: bool) -> Fieldset:
    fields: list[Field] = []
    for row in range(rows):
        if not relationship:
            fields.append(named(f"members[{row}]", "terminal.field.member", check="resident-code"))
            continue
        fields.append(
            named(f"members[{row}].resident_code", "terminal.field.member", check="resident-code")
        )
        fields.append(
            named(
                f"members[{row}].relationship",
                kind=SELECT,
                options=RELATIONSHIPS,
                option_labels="terminal.relationship",
            )
        )
    return Fieldset("terminal.legend.members", tuple(fields))


def summary(resident: Resident) -> Done:
    return Done(
        (resident.resident_code,),
        (
            ("terminal.done.resident_code", resident.resident_code),
            ("terminal.done.my_number", resident.my_number or ""),
            ("terminal.done.household_id", resident.household_id),
        ),
    )


def code_of(data: FormData) -> str:
    return str(data.get("resident_code", ""))
