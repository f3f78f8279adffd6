"""消除 at the window: the events by which a record ends here — move-out (with the 転出証明書),
the card holder's 特例転出, death, and removal ex officio."""

from __future__ import annotations

from jukinet.domain import deadlines
from jukinet.domain.moves import MoveOutChannel
from jukinet.nodes.municipal import departures, special_moves
from jukinet.nodes.municipal.codes import CodeSupply
from jukinet.web.screens.terminal.event_forms import (
    CARD_NUMBER,
    NOTIFIED,
    RESIDENT,
    Done,
    Event,
    FormData,
    code_of,
    counted_from,
    members,
    named,
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

# --- 消除: records that end here ---------------------------------------------------------


def _move_out(data: FormData, operator: str, supply: CodeSupply) -> Done:
    result = departures.record_move_out(data, operator, supply)
    certificate = result.certificate
    return Done(
        (result.resident_code,),
        (("terminal.done.resident_code", result.resident_code),),
        certificate=None if certificate is None else certificate.to_wire(),
    )


MOVE_OUT = Event(
    "move-out",
    "terminal.group.removal",
    FormSpec(
        "terminal.event.move-out",
        (
            Fieldset(
                "terminal.legend.event",
                (
                    RESIDENT,
                    named("planned_on", kind=DATE, required=True, check="date"),
                    named("destination", required=True, check="address"),
                    named("abroad", kind=CHECKBOX),
                    NOTIFIED,
                ),
            ),
        ),
        statute="terminal.statute.move-out",
    ),
    _move_out,
    counted_from(deadlines.move_out, "planned_on"),
)


def _special_move_out(data: FormData, operator: str, supply: CodeSupply) -> Done:
    result = special_moves.record_special_move_out(data, operator, supply)
    return Done(
        result.resident_codes,
        (
            *(("terminal.done.resident_code", code) for code in result.resident_codes),
            ("terminal.done.destination_code", result.destination_code),
            *(("terminal.done.certificate_id", cid) for cid in result.certificate_ids),
        ),
    )


SPECIAL_MOVE_OUT = Event(
    "special-move-out",
    "terminal.group.removal",
    FormSpec(
        "terminal.event.special-move-out",
        (
            Fieldset(
                "terminal.legend.event",
                (
                    RESIDENT,
                    CARD_NUMBER,
                    named(
                        "channel",
                        kind=SELECT,
                        required=True,
                        options=choice(MoveOutChannel),
                        option_labels="terminal.channel",
                    ),
                    named("planned_on", kind=DATE, required=True, check="date"),
                    named("destination", required=True, check="address"),
                    named(
                        "destination_code",
                        required=True,
                        check="municipality",
                        attrs='inputmode="numeric"',
                    ),
                    named("visit_planned_on", kind=DATE, check="date"),
                    NOTIFIED,
                ),
            ),
            members(3, relationship=False),
        ),
        statute="terminal.statute.special-move-out",
    ),
    _special_move_out,
    counted_from(deadlines.special_move_out, "planned_on"),
)


def _death(data: FormData, operator: str, supply: CodeSupply) -> Done:
    departures.record_death(data, operator, supply)
    return Done((code_of(data),), (("terminal.done.removed", code_of(data)),))


DEATH = Event(
    "death",
    "terminal.group.removal",
    FormSpec(
        "terminal.event.death",
        (
            Fieldset(
                "terminal.legend.event",
                (RESIDENT, named("died_on", kind=DATE, required=True, check="past-date"), NOTIFIED),
            ),
        ),
        statute="terminal.statute.death",
    ),
    _death,
    counted_from(deadlines.death, "died_on"),
)


def _ex_officio_removal(data: FormData, operator: str, supply: CodeSupply) -> Done:
    departures.remove_ex_officio(data, operator, supply)
    return Done((code_of(data),), (("terminal.done.removed", code_of(data)),))


EX_OFFICIO_REMOVAL = Event(
    "ex-officio-removal",
    "terminal.group.removal",
    FormSpec(
        "terminal.event.ex-officio-removal",
        (
            Fieldset(
                "terminal.legend.event",
                (
                    RESIDENT,
                    named("removed_on", kind=DATE, required=True, check="past-date"),
                    named("note", kind=TEXTAREA, required=True),
                ),
            ),
        ),
        statute="terminal.statute.ex-officio-removal",
    ),
    _ex_officio_removal,
)
