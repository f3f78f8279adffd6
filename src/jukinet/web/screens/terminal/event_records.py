"""記載 at the window: the events by which a record begins here — birth, arrival (from abroad,
a foreign resident, ex officio), move-in with a 転出証明書, and the card holder's 特例転入."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jukinet.domain import deadlines
from jukinet.domain.changes import ChangeReason
from jukinet.domain.deadlines import Deadline
from jukinet.domain.errors import DomainError
from jukinet.domain.identity import Sex
from jukinet.nodes.municipal import arrivals, special_moves
from jukinet.nodes.municipal.codes import CodeSupply
from jukinet.nodes.municipal.forms import Form
from jukinet.web.screens.terminal.event_forms import (
    ADDRESS,
    BIRTH_DATE,
    CARD_NUMBER,
    DOMICILE,
    FOREIGN,
    NOTIFIED,
    PIN,
    RESIDENT,
    SEX,
    Done,
    Event,
    FormData,
    counted_from,
    day,
    household,
    members,
    name_parts,
    named,
    person,
    summary,
)
from jukinet.web.screens.terminal.fields import (
    DATE,
    SELECT,
    Fieldset,
    FormSpec,
    choice,
)

# --- 記載: records that begin here ---------------------------------------------------------


def _birth(data: FormData, operator: str, supply: CodeSupply) -> Done:
    return summary(arrivals.record_birth(data, operator, supply))


BIRTH = Event(
    "birth",
    "terminal.group.record",
    FormSpec(
        "terminal.event.birth",
        (
            person(),
            Fieldset("terminal.legend.event", (BIRTH_DATE, SEX, ADDRESS, NOTIFIED)),
            household(required=True),
            DOMICILE,
        ),
        statute="terminal.statute.birth",
    ),
    _birth,
    counted_from(deadlines.birth, "birth_date"),
)


def _arrival(data: FormData, operator: str, supply: CodeSupply) -> Done:
    return summary(arrivals.record_arrival(data, operator, supply))


def _arrival_deadline(data: Mapping[str, Any], supply: CodeSupply) -> Deadline | None:
    arrived, reason = day(data, "arrived_on"), data.get("reason")
    if arrived is None or reason == ChangeReason.EX_OFFICIO_RECORD.value:
        return None
    foreign = reason == ChangeReason.FOREIGN_RESIDENT_REGISTRATION.value
    return deadlines.arrival_from_abroad(arrived, foreign_resident=foreign)


ARRIVAL = Event(
    "arrival",
    "terminal.group.record",
    FormSpec(
        "terminal.event.arrival",
        (
            Fieldset(
                "terminal.legend.event",
                (
                    named(
                        "reason",
                        kind=SELECT,
                        required=True,
                        options=tuple(r.value for r in arrivals.ARRIVAL_REASONS),
                        option_labels="terminal.reason",
                    ),
                    named("arrived_on", kind=DATE, required=True, check="past-date"),
                    named("previous_resident_code", check="resident-code"),
                    NOTIFIED,
                ),
            ),
            person(),
            Fieldset(
                "terminal.legend.identity",
                (BIRTH_DATE, SEX, ADDRESS, named("previous_address", check="address")),
            ),
            household(),
            DOMICILE,
            FOREIGN,
        ),
        statute="terminal.statute.arrival",
    ),
    _arrival,
    _arrival_deadline,
)

CERTIFICATE = Fieldset(
    "terminal.legend.certificate",
    (
        named("certificate.certificate_id", required=True, attrs='autocapitalize="characters"'),
        named(
            "certificate.issuer", required=True, check="municipality", attrs='inputmode="numeric"'
        ),
        named("certificate.resident_code", required=True, check="resident-code"),
        named("certificate.my_number", check="my-number", attrs='inputmode="numeric"'),
        *name_parts("certificate."),
        named("certificate.birth_date", kind=DATE, required=True, check="past-date"),
        named(
            "certificate.sex",
            kind=SELECT,
            required=True,
            options=choice(Sex),
            option_labels="terminal.sex",
        ),
        named("certificate.address", required=True, check="address"),
        named("certificate.destination", required=True, check="address"),
        named("certificate.planned_on", kind=DATE, required=True, check="date"),
        named("certificate.issued_on", kind=DATE, required=True, check="past-date"),
    ),
)


def _move_in(data: FormData, operator: str, supply: CodeSupply) -> Done:
    result = arrivals.record_move_in(data, operator, supply)
    done = summary(result.resident)
    notice = "terminal.done.notice_sent" if result.notice_sent else "terminal.done.notice_by_post"
    return Done(
        done.codes,
        (*done.facts, ("terminal.done.move_in_notice", notice)),
        late=result.late,
        notes=() if result.notice_sent else ("terminal.done.notice_by_post",),
    )


MOVE_IN = Event(
    "move-in",
    "terminal.group.record",
    FormSpec(
        "terminal.event.move-in",
        (
            CERTIFICATE,
            Fieldset(
                "terminal.legend.notification",
                (
                    named("moved_in_on", kind=DATE, required=True, check="past-date"),
                    named("previous_resident_code", check="resident-code"),
                    NOTIFIED,
                ),
            ),
            Fieldset(
                "terminal.legend.person",
                (*name_parts(), BIRTH_DATE, SEX, ADDRESS),
            ),
            household(),
            DOMICILE,
        ),
        statute="terminal.statute.move-in",
    ),
    _move_in,
    counted_from(deadlines.move_in, "moved_in_on"),
)


def _special_move_in(data: FormData, operator: str, supply: CodeSupply) -> Done:
    result = special_moves.record_special_move_in(data, operator, supply)
    until = result.continued_use_until.isoformat()
    return Done(
        tuple(r.resident_code for r in result.residents),
        (
            *(("terminal.done.resident_code", r.resident_code) for r in result.residents),
            ("terminal.done.continued_use_until", until),
        ),
        late=result.late,
        notes=("terminal.done.continue_card",),
    )


def _special_move_in_deadline(data: Mapping[str, Any], supply: CodeSupply) -> Deadline | None:
    moved_in = day(data, "moved_in_on")
    try:
        holder = Form(data, supply.clock.today()).resident_code()
    except DomainError:
        return None
    waiting = special_moves.waiting_information(holder, supply)
    if moved_in is None or not waiting:
        return None
    return deadlines.special_move_in(waiting[0].certificate.planned_on, moved_in)


SPECIAL_MOVE_IN = Event(
    "special-move-in",
    "terminal.group.record",
    FormSpec(
        "terminal.event.special-move-in",
        (
            Fieldset(
                "terminal.legend.card",
                (
                    RESIDENT,
                    CARD_NUMBER,
                    PIN,
                ),
            ),
            Fieldset(
                "terminal.legend.notification",
                (
                    named("moved_in_on", kind=DATE, required=True, check="past-date"),
                    ADDRESS,
                    NOTIFIED,
                ),
            ),
            household(),
            members(3, relationship=True),
        ),
        statute="terminal.statute.special-move-in",
    ),
    _special_move_in,
    _special_move_in_deadline,
)
