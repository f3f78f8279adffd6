"""Records that end here (消除): moving out (転出, with the certificate it produces), moving
abroad, death, and removal ex officio (職権消除). The record is kept, marked removed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from jukinet.domain.certificates import MoveOutCertificate
from jukinet.domain.changes import ChangeReason
from jukinet.domain.errors import InvalidValue
from jukinet.domain.residents import Resident
from jukinet.nodes.municipal.amendments import leave_household
from jukinet.nodes.municipal.codes import CodeSupply
from jukinet.nodes.municipal.forms import Form
from jukinet.nodes.municipal.notices import active_resident, record_change, snapshot
from jukinet.nodes.municipal.protection_measures import keep_protection_after_move_out
from jukinet.nodes.ports import MunicipalUnitOfWork

# 転出届 may be filed in advance; in practice it is accepted up to 14 days after the move.
MOVE_OUT_ADVANCE_DAYS = 60


@dataclass(frozen=True, slots=True)
class MoveOutResult:
    resident_code: str
    certificate: MoveOutCertificate | None  # None when moving abroad


def _remove(
    uow: MunicipalUnitOfWork,
    supply: CodeSupply,
    resident_code: str,
    reason: ChangeReason,
    on: date,
    notified_on: date,
    operator: str,
    *,
    date_field: str,
    destination: str = "",
) -> None:
    resident = active_resident(uow, resident_code)
    before = snapshot(resident)
    try:
        resident.remove(reason, on, destination)
    except InvalidValue as error:  # name the form's date field, not the domain's
        raise InvalidValue(date_field, error.problem) from None
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
    leave_household(uow, resident.household_id, resident, on)
    if reason in (ChangeReason.MOVE_OUT, ChangeReason.MOVE_ABROAD):  # 支援措置 stay, provisionally
        keep_protection_after_move_out(uow, resident, on)


def certificate_for(
    uow: MunicipalUnitOfWork,
    resident: Resident,
    *,
    destination: str,
    planned_on: date,
    issued_on: date,
) -> MoveOutCertificate:
    """The 転出証明書 of ``resident`` (active), with the household items it certifies."""
    household = uow.households.get(resident.household_id)
    head = None
    if household is not None and household.head_record_id is not None:
        head = uow.residents.get(household.head_record_id)
    return MoveOutCertificate(
        certificate_id=uuid.uuid4().hex[:16].upper(),
        issuer=resident.municipality_code,
        resident_code=resident.resident_code,
        my_number=resident.my_number,
        family_name=resident.name.family,
        given_name=resident.name.given,
        birth_date=resident.birth_date,
        sex=resident.sex,
        address=resident.address,
        destination=destination,
        planned_on=planned_on,
        issued_on=issued_on,
        domicile=resident.domicile,
        family_name_kana=resident.name.family_kana,
        given_name_kana=resident.name.given_kana,
        relationship=resident.relationship,
        head_name="" if head is None else f"{head.name.family}　{head.name.given}".strip("　"),
        foreign=resident.foreign,
    )


def remove_for_move_out(
    uow: MunicipalUnitOfWork,
    supply: CodeSupply,
    resident_code: str,
    *,
    planned_on: date,
    notified_on: date,
    operator: str,
    destination: str,
) -> None:
    """消除 for a move to another municipality, as of the planned date."""
    _remove(
        uow,
        supply,
        resident_code,
        ChangeReason.MOVE_OUT,
        planned_on,
        notified_on,
        operator,
        date_field="planned_on",
        destination=destination,
    )


def record_move_out(data: object, operator: str, supply: CodeSupply) -> MoveOutResult:
    """転出 (planned): remove the record as of the planned date and issue the 転出証明書."""
    today = supply.clock.today()
    form = Form(data, today)
    resident_code = form.resident_code()
    planned_on = form.any_date("planned_on")
    if (planned_on - today).days > MOVE_OUT_ADVANCE_DAYS:
        raise InvalidValue("planned_on", f"is more than {MOVE_OUT_ADVANCE_DAYS} days ahead")
    abroad = form.boolean("abroad")
    destination = form.address("destination")
    notified_on = form.past_or("notified_on", today)
    reason = ChangeReason.MOVE_ABROAD if abroad else ChangeReason.MOVE_OUT
    with supply.unit_of_work() as uow:
        resident = active_resident(uow, resident_code)
        certificate = (
            None
            if abroad
            else certificate_for(
                uow, resident, destination=destination, planned_on=planned_on, issued_on=today
            )
        )
        _remove(
            uow,
            supply,
            resident_code,
            reason,
            planned_on,
            notified_on,
            operator,
            date_field="planned_on",
            destination=destination,
        )
        if certificate is not None:
            uow.certificates.issue(certificate)
        uow.commit()
    return MoveOutResult(resident_code, certificate)


def record_death(data: object, operator: str, supply: CodeSupply) -> None:
    """死亡: remove the record as of the date of death.

    A person who died after moving out but before any move-in (no 転入通知 has come back) is
    still this municipality's to record: the removal for 転出 becomes a removal for death, so
    every tier learns of the death and the unused certificate leads nowhere.
    """
    form = Form(data, supply.clock.today())
    resident_code = form.resident_code()
    died_on = form.past("died_on")
    notified_on = form.past_or("notified_on", supply.clock.today())
    with supply.unit_of_work() as uow:
        removed = None
        if uow.residents.active_by_code(resident_code) is None:
            removed = uow.residents.any_by_code(resident_code)
        if removed is not None:
            before = snapshot(removed)
            removed.die_after_move_out(died_on)
            record_change(
                uow,
                supply.office,
                supply.clock,
                removed,
                before=before,
                reason=ChangeReason.DEATH,
                occurred_on=died_on,
                notified_on=notified_on,
                operator=operator,
            )
            uow.commit()
            return
        _remove(
            uow,
            supply,
            resident_code,
            ChangeReason.DEATH,
            died_on,
            notified_on,
            operator,
            date_field="died_on",
        )
        uow.commit()


def remove_ex_officio(data: object, operator: str, supply: CodeSupply) -> None:
    """職権消除: the mayor found the person does not live here; ``note`` says how."""
    form = Form(data, supply.clock.today())
    resident_code = form.resident_code()
    removed_on = form.past("removed_on")
    note = form.text("note", 400)
    with supply.unit_of_work() as uow:
        resident = active_resident(uow, resident_code)
        resident.remarks = note
        uow.residents.update(resident)
        _remove(
            uow,
            supply,
            resident_code,
            ChangeReason.EX_OFFICIO_REMOVAL,
            removed_on,
            supply.clock.today(),
            operator,
            date_field="removed_on",
        )
        uow.commit()
