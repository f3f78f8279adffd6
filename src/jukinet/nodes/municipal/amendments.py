"""Corrections of a living record (記載の修正): move within the municipality (転居),
household change (世帯変更, which stays local), name change (氏名変更) and ex-officio
correction (職権修正)."""

from __future__ import annotations

import uuid
from datetime import date

from jukinet.domain.changes import ChangeReason
from jukinet.domain.errors import Conflict, InvalidValue, NotFound
from jukinet.domain.identity import Sex
from jukinet.domain.residents import Household, Relationship, Resident
from jukinet.nodes.municipal.codes import CodeSupply
from jukinet.nodes.municipal.forms import Form, HouseholdChoice
from jukinet.nodes.municipal.notices import active_resident, record_change, snapshot
from jukinet.nodes.ports import MunicipalUnitOfWork


def _save(
    uow: MunicipalUnitOfWork,
    supply: CodeSupply,
    resident: Resident,
    before: dict[str, object],
    reason: ChangeReason,
    on: date,
    notified_on: date,
    operator: str,
) -> None:
    record_change(
        uow,
        supply.office,
        supply.clock,
        resident,
        before=before,
        reason=reason,
        occurred_on=on,
        notified_on=notified_on,
        operator=operator,
    )


def record_move_within(data: object, operator: str, supply: CodeSupply) -> list[str]:
    """転居: the person — and, by default, their whole household — moves to a new address here.

    Returns the codes of everyone who moved.
    """
    today = supply.clock.today()
    form = Form(data, today)
    resident_code = form.resident_code()
    address = form.address()
    moved_on = form.past("moved_on")
    notified_on = form.past_or("notified_on", today)
    whole_household = form.boolean("whole_household", default=True)
    with supply.unit_of_work() as uow:
        resident = active_resident(uow, resident_code)
        old_household = resident.household_id
        if whole_household:
            movers = uow.residents.members(old_household)
            household = uow.households.get(old_household)
        else:  # one person leaves to live alone at the new address: a household of their own
            movers = [resident]
            household = _new_household(uow, supply, resident, address, moved_on)
        for mover in movers:
            before = snapshot(mover)
            mover.move_within(address, moved_on)
            if household is not None and mover.household_id != household.household_id:
                mover.household_id, mover.relationship = household.household_id, Relationship.HEAD
            _save(
                uow,
                supply,
                mover,
                before,
                ChangeReason.MOVE_WITHIN,
                moved_on,
                notified_on,
                operator,
            )
        if household is not None and whole_household:
            household.address = address
            uow.households.update(household)
        if not whole_household:
            leave_household(uow, old_household, resident, moved_on)
        uow.commit()
    return [m.resident_code for m in movers]


def _new_household(
    uow: MunicipalUnitOfWork, supply: CodeSupply, head: Resident, address: str, on: date
) -> Household:
    household = Household(
        uuid.uuid4().hex, supply.office.municipality_code, address, head.record_id, on
    )
    uow.households.add(household)
    return household


def change_household(data: object, operator: str, supply: CodeSupply) -> Resident:
    """世帯変更: join another household at the same address, or start one as its head.

    A local change: the household is not identity information, so nothing is notified.
    """
    today = supply.clock.today()
    form = Form(data, today)
    resident_code = form.resident_code()
    choice = HouseholdChoice.read(form)
    changed_on = form.past("changed_on")
    notified_on = form.past_or("notified_on", today)
    with supply.unit_of_work() as uow:
        resident = active_resident(uow, resident_code)
        before = snapshot(resident)
        old_household = resident.household_id
        if choice.household_id is None:
            if resident.relationship is Relationship.HEAD:
                raise Conflict("household", "the person already heads their household")
            target = _new_household(uow, supply, resident, resident.address, changed_on)
        else:
            found = uow.households.get(choice.household_id)
            if found is None or found.ended_on is not None:
                raise NotFound(
                    "household.household_id", f"no current household {choice.household_id}"
                )
            if found.address != resident.address:
                raise InvalidValue(
                    "household.household_id",
                    "that household lives at another address; record a 転居 first",
                )
            if found.household_id == old_household:
                raise Conflict("household.household_id", "the person is already in that household")
            target = found
        # Not note_change: the identity information, and so its 変更情報, stays as notified.
        resident.household_id, resident.relationship = target.household_id, choice.relationship
        _save(
            uow,
            supply,
            resident,
            before,
            ChangeReason.HOUSEHOLD_CHANGE,
            changed_on,
            notified_on,
            operator,
        )
        leave_household(uow, old_household, resident, changed_on)
        uow.commit()
    return resident


def leave_household(
    uow: MunicipalUnitOfWork, household_id: str, leaver: Resident, on: date
) -> None:
    """After ``leaver`` left (moved, died, joined another household): the household ends if
    nobody is left, and if they headed it, it waits for a new head to be named."""
    household = uow.households.get(household_id)
    if household is None:
        return
    if household.head_record_id == leaver.record_id:
        household.head_record_id = None
    if not uow.residents.members(household_id):
        household.ended_on = on
    uow.households.update(household)


def change_name(data: object, operator: str, supply: CodeSupply) -> Resident:
    """氏名変更 (marriage, adoption, a court's permission …), with furigana, 旧氏 and 通称.

    Parts of the name left out of the form keep their recorded value. A changed family or
    given name needs its own furigana in the same form (an empty string if not known): the
    old reading belongs to the old name.
    """
    today = supply.clock.today()
    form = Form(data, today)
    resident_code = form.resident_code()
    changed_on = form.past("changed_on")
    notified_on = form.past_or("notified_on", today)
    with supply.unit_of_work() as uow:
        resident = active_resident(uow, resident_code)
        name = form.person_name(current=resident.name)
        for part, kana in (("family", "family_name_kana"), ("given", "given_name_kana")):
            if getattr(name, part) != getattr(resident.name, part) and kana not in form.data:
                raise InvalidValue(
                    kana, f"give the furigana of the new {part} name ('' if unknown)"
                )
        if name == resident.name:
            raise Conflict("family_name", "the new name is the same as the recorded one")
        before = snapshot(resident)
        resident.rename(name, changed_on, ChangeReason.NAME_CHANGE)
        _save(
            uow,
            supply,
            resident,
            before,
            ChangeReason.NAME_CHANGE,
            changed_on,
            notified_on,
            operator,
        )
        uow.commit()
    return resident


def correct_record(data: object, operator: str, supply: CodeSupply) -> Resident:
    """職権修正: fix recorded items that were wrong (a mistyped name, kana, date of birth, sex,
    address). Only the items present in the form change; ``note`` says why."""
    today = supply.clock.today()
    form = Form(data, today)
    resident_code = form.resident_code()
    note = form.text("note", 400)
    with supply.unit_of_work() as uow:
        resident = active_resident(uow, resident_code)
        before = snapshot(resident)
        if form.has_name():
            resident.name = form.person_name(current=resident.name)
        if form.has("birth_date"):
            resident.birth_date = form.past("birth_date")
        if form.has("sex"):
            resident.sex = form.choice("sex", Sex)
        if form.has("address"):
            resident.address = form.address()
        if snapshot(resident) == before:
            raise InvalidValue(
                "body", "give at least one item to correct that differs from the record"
            )
        resident.remarks = note
        resident.note_change(ChangeReason.EX_OFFICIO_CORRECTION, today)
        _save(
            uow,
            supply,
            resident,
            before,
            ChangeReason.EX_OFFICIO_CORRECTION,
            today,
            today,
            operator,
        )
        uow.commit()
    return resident
