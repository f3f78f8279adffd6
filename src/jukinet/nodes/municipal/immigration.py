"""Notices of the immigration authority (住基法30条の50), applied to the register.

ISA tells the municipality where a foreign resident lives about each change it made. The CS
applies every notice of an envelope in the receiver's one unit of work, each through
``notices.record_change`` like any clerk's change, with the notice as the operator
(``immigration:<notice id>``):

* status, period of stay, card number, class and nationality are items only the register
  holds: a local change (``residence-status-change``), nothing is notified upward;
* name, date of birth and sex are identity information: a correction
  (``immigration-correction``) that reaches the prefecture and national nodes;
* departure and loss of status remove the record (``foreign-resident-removal``), and the
  person leaves their household as any removal does.

Each notice is answered on its own: ``applied``; ``duplicate`` (its id was applied before);
``no-such-resident`` (nobody here holds the card — they moved away, say); or ``refused`` with
the reason, when the notice contradicts the record (the name and date of birth are not those
of the card's holder, the change does not fit the person's class …). A refused notice changes
nothing and does not hold back the others. A notice for another municipality refuses the whole
envelope (``route-refused``): the sender is misaddressing, not the person's record.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from jukinet.domain.changes import ChangeReason
from jukinet.domain.dates import past_date
from jukinet.domain.errors import Conflict, DomainError, InvalidValue
from jukinet.domain.matching import name_key
from jukinet.domain.residents import (
    ForeignResidentBlock,
    ForeignResidentClass,
    PersonName,
    Resident,
)
from jukinet.nodes.municipal.amendments import leave_household
from jukinet.nodes.municipal.notices import record_change, snapshot
from jukinet.nodes.municipal.office import Office
from jukinet.nodes.ports import Clock, MunicipalImmigrationUnitOfWork
from jukinet.protocol.bodies.immigration import NoticeAnswer, NoticeKind, NoticeOutcome
from jukinet.protocol.catalogue import ImmigrationNotice, ImmigrationNoticeReceipt
from jukinet.protocol.directory import NodeEntry
from jukinet.protocol.envelope import Envelope
from jukinet.protocol.errors import RouteRefused

MID, SPECIAL = ForeignResidentClass.MID_TO_LONG_TERM, ForeignResidentClass.SPECIAL_PERMANENT
CARD_HOLDERS = (MID, SPECIAL)


@dataclass(frozen=True, slots=True)
class ApplyImmigrationNotices:
    """The CS handler of ``immigration.notice`` (only the immigration node may send it)."""

    office: Office
    clock: Clock

    def __call__(
        self,
        uow: MunicipalImmigrationUnitOfWork,
        sender: NodeEntry,
        envelope: Envelope,
        bodies: tuple[ImmigrationNotice, ...],
    ) -> ImmigrationNoticeReceipt:
        here = self.office.municipality_code
        for notice in bodies:
            if notice.municipality_code != here:
                raise RouteRefused(
                    f"notice {notice.notice_id} is for {notice.municipality_code}; "
                    f"this node keeps the register of {here} only"
                )
        return ImmigrationNoticeReceipt(
            tuple(
                self._answer(uow, message.id, notice)
                for message, notice in zip(envelope.messages, bodies, strict=True)
            )
        )

    def _answer(
        self, uow: MunicipalImmigrationUnitOfWork, message_id: str, notice: ImmigrationNotice
    ) -> NoticeAnswer:
        def answer(outcome: NoticeOutcome, detail: str = "") -> NoticeAnswer:
            limit = ImmigrationNoticeReceipt.DETAIL_LIMIT
            return NoticeAnswer(message_id, notice.notice_id, outcome, detail[:limit])

        if uow.applied_notices.seen(notice.notice_id):
            return answer(NoticeOutcome.DUPLICATE)
        try:
            resident = find_holder(uow, notice)
            if resident is None:
                return answer(NoticeOutcome.NO_SUCH_RESIDENT, _nobody(notice))
            apply_notice(uow, self.office, self.clock, resident, notice)
        except DomainError as refusal:  # raised before anything was written
            return answer(NoticeOutcome.REFUSED, f"{refusal.field}: {refusal.problem}")
        uow.applied_notices.remember(
            notice.notice_id, message_id, resident.record_id, notice.kind.value, self.clock.now()
        )
        return answer(NoticeOutcome.APPLIED)


def _nobody(notice: ImmigrationNotice) -> str:
    if notice.card_number is None:
        return "no foreign resident here without a card has that name and date of birth"
    return f"no foreign resident registered here holds card {notice.card_number}"


def find_holder(uow: MunicipalImmigrationUnitOfWork, notice: ImmigrationNotice) -> Resident | None:
    """The active record the notice concerns, found by card number (or, for someone who holds
    none yet, by name and date of birth). Raises :class:`InvalidValue` when the card's holder
    is not the person the notice describes, and :class:`Conflict` when several people without
    a card fit the description."""
    if notice.card_number is not None:
        resident = uow.foreign_residents.by_card(notice.card_number)
        if resident is not None and not _same_person(resident, notice):
            raise InvalidValue(
                "card_number",
                f"the name and date of birth in the notice are not those recorded for the "
                f"holder of {notice.card_number}",
            )
        return resident
    found = [
        r for r in uow.foreign_residents.without_card(notice.birth_date) if _same_person(r, notice)
    ]
    if len(found) > 1:
        raise Conflict("card_number", f"{len(found)} residents without a card fit the notice")
    return found[0] if found else None


def _same_person(resident: Resident, notice: ImmigrationNotice) -> bool:
    """Names compare by their search keys, so 髙/高, widths and spaces do not matter."""
    recorded = name_key(resident.name.family + resident.name.given)
    noticed = name_key(notice.family_name + notice.given_name)
    return recorded == noticed and resident.birth_date == notice.birth_date


def apply_notice(
    uow: MunicipalImmigrationUnitOfWork,
    office: Office,
    clock: Clock,
    resident: Resident,
    notice: ImmigrationNotice,
) -> None:
    """Change ``resident`` as the notice says and record it; every check comes first."""
    today = clock.today()
    on = past_date("effective_on", notice.effective_on, today)
    before = snapshot(resident)
    reason = _change(resident, notice, on)
    record_change(
        uow,
        office,
        clock,
        resident,
        before=before,
        reason=reason,
        occurred_on=on,
        notified_on=today,
        operator=f"immigration:{notice.notice_id}",
    )
    if reason is ChangeReason.FOREIGN_RESIDENT_REMOVAL:
        leave_household(uow, resident.household_id, resident, on)


def _change(resident: Resident, notice: ImmigrationNotice, on: date) -> ChangeReason:
    """Apply the notice to the record in memory; return the reason to record it under."""
    resident.require_active()
    kind, new = notice.kind, notice.changes
    if kind.ends_stay:
        resident.remarks = f"{kind.label}: {new.cause}" if new.cause else kind.label
        try:
            resident.remove(ChangeReason.FOREIGN_RESIDENT_REMOVAL, on)
        except InvalidValue:  # the record's own dates stay here: say only what is wrong
            raise InvalidValue("effective_on", "is before the person was recorded here") from None
        return ChangeReason.FOREIGN_RESIDENT_REMOVAL
    if kind.corrects_identity:
        _correct_identity(resident, notice, on)
        return ChangeReason.IMMIGRATION_CORRECTION
    resident.foreign = _new_block(_block(resident), notice)
    return ChangeReason.RESIDENCE_STATUS_CHANGE


def _block(resident: Resident) -> ForeignResidentBlock:
    if resident.foreign is None:  # found by card, so never; kept for the type checker
        raise Conflict("card_number", "the record is not a foreign resident's")
    return resident.foreign


def _correct_identity(resident: Resident, notice: ImmigrationNotice, on: date) -> None:
    new = notice.changes
    if notice.kind is NoticeKind.NAME_CHANGE:
        # A new name drops the old furigana; 旧氏 and 通称 stay as recorded.
        name = PersonName.of(
            new.family_name,
            new.given_name,
            former_surname=resident.name.former_surname,
            alias=resident.name.alias,
        )
        if (name.family, name.given) == (resident.name.family, resident.name.given):
            raise Conflict("changes.family_name", "the name is the one already recorded")
        resident.rename(name, on, ChangeReason.IMMIGRATION_CORRECTION)
        return
    if notice.kind is NoticeKind.BIRTH_DATE_CHANGE:
        assert new.birth_date is not None
        born = past_date("changes.birth_date", new.birth_date, on)
        if born == resident.birth_date:
            raise Conflict("changes.birth_date", "the date is the one already recorded")
        resident.birth_date = born
    else:
        assert new.sex is not None
        if new.sex is resident.sex:
            raise Conflict("changes.sex", "the sex is the one already recorded")
        resident.sex = new.sex
    resident.note_change(ChangeReason.IMMIGRATION_CORRECTION, on)


def _new_block(block: ForeignResidentBlock, notice: ImmigrationNotice) -> ForeignResidentBlock:
    """The foreign items after the notice; the block's own rules check the result."""
    kind, new = notice.kind, notice.changes
    if kind is NoticeKind.NATIONALITY_CHANGE:
        if new.nationality == block.nationality:
            raise Conflict("changes.nationality", "the nationality is the one already recorded")
        return replace(block, nationality=new.nationality or "")
    _require_class(block, kind)
    if new.card_number == block.card_number:
        raise Conflict("changes.card_number", f"{block.card_number} is the card already recorded")
    if kind is NoticeKind.CARD_REISSUE:
        return replace(block, card_number=new.card_number or "")
    if kind is NoticeKind.SPECIAL_PERMANENT_PERMISSION:
        return ForeignResidentBlock(
            SPECIAL,
            block.nationality,
            block.became_foreign_resident_on,
            card_number=new.card_number or "",
        )
    return ForeignResidentBlock(
        MID,
        block.nationality,
        block.became_foreign_resident_on,
        residence_status=new.residence_status or "",
        period_of_stay=new.period_of_stay or "",
        stay_expires_on=new.stay_expires_on,
        card_number=new.card_number or "",
    )


_ALLOWED_CLASSES = {
    NoticeKind.STATUS_CHANGE: (MID,),
    NoticeKind.PERIOD_EXTENSION: (MID,),
    NoticeKind.CARD_REISSUE: CARD_HOLDERS,
    NoticeKind.STATUS_ACQUIRED: tuple(c for c in ForeignResidentClass if c not in CARD_HOLDERS),
    NoticeKind.SPECIAL_PERMANENT_PERMISSION: tuple(
        c for c in ForeignResidentClass if c is not SPECIAL
    ),
}


def _require_class(block: ForeignResidentBlock, kind: NoticeKind) -> None:
    if block.resident_class not in _ALLOWED_CLASSES[kind]:
        raise Conflict(
            "kind",
            f"{kind.value} does not apply to a resident recorded as {block.resident_class.value}",
        )
