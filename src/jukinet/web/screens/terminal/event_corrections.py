"""記載の修正 at the window — move within, household change, name change, correction ex
officio — and the codes and the card: a new 住民票コード or 個人番号, the card's continued use."""

from __future__ import annotations

from jukinet.domain import deadlines
from jukinet.domain.identity import Sex
from jukinet.nodes.municipal import amendments, codes, special_moves
from jukinet.nodes.municipal.codes import CodeSupply
from jukinet.nodes.municipal.forms import Form
from jukinet.web.screens.terminal.event_forms import (
    ADDRESS,
    CARD_NUMBER,
    NOTIFIED,
    PIN,
    RESIDENT,
    Done,
    Event,
    FormData,
    counted_from,
    household,
    name_parts,
    named,
    person,
    summary,
)
from jukinet.web.screens.terminal.fields import (
    CHECKBOX,
    DATE,
    SELECT,
    TEXTAREA,
    Fieldset,
    FormSpec,
    choice,
)

# --- 記載の修正: records that change --------------------------------------------------------


def _move_within(data: FormData, operator: str, supply: CodeSupply) -> Done:
    moved = amendments.record_move_within(data, operator, supply)
    return Done(tuple(moved), tuple(("terminal.done.moved", code) for code in moved))


MOVE_WITHIN = Event(
    "move-within",
    "terminal.group.correction",
    FormSpec(
        "terminal.event.move-within",
        (
            Fieldset(
                "terminal.legend.event",
                (
                    RESIDENT,
                    ADDRESS,
                    named("moved_on", kind=DATE, required=True, check="past-date"),
                    named("whole_household", kind=CHECKBOX, default="true"),
                    NOTIFIED,
                ),
            ),
        ),
        statute="terminal.statute.move-within",
    ),
    _move_within,
    counted_from(deadlines.move_within, "moved_on"),
)


def _household_change(data: FormData, operator: str, supply: CodeSupply) -> Done:
    return summary(amendments.change_household(data, operator, supply))


HOUSEHOLD_CHANGE = Event(
    "household-change",
    "terminal.group.correction",
    FormSpec(
        "terminal.event.household-change",
        (
            Fieldset(
                "terminal.legend.event",
                (
                    RESIDENT,
                    named("changed_on", kind=DATE, required=True, check="past-date"),
                    NOTIFIED,
                ),
            ),
            household(),
        ),
        statute="terminal.statute.household-change",
    ),
    _household_change,
    counted_from(deadlines.household_change, "changed_on"),
)


def _name_change(data: FormData, operator: str, supply: CodeSupply) -> Done:
    return summary(amendments.change_name(data, operator, supply))


NAME_CHANGE = Event(
    "name-change",
    "terminal.group.correction",
    FormSpec(
        "terminal.event.name-change",
        (
            Fieldset(
                "terminal.legend.event",
                (
                    RESIDENT,
                    named("changed_on", kind=DATE, required=True, check="past-date"),
                    NOTIFIED,
                ),
            ),
            person(required_name=False),
        ),
        statute="terminal.statute.name-change",
    ),
    _name_change,
)


def _correction(data: FormData, operator: str, supply: CodeSupply) -> Done:
    return summary(amendments.correct_record(data, operator, supply))


CORRECTION = Event(
    "correction",
    "terminal.group.correction",
    FormSpec(
        "terminal.event.correction",
        (
            Fieldset(
                "terminal.legend.event", (RESIDENT, named("note", kind=TEXTAREA, required=True))
            ),
            Fieldset(
                "terminal.legend.corrected",
                (
                    *name_parts(required=False),
                    named("birth_date", kind=DATE, check="past-date"),
                    named("sex", kind=SELECT, options=choice(Sex), option_labels="terminal.sex"),
                    named("address", check="address"),
                ),
            ),
        ),
        statute="terminal.statute.correction",
    ),
    _correction,
)

# --- codes and the card ------------------------------------------------------------------


def _resident_code_change(data: FormData, operator: str, supply: CodeSupply) -> Done:
    today = supply.clock.today()
    read = Form(data, today)
    old = read.resident_code()
    new = codes.change_resident_code(old, read.past_or("requested_on", today), operator, supply)
    return Done(
        (new, old),
        (("terminal.done.new_resident_code", new), ("terminal.done.old_resident_code", old)),
    )


REQUESTED = named("requested_on", kind=DATE, check="past-date", hint="terminal.hint.notified_on")

RESIDENT_CODE_CHANGE = Event(
    "resident-code-change",
    "terminal.group.codes",
    FormSpec(
        "terminal.event.resident-code-change",
        (Fieldset("terminal.legend.event", (RESIDENT, REQUESTED)),),
        statute="terminal.statute.resident-code-change",
    ),
    _resident_code_change,
)


def _my_number_change(data: FormData, operator: str, supply: CodeSupply) -> Done:
    today = supply.clock.today()
    read = Form(data, today)
    code = read.resident_code()
    new = codes.change_my_number(code, read.past_or("requested_on", today), operator, supply)
    return Done((code,), (("terminal.done.my_number", new),))


MY_NUMBER_CHANGE = Event(
    "my-number-change",
    "terminal.group.codes",
    FormSpec(
        "terminal.event.my-number-change",
        (Fieldset("terminal.legend.event", (RESIDENT, REQUESTED)),),
        statute="terminal.statute.my-number-change",
    ),
    _my_number_change,
)


def _card_continuation(data: FormData, operator: str, supply: CodeSupply) -> Done:
    done = special_moves.continue_card_use(data, operator, supply)
    return Done((done.resident_code,), (("terminal.done.card_number", done.card_number),))


CARD_CONTINUATION = Event(
    "card-continuation",
    "terminal.group.codes",
    FormSpec(
        "terminal.event.card-continuation",
        (
            Fieldset(
                "terminal.legend.card",
                (
                    RESIDENT,
                    CARD_NUMBER,
                    PIN,
                ),
            ),
        ),
        statute="terminal.statute.card-continuation",
    ),
    _card_continuation,
)
