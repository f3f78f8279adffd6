"""The card holder's move (転入届の特例, 住基法24条の2) and the card's continued use.

1. **特例転出** at the old municipality — at the counter, by post or online — removes the
   holder (and the household members moving with them) as of the planned date and sends each
   person's 転出証明書情報 to the new municipality over the network. No paper is issued.
2. **特例転入** at the new municipality, in person: the card's PIN is checked by the card node,
   the window of :class:`~jukinet.domain.moves.SpecialMoveInWindow` must still be open, and each
   person keeps their 住民票コード and 個人番号. The 転入通知 goes back to the old municipality.
3. **継続利用**: within 90 days of the 転入届 the card is re-registered to the new municipality
   (the card node checks the PIN and the 90 days).

Network calls (the card node, the national node for a missing 個人番号) happen before the
register's unit of work opens (ADR 0010), so a wrong PIN never leaves a half-made record; it
does count against the card, as it would on the card's own chip.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from jukinet.domain.cards import (
    CONTINUED_USE_DAYS,
    check_card_number,
    check_pin,
    continued_use_deadline,
)
from jukinet.domain.certificates import CertificateInfo
from jukinet.domain.changes import ChangeReason
from jukinet.domain.errors import Conflict, InvalidValue, NotFound
from jukinet.domain.moves import (
    MoveOutChannel,
    SpecialMoveInWindow,
    check_special_move_out,
    move_in_is_late,
)
from jukinet.domain.residents import PersonName, Relationship, Resident
from jukinet.nodes.municipal.arrivals import NewRecord, check_household, create_record
from jukinet.nodes.municipal.codes import CodeSupply
from jukinet.nodes.municipal.departures import certificate_for, remove_for_move_out
from jukinet.nodes.municipal.forms import Form, HouseholdChoice
from jukinet.nodes.municipal.move_notices import send_certificate_info, send_move_in_notice
from jukinet.nodes.municipal.notices import active_resident
from jukinet.nodes.ports import MunicipalUnitOfWork
from jukinet.protocol.catalogue import (
    CardContinuedUse,
    CardContinuedUseVerdict,
    CardPinCheck,
    CardPinVerdict,
)
from jukinet.protocol.directory import CARD_ID

MOVE_IN = ChangeReason.MOVE_IN

# What a clerk tells the resident for each refusal of the card node.
CARD_REFUSALS = {
    "wrong-pin": "the PIN is wrong ({attempts_left} attempts left before the card locks)",
    "locked": "the card is locked after repeated wrong PINs; reset the PIN at the counter first",
    "expired": "the card has expired; the card route is closed: ask the old municipality "
    "for a paper 転出証明書",
    "suspended": "the card is suspended (一時停止); the card route is closed while it is",
    "revoked": "the card was revoked (廃止); the card route is closed: ask the old "
    "municipality for a paper 転出証明書",
    "unknown-card": "no such card is known to the card system",
    "not-holder": "the card belongs to someone else",
    "too-late": f"more than {CONTINUED_USE_DAYS} days have passed since the 転入届; the card "
    "can no longer be carried over (継続利用)",
}


class CardRefused(InvalidValue):
    """The card node did not accept the card or its PIN; ``outcome`` is its verdict."""

    def __init__(self, outcome: str, attempts_left: int) -> None:
        template = CARD_REFUSALS.get(outcome, "the card system refused the card ({outcome})")
        field_name = "pin" if outcome in ("wrong-pin", "locked") else "card_number"
        super().__init__(field_name, template.format(attempts_left=attempts_left, outcome=outcome))
        self.outcome = outcome


@dataclass(frozen=True, slots=True)
class SpecialMoveOutResult:
    resident_codes: tuple[str, ...]  # the holder first, then the members moving with them
    certificate_ids: tuple[str, ...]
    destination_code: str


def record_special_move_out(
    data: object, operator: str, supply: CodeSupply
) -> SpecialMoveOutResult:
    """特例転出: remove the holder and the members moving with them, send the information."""
    today = supply.clock.today()
    form = Form(data, today)
    holder_code = form.resident_code()
    card = check_card_number("card_number", form.data.get("card_number"))
    channel = form.choice("channel", MoveOutChannel)
    planned_on = form.any_date("planned_on")
    notified_on = form.past_or("notified_on", today)
    check_special_move_out(
        moved_on=planned_on, filed_on=notified_on, channel=channel, abroad=form.boolean("abroad")
    )
    destination = form.address("destination")
    office = supply.office
    destination_node = office.peer_municipality(
        form.data.get("destination_code"), "destination_code"
    )
    destination_code = destination_node.removeprefix("municipality-")
    visit = form.any_date("visit_planned_on") if form.has("visit_planned_on") else None
    if channel is MoveOutChannel.ONLINE and visit is None:
        raise InvalidValue("visit_planned_on", "an online move-out gives the day of the visit")
    if visit is not None and visit < today:
        raise InvalidValue("visit_planned_on", "is in the past")
    member_codes = _member_codes(form, holder_code)
    with supply.unit_of_work() as uow:
        holder = active_resident(uow, holder_code)
        people = [holder] + [_member(uow, code, holder) for code in member_codes]
        certificates = [
            certificate_for(
                uow, person, destination=destination, planned_on=planned_on, issued_on=today
            )
            for person in people
        ]
        now = supply.clock.now()
        for person, certificate in zip(people, certificates, strict=True):
            remove_for_move_out(
                uow,
                supply,
                person.resident_code,
                planned_on=planned_on,
                notified_on=notified_on,
                operator=operator,
                destination=destination,
            )
            uow.certificates.issue(certificate)
            info = CertificateInfo(certificate, holder_code, card, channel, destination_code, visit)
            send_certificate_info(uow, destination_node, info, now)
        uow.commit()
    return SpecialMoveOutResult(
        tuple(p.resident_code for p in people),
        tuple(c.certificate_id for c in certificates),
        destination_code,
    )


def _member_codes(form: Form, holder_code: str) -> list[str]:
    raw = form.data.get("members", [])
    if not isinstance(raw, list):
        raise InvalidValue("members", "expected a list of 住民票コード")
    codes = [Form({"c": value}, form.today).resident_code("c") for value in raw]
    if holder_code in codes or len(set(codes)) != len(codes):
        raise InvalidValue("members", "name each member once, and not the card holder")
    return codes


def _member(uow: MunicipalUnitOfWork, code: str, holder: Resident) -> Resident:
    member = active_resident(uow, code)
    if member.household_id != holder.household_id:
        raise InvalidValue(
            "members", f"{code} is not in the card holder's household; they file their own"
        )
    return member


@dataclass(frozen=True, slots=True)
class SpecialMoveInResult:
    residents: tuple[Resident, ...]  # the holder first
    late: bool  # the 転入届 came more than 14 days after moving in
    continued_use_until: date  # last day to carry the card over (継続利用)


def record_special_move_in(data: object, operator: str, supply: CodeSupply) -> SpecialMoveInResult:
    """特例転入: the holder comes with the card and its PIN; the members come along."""
    today = supply.clock.today()
    form = Form(data, today)
    holder_code = form.resident_code()
    card = check_card_number("card_number", form.data.get("card_number"))
    pin = check_pin("pin", form.data.get("pin"))
    moved_in_on = form.past("moved_in_on")
    notified_on = form.past_or("notified_on", today)
    if notified_on < moved_in_on:
        raise InvalidValue("notified_on", f"is before moved_in_on ({moved_in_on})")
    address = form.address()
    choice = HouseholdChoice.read(form)
    relationships = _member_relationships(form)
    with supply.unit_of_work() as uow:
        group = [
            info for info, used in uow.arriving_certificates.of_holder(holder_code) if not used
        ]
    holder_info = next((i for i in group if i.is_holder), None)
    if holder_info is None:
        raise NotFound(
            "resident_code",
            f"no unused 転出証明書情報 for {holder_code} has arrived here; it may still be on "
            "its way, or the move-out was not filed with the card",
        )
    SpecialMoveInWindow(holder_info.certificate.planned_on, moved_in_on).check(notified_on)
    if holder_info.card_number != card:
        raise InvalidValue("card_number", "is not the card named in the move-out")
    members = [i for i in group if not i.is_holder]
    unknown = set(relationships) - {i.certificate.resident_code for i in members}
    if unknown:
        raise InvalidValue("members", f"no information arrived for {sorted(unknown)}")
    if "members" in form.data:  # the members who come now; without the key, everyone
        members = [i for i in members if i.certificate.resident_code in relationships]
    holder_record = _new_record(holder_info, address, choice, moved_in_on, notified_on, operator)
    member_records = [
        _new_record(
            info,
            address,
            HouseholdChoice(None, _relationship(info, holder_info, choice, relationships)),
            moved_in_on,
            notified_on,
            operator,
        )
        for info in members
    ]
    check_household(supply, holder_record)
    arriving = [holder_info, *members]
    numbers = [
        i.certificate.my_number or supply.my_number_for(i.certificate.resident_code)
        for i in arriving
    ]
    verdict: CardPinVerdict = supply.peer.request(CARD_ID, CardPinCheck(card, holder_code, pin))
    if verdict.outcome != "accepted":
        raise CardRefused(verdict.outcome, verdict.attempts_left)
    with supply.unit_of_work() as uow:
        now = supply.clock.now()
        for info in arriving:
            certificate = info.certificate
            if not uow.arriving_certificates.use(
                certificate.issuer, certificate.certificate_id, now
            ):
                raise Conflict(
                    "resident_code",
                    f"the 転出証明書情報 of {certificate.resident_code} was already used",
                )
        holder = create_record(uow, supply, holder_record, (holder_code, numbers[0]), MOVE_IN)
        created = [holder]
        for record, info, number in zip(member_records, members, numbers[1:], strict=True):
            joining = HouseholdChoice(holder.household_id, record.household.relationship)
            code = info.certificate.resident_code
            created.append(
                create_record(
                    uow, supply, replace(record, household=joining), (code, number), MOVE_IN
                )
            )
        for resident, info in zip(created, arriving, strict=True):
            send_move_in_notice(uow, supply.office, resident, info.certificate, now)
        uow.commit()
    return SpecialMoveInResult(
        tuple(created),
        move_in_is_late(moved_in_on, notified_on),
        continued_use_deadline(notified_on),
    )


def waiting_information(holder_code: str, supply: CodeSupply) -> list[CertificateInfo]:
    """The unused 転出証明書情報 that arrived here for a card holder's 特例転入, the holder's
    first: whom the clerk can expect, and the planned move-out their deadline counts from."""
    with supply.unit_of_work() as uow:
        found = [
            info for info, used in uow.arriving_certificates.of_holder(holder_code) if not used
        ]
    return sorted(found, key=lambda info: not info.is_holder)


def _member_relationships(form: Form) -> dict[str, Relationship]:
    """``members``: the household members who come now, each with their 続柄 to the head."""
    raw = form.data.get("members", [])
    if not isinstance(raw, list):
        raise InvalidValue("members", "expected a list of {resident_code, relationship}")
    chosen: dict[str, Relationship] = {}
    for index, item in enumerate(raw):
        sub = Form(item, form.today, f"members[{index}].")
        code = sub.resident_code()
        relationship = sub.choice("relationship", Relationship)
        if relationship is Relationship.HEAD:
            raise InvalidValue(sub._name("relationship"), "the card holder's household has a head")
        chosen[code] = relationship
    return chosen


def _relationship(
    member: CertificateInfo,
    holder: CertificateInfo,
    choice: HouseholdChoice,
    given: dict[str, Relationship],
) -> Relationship:
    """A member's 続柄 in the new household: as given, or kept when the household moves whole
    with its head (the holder) at its head again."""
    code = member.certificate.resident_code
    if code in given:
        return given[code]
    if holder.certificate.relationship is Relationship.HEAD and choice.household_id is None:
        return member.certificate.relationship
    raise InvalidValue("members", f"give the 続柄 of {code} to the head of the new household")


def _new_record(
    info: CertificateInfo,
    address: str,
    household: HouseholdChoice,
    moved_in_on: date,
    notified_on: date,
    operator: str,
) -> NewRecord:
    certificate = info.certificate
    if certificate.birth_date > moved_in_on:
        raise InvalidValue("moved_in_on", f"is before {certificate.resident_code} was born")
    return NewRecord(
        name=PersonName(
            certificate.family_name,
            certificate.given_name,
            certificate.family_name_kana,
            certificate.given_name_kana,
        ),
        birth_date=certificate.birth_date,
        sex=certificate.sex,
        address=address,
        household=household,
        began_on=moved_in_on,
        notified_on=notified_on,
        operator=operator,
        previous_address=certificate.address,
        domicile=certificate.domicile,
        foreign=certificate.foreign,
    )


@dataclass(frozen=True, slots=True)
class ContinuedUse:
    resident_code: str
    card_number: str


def continue_card_use(data: object, operator: str, supply: CodeSupply) -> ContinuedUse:
    """継続利用: carry the holder's card over to this municipality after a move-in."""
    form = Form(data, supply.clock.today())
    resident_code = form.resident_code()
    card = check_card_number("card_number", form.data.get("card_number"))
    pin = check_pin("pin", form.data.get("pin"))
    with supply.unit_of_work() as uow:
        resident = active_resident(uow, resident_code)
    verdict: CardContinuedUseVerdict = supply.peer.request(
        CARD_ID,
        CardContinuedUse(
            card,
            resident_code,
            pin,
            supply.office.municipality_code,
            resident.notified_on.isoformat(),
        ),
    )
    if verdict.outcome != "accepted":
        raise CardRefused(verdict.outcome, verdict.attempts_left)
    return ContinuedUse(resident_code, card)
