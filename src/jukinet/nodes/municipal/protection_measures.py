"""支援措置 (DV and similar support measures) through their lifecycle, and their alerts.

apply → (provisional, 仮支援措置) → granted (active) → extended … → ended, or refused. While a
measure protects (provisional, active, extended) every person it covers — the applicant and
the co-residents included — carries the suppressions of ``MEASURE_SUPPRESSIONS``: copies and
the inspection list refused, look-ups and change entry flagged. Ending or refusing the measure
releases them (a real release, on the feed). When granted, the measure is told to the related
municipalities on the network (``protection_notices``). When the applicant moves out, the
measure here turns into a provisional one as the former-address municipality
(``keep_protection_after_move_out``, called by ``departures``), which nothing but a clerk's
decision ends.

Steps that start or extend protection need SUPPRESSION_SET; steps that end it need
SUPPRESSION_RELEASE.
"""

from __future__ import annotations

import uuid
from datetime import date

from jukinet.domain.errors import InvalidValue, NotFound
from jukinet.domain.municipalities import municipality
from jukinet.domain.operators import Permission, Principal
from jukinet.domain.residents import Resident
from jukinet.domain.suppressions import (
    MEASURE_SUPPRESSIONS,
    Alert,
    AlertKind,
    MeasureOrigin,
    MeasureState,
    Relation,
    SupportMeasure,
    Suppression,
    SuppressionReason,
    Target,
)
from jukinet.nodes.municipal.forms import Form
from jukinet.nodes.municipal.notices import active_resident
from jukinet.nodes.municipal.protection import ProtectionDesk, add_suppression, release
from jukinet.nodes.municipal.protection_notices import send_measure_notices
from jukinet.nodes.ports import Clock, MunicipalUnitOfWork


def apply_for_measure(form: object, principal: Principal, desk: ProtectionDesk) -> SupportMeasure:
    """A 支援措置申出 accepted at the window.

    ``co_residents`` (住民票コード of people at the applicant's address) are protected with
    them; ``related`` lists the municipalities to tell once granted (``municipality_code`` and
    ``relation``: former-address, domicile, former-domicile). ``provisional`` (default true)
    protects everyone at once as a 仮支援措置 until the decision.
    """
    principal.require(Permission.SUPPRESSION_SET)
    data = Form(form, desk.clock.today())
    applied_on = data.past_or("applied_on", data.today)
    with desk.unit_of_work() as uow:
        applicant = active_resident(uow, data.resident_code())
        co_residents = _co_residents(uow, data, applicant)
        measure = SupportMeasure(
            measure_id=uuid.uuid4().hex,
            resident_code=applicant.resident_code,
            state=MeasureState.APPLIED,
            origin=MeasureOrigin.APPLICATION,
            applied_on=applied_on,
            recorded_by=principal.operator_id,
            co_residents=co_residents,
            related=_related(data, desk),
            note=data.text("note", 400, required=False),
        )
        if data.boolean("provisional", True):
            measure.make_provisional(applied_on, principal.operator_id)
            protect(uow, desk.clock, measure, principal.operator_id)
        uow.protection.add_measure(measure)
        uow.commit()
    return measure


def _co_residents(uow: MunicipalUnitOfWork, form: Form, applicant: Resident) -> tuple[str, ...]:
    raw = form.data.get("co_residents", [])
    if not isinstance(raw, list):
        raise InvalidValue("co_residents", "expected a list of 住民票コード")
    codes = []
    for index, value in enumerate(raw):
        field_name = f"co_residents[{index}]"
        code = Form({"c": value}, form.today, field_name + ".").resident_code("c")
        person = uow.residents.active_by_code(code)
        if person is None or person.address != applicant.address:
            raise InvalidValue(field_name, f"{code} does not live at the applicant's address")
        if code == applicant.resident_code:
            raise InvalidValue(field_name, "is the applicant")
        codes.append(code)
    return tuple(dict.fromkeys(codes))


def _related(form: Form, desk: ProtectionDesk) -> tuple[tuple[str, Relation], ...]:
    raw = form.data.get("related", [])
    if not isinstance(raw, list):
        raise InvalidValue("related", "expected a list of {municipality_code, relation}")
    related = []
    for index, item in enumerate(raw):
        entry = Form(item, form.today, f"related[{index}].")
        relation = entry.choice("relation", Relation)
        field_name = f"related[{index}].municipality_code"
        code = municipality(entry.data.get("municipality_code"), field_name).code.value
        desk.office.reaches(code, field_name)  # refuses this municipality itself
        related.append((code, relation))
    return tuple(dict.fromkeys(related))


def protect(uow: MunicipalUnitOfWork, clock: Clock, measure: SupportMeasure, by: str) -> None:
    """Set the measure's suppressions on everyone it covers who has none from it yet."""
    covered = {
        s.target_id for s in uow.protection.of_measure(measure.measure_id) if not s.released_at
    }
    for code in measure.protected:
        if code in covered:
            continue
        for level, processes in MEASURE_SUPPRESSIONS:
            add_suppression(
                uow,
                clock,
                Suppression(
                    suppression_id=uuid.uuid4().hex,
                    target=Target.PERSON,
                    target_id=code,
                    reason=SuppressionReason.SUPPORT_MEASURE,
                    processes=processes,
                    level=level,
                    starts_on=clock.today(),
                    ends_on=measure.ends_on,
                    set_by=by,
                    set_at=clock.now(),
                    measure_id=measure.measure_id,
                ),
            )


def _unprotect(uow: MunicipalUnitOfWork, clock: Clock, measure: SupportMeasure, by: str) -> None:
    for suppression in uow.protection.of_measure(measure.measure_id):
        if suppression.released_at is None:
            release(uow, clock, suppression, by)


def _measure(uow: MunicipalUnitOfWork, measure_id: str) -> SupportMeasure:
    found = uow.protection.measure(measure_id)
    if found is None:
        raise NotFound("measure_id", f"no support measure {measure_id} here")
    return found


def decide_provisionally(
    measure_id: str, principal: Principal, desk: ProtectionDesk
) -> SupportMeasure:
    """仮支援措置 for an application (or another municipality's request) not yet decided."""
    principal.require(Permission.SUPPRESSION_SET)
    with desk.unit_of_work() as uow:
        measure = _measure(uow, measure_id)
        measure.make_provisional(desk.clock.today(), principal.operator_id)
        protect(uow, desk.clock, measure, principal.operator_id)
        uow.protection.update_measure(measure)
        uow.commit()
    return measure


def grant_measure(
    measure_id: str, principal: Principal, desk: ProtectionDesk, notified_on: date | None = None
) -> SupportMeasure:
    """The need was confirmed: the first period starts (from acceptance or from notification,
    as the policy says) and the related municipalities on the network are told."""
    principal.require(Permission.SUPPRESSION_SET)
    today = desk.clock.today()
    with desk.unit_of_work() as uow:
        measure = _measure(uow, measure_id)
        measure.grant(measure.applied_on, notified_on or today, desk.policy, principal.operator_id)
        protect(uow, desk.clock, measure, principal.operator_id)
        _follow_period(uow, measure)
        uow.protection.update_measure(measure)
        send_measure_notices(uow, desk.office, measure, desk.clock.now())
        uow.commit()
    return measure


def extend_measure(measure_id: str, principal: Principal, desk: ProtectionDesk) -> SupportMeasure:
    """Another period, accepted from a month (the policy's window) before the end."""
    principal.require(Permission.SUPPRESSION_SET)
    with desk.unit_of_work() as uow:
        measure = _measure(uow, measure_id)
        measure.extend(desk.clock.today(), desk.policy, principal.operator_id)
        _follow_period(uow, measure)
        uow.protection.update_measure(measure)
        uow.commit()
    return measure


def _follow_period(uow: MunicipalUnitOfWork, measure: SupportMeasure) -> None:
    """The measure's suppressions carry its end date (a date to review, never an end)."""
    for suppression in uow.protection.of_measure(measure.measure_id):
        if suppression.released_at is None and suppression.ends_on != measure.ends_on:
            suppression.ends_on = measure.ends_on
            uow.protection.update_suppression(suppression)


def refuse_measure(measure_id: str, principal: Principal, desk: ProtectionDesk) -> SupportMeasure:
    """The need was not confirmed: the provisional protection is released."""
    principal.require(Permission.SUPPRESSION_RELEASE)
    with desk.unit_of_work() as uow:
        measure = _measure(uow, measure_id)
        measure.refuse(desk.clock.today(), principal.operator_id)
        _unprotect(uow, desk.clock, measure, principal.operator_id)
        uow.protection.update_measure(measure)
        uow.commit()
    return measure


def end_measure(measure_id: str, principal: Principal, desk: ProtectionDesk) -> SupportMeasure:
    """On the person's request, after the period, or when no longer needed."""
    principal.require(Permission.SUPPRESSION_RELEASE)
    with desk.unit_of_work() as uow:
        measure = _measure(uow, measure_id)
        measure.end(desk.clock.today(), principal.operator_id)
        _unprotect(uow, desk.clock, measure, principal.operator_id)
        uow.protection.update_measure(measure)
        uow.commit()
    return measure


def protection_alerts(principal: Principal, desk: ProtectionDesk) -> list[Alert]:
    """Everything the clerks should look at today: measures awaiting a decision, provisional
    ones overdue, periods ending within the window or ended, suppressions past their end."""
    principal.require(Permission.RESIDENT_READ)
    today = desk.clock.today()
    with desk.unit_of_work() as uow:
        alerts = [a for m in uow.protection.open_measures() for a in m.alerts(today, desk.policy)]
        for s in uow.protection.unreleased():
            if s.past_end(today) and s.measure_id is None and s.ends_on is not None:
                alerts.append(
                    Alert(
                        AlertKind.SUPPRESSION_PAST_END,
                        s.target_id,
                        s.suppression_id,
                        s.ends_on,
                        s.reason.value,
                    )
                )
    return sorted(alerts, key=lambda a: (a.since, a.kind.value, a.subject_id))


def measures_of(
    resident_code: str, principal: Principal, desk: ProtectionDesk
) -> list[SupportMeasure]:
    principal.require(Permission.RESIDENT_READ)
    with desk.unit_of_work() as uow:
        return uow.protection.measures_covering(resident_code)


def keep_protection_after_move_out(uow: MunicipalUnitOfWork, resident: Resident, on: date) -> None:
    """The record of ``resident`` was just removed for a move-out: each protecting measure of
    which they are the applicant goes on here, provisionally, as the former address's."""
    for measure in uow.protection.measures_covering(resident.resident_code):
        if measure.resident_code == resident.resident_code and measure.keep_as_former_address(on):
            uow.protection.update_measure(measure)
