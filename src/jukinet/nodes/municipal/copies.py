"""住民票の写し at the window: ordinary copies from this register, and 広域交付.

``issue_copy`` serves the person, a household member, a public body or a third party from
this municipality's own register. ``issue_wide_area_copy`` serves someone registered
elsewhere: it asks their home municipality over the network (``wide-area.copy-request``),
whose CS runs ``AnswerWideAreaCopyRequest``, and prints the copy from the items it answers.
Every issuance is recorded (operator, requester, people, items, fee) in the unit of work that
prints it, so a copy that cannot be printed is not recorded, and one recorded was printed.
A wide-area refusal is recorded at both ends; an unreachable home node records nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Any

from jukinet.domain.codes import ResidentCode
from jukinet.domain.copies import (
    CopyRefused,
    CopyRequester,
    Layout,
    RequesterKind,
    ResidentCopy,
    Selection,
    ShownItems,
    compose_copy,
    optional_items,
    shown_items,
)
from jukinet.domain.errors import DomainError, InvalidValue, NotFound
from jukinet.domain.matching import name_key
from jukinet.domain.municipalities import municipality
from jukinet.domain.requesters import IdentityDocument
from jukinet.nodes.municipal.codes import CodeSupply
from jukinet.nodes.municipal.forms import Form
from jukinet.nodes.municipal.notices import active_resident
from jukinet.nodes.municipal.office import Office
from jukinet.nodes.municipal.protection_checks import (
    protected_in,
    require_issuable,
    require_wide_area_issuable,
)
from jukinet.nodes.ports import (
    Clock,
    CopyIssuance,
    CopyPrinter,
    MunicipalUnitOfWork,
    WideAreaAnswerLine,
)
from jukinet.protocol.bodies.copies import WideAreaRefusal, WideAreaRequester
from jukinet.protocol.catalogue import WideAreaCopyAnswer, WideAreaCopyRequest
from jukinet.protocol.directory import NodeEntry, municipality_node_id
from jukinet.protocol.envelope import Envelope
from jukinet.protocol.errors import RouteRefused, UnknownSender

MAX_FEE = 10_000


@dataclass(frozen=True, slots=True)
class IssuedCopy:
    """A copy handed over: its record, the printed bytes, and the reasons of the suppressions
    at ``alert`` level (or lifted for now) that the clerk must see before handing it over."""

    issuance: CopyIssuance
    document: bytes
    alerts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CopyAsked:
    """A request as read from the clerk's form."""

    requester: CopyRequester
    selection: Selection
    shown: ShownItems
    layout: Layout


def issue_copy(form: object, operator: str, supply: CodeSupply, printer: CopyPrinter) -> IssuedCopy:
    """A copy from this register (住基法12条, 12条の2, 12条の3)."""
    asked = _read_copy_form(Form(form, supply.clock.today()))
    with supply.unit_of_work() as uow:
        subject = active_resident(uow, asked.selection.subject)
        records = uow.copies.household_records(subject.household_id)
        if records is None:
            raise NotFound("subject", f"the household of {subject.resident_code} is missing")
        copy = compose_copy(
            asked.requester,
            asked.selection,
            asked.shown,
            asked.layout,
            records,
            protected_in(uow, records),
        )
        alerts = require_issuable(uow, supply.clock, records, copy.resident_codes)  # 抑止
        issued = _issue(uow, supply, printer, copy, asked.requester, operator)
        uow.commit()
    reasons = dict.fromkeys(reason.value for state in alerts for reason in state.reasons)
    return replace(issued, alerts=tuple(reasons))


def _read_copy_form(form: Form) -> CopyAsked:
    requester = _read_requester(form.sub("requester"))
    subject = (
        form.resident_code("subject")
        if form.has("subject") or requester.resident_code is None
        else requester.resident_code
    )
    removed = form.boolean("include_removed")
    return CopyAsked(
        requester,
        Selection(subject, _members(form)),
        shown_items(requester.kind, optional_items(form.data.get("items", [])), removed=removed),
        form.choice("layout", Layout, Layout.HOUSEHOLD),
    )


def _read_requester(form: Form) -> CopyRequester:
    kind = form.choice("kind", RequesterKind)
    if kind is RequesterKind.WIDE_AREA:
        raise InvalidValue("requester.kind", "a wide-area copy is asked at /wide-area-copies")
    return CopyRequester(
        kind=kind,
        name=form.text("name", 100),
        resident_code=form.optional_resident_code("resident_code"),
        purpose=form.text("purpose", 400, required=False),
        document=form.choice("document", IdentityDocument) if form.has("document") else None,
    )


def _members(form: Form) -> tuple[str, ...]:
    raw = form.data.get("members", [])
    if not isinstance(raw, list):
        raise InvalidValue("members", "expected a list of 住民票コード")
    return tuple(ResidentCode.parse(code, f"members[{i}]").value for i, code in enumerate(raw))


def _issue(
    uow: MunicipalUnitOfWork,
    supply: CodeSupply,
    printer: CopyPrinter,
    copy: ResidentCopy,
    requester: CopyRequester,
    operator: str,
    request_id: str | None = None,
) -> IssuedCopy:
    """Print ``copy``, charge the fee in force per sheet and record it all."""
    here = supply.office.municipality_code
    fee = uow.copies.fee() * copy.sheets
    document = printer(copy, issuer=here, issued_on=supply.clock.today())
    issuance = CopyIssuance(
        issuance_id=request_id or uuid.uuid4().hex,
        at=supply.clock.now(),
        operator=operator,
        requester_kind=requester.kind.value,
        requester_name=requester.name,
        requester_code=requester.resident_code,
        document=None if requester.document is None else requester.document.value,
        purpose=requester.purpose,
        issuing_municipality=here,
        home_municipality=copy.home_municipality,
        layout=copy.layout.value,
        items=tuple(sorted(item.value for item in copy.shown.optional)),
        resident_codes=_codes(copy, requester),
        sheets=copy.sheets,
        fee=fee,
        outcome="issued",
    )
    uow.copies.record_issuance(issuance)
    return IssuedCopy(issuance, document)


def _codes(copy: ResidentCopy, requester: CopyRequester) -> tuple[str, ...]:
    """Whom the issuance concerned, as far as this municipality knows: everyone copied from
    its own register; for a wide-area copy, the requester and the codes the home answered."""
    printed = (r.resident_code for r in copy.records if r.resident_code)
    known = (*copy.resident_codes, *printed, requester.resident_code or "")
    return tuple(code for code in dict.fromkeys(known) if code)


# --- 広域交付: the issuing municipality ------------------------------------------------


@dataclass(frozen=True, slots=True)
class WideAreaAsked:
    requester: CopyRequester
    request: WideAreaCopyRequest
    layout: Layout


def issue_wide_area_copy(
    form: object, operator: str, supply: CodeSupply, printer: CopyPrinter
) -> IssuedCopy:
    """広域交付 (12条の4): ask the home municipality, then print and record the copy.

    Raises ``PeerUnavailable`` when the home node cannot be reached (nothing recorded) and
    ``CopyRefused`` when it refuses (the refusal is recorded here, without a fee).
    """
    asked = _read_wide_area_form(Form(form, supply.clock.today()), supply.office)
    request = asked.request
    try:
        answer: WideAreaCopyAnswer = supply.peer.request(
            municipality_node_id(request.home_municipality), request
        )
    except UnknownSender:
        raise NotFound(
            "home_municipality", f"{request.home_municipality} has no node in the directory"
        ) from None
    if answer.request_id != request.request_id:
        raise InvalidValue("home_municipality", "the home municipality answered another request")
    with supply.unit_of_work() as uow:
        if answer.refusal is not None:
            _record_refusal(uow, supply, asked, answer.refusal, operator)
            uow.commit()
            refusal = answer.refusal
            raise CopyRefused(refusal.reason, refusal.field, refusal.detail)
        copy = _copy_from(answer, asked.layout)
        issued = _issue(uow, supply, printer, copy, asked.requester, operator, request.request_id)
        uow.commit()
    return issued


def _read_wide_area_form(form: Form, office: Office) -> WideAreaAsked:
    home = municipality(form.data.get("home_municipality"), "home_municipality").code.value
    if home == office.municipality_code:
        raise InvalidValue(
            "home_municipality", "the person is registered here: issue an ordinary copy"
        )
    sub = form.sub("requester")
    who = WideAreaRequester(
        resident_code=sub.resident_code(),
        family_name=sub.text("family_name", 50),
        given_name=sub.text("given_name", 50, required=False),
        birth_date=sub.past("birth_date"),
        document=sub.choice("document", IdentityDocument),
    )
    requester = CopyRequester(
        RequesterKind.WIDE_AREA,
        f"{who.family_name}\u3000{who.given_name}".strip(),
        who.resident_code,
        document=who.document,
    )
    asked = optional_items(form.data.get("items", []))
    shown_items(RequesterKind.WIDE_AREA, asked)  # refuse 本籍 here, before asking anyone
    request = WideAreaCopyRequest(
        request_id=str(uuid.uuid4()),
        issuing_municipality=office.municipality_code,
        home_municipality=home,
        requester=who,
        members=_members(form),
        items=tuple(sorted(asked)),
    )
    return WideAreaAsked(requester, request, form.choice("layout", Layout, Layout.HOUSEHOLD))


def _copy_from(answer: WideAreaCopyAnswer, layout: Layout) -> ResidentCopy:
    return ResidentCopy(
        home_municipality=answer.home_municipality,
        requester_kind=RequesterKind.WIDE_AREA,
        layout=layout,
        shown=ShownItems(frozenset(answer.items), former_surname=False, removed=False),
        address=answer.address,
        head_name=answer.head_name,
        records=answer.records,
    )


def _record_refusal(
    uow: MunicipalUnitOfWork,
    supply: CodeSupply,
    asked: WideAreaAsked,
    refusal: WideAreaRefusal,
    operator: str,
) -> None:
    request, requester = asked.request, asked.requester
    uow.copies.record_issuance(
        CopyIssuance(
            issuance_id=request.request_id,
            at=supply.clock.now(),
            operator=operator,
            requester_kind=requester.kind.value,
            requester_name=requester.name,
            requester_code=requester.resident_code,
            document=None if requester.document is None else requester.document.value,
            purpose="",
            issuing_municipality=request.issuing_municipality,
            home_municipality=request.home_municipality,
            layout=asked.layout.value,
            items=tuple(item.value for item in request.items),
            resident_codes=(request.requester.resident_code, *request.members),
            sheets=0,
            fee=0,
            outcome="refused",
            detail=f"{refusal.reason} {refusal.field}: {refusal.detail}",
        )
    )


# --- 広域交付: the home municipality's CS ----------------------------------------------


@dataclass(frozen=True, slots=True)
class AnswerWideAreaCopyRequest:
    """The CS handler of ``wide-area.copy-request``: check that the requester is registered
    here and is the person or a member of the same household, answer the permitted items or a
    refusal, and record who asked from where for whom, in the same transaction."""

    office: Office
    clock: Clock

    def __call__(
        self,
        uow: MunicipalUnitOfWork,
        sender: NodeEntry,
        envelope: Envelope,
        bodies: tuple[WideAreaCopyRequest, ...],
    ) -> WideAreaCopyAnswer:
        request = bodies[0]
        here = self.office.municipality_code
        if request.home_municipality != here:
            raise RouteRefused(f"this node answers only for {here}")
        if sender.municipality_code != request.issuing_municipality:
            raise RouteRefused("a municipality may ask only in its own name")
        try:
            copy = _answerable_copy(uow, request, self.clock)
        except DomainError as error:
            refusal = WideAreaRefusal(error.kind, error.field, error.problem)
            asked_about = (request.requester.resident_code, *request.members)
            self._audit(uow, sender, request, dict.fromkeys(asked_about), "refused", str(error))
            return WideAreaCopyAnswer(request.request_id, here, refusal=refusal)
        codes = dict.fromkeys(copy.resident_codes)
        self._audit(uow, sender, request, codes, "answered")
        return WideAreaCopyAnswer(
            request.request_id,
            here,
            items=request.items,
            address=copy.address,
            head_name=copy.head_name,
            records=copy.records,
        )

    def _audit(
        self,
        uow: MunicipalUnitOfWork,
        sender: NodeEntry,
        request: WideAreaCopyRequest,
        codes: dict[str, Any],
        outcome: str,
        detail: str = "",
    ) -> None:
        now = self.clock.now()
        uow.copies.record_answers(
            [
                WideAreaAnswerLine(
                    at=now,
                    requester_node=sender.id,
                    issuing_municipality=request.issuing_municipality,
                    request_id=request.request_id,
                    requester_code=request.requester.resident_code,
                    resident_code=code,
                    items=tuple(item.value for item in request.items),
                    outcome=outcome,
                    detail=detail,
                )
                for code in codes
            ]
        )


def _answerable_copy(
    uow: MunicipalUnitOfWork, request: WideAreaCopyRequest, clock: Clock
) -> ResidentCopy:
    who = request.requester
    record = uow.residents.active_by_code(who.resident_code)
    if record is None:
        raise NotFound("requester.resident_code", f"{who.resident_code} has no current record here")
    same_name = name_key(who.family_name + who.given_name) == name_key(
        record.name.family + record.name.given
    )
    if not same_name or who.birth_date != record.birth_date:
        raise InvalidValue(
            "requester", "the name or date of birth on the document shown differs from the record"
        )
    requester = CopyRequester(
        RequesterKind.WIDE_AREA, record.name.family, who.resident_code, document=who.document
    )
    records = uow.copies.household_records(record.household_id)
    if records is None:
        raise NotFound("requester.resident_code", "the requester's household is missing")
    shown = shown_items(RequesterKind.WIDE_AREA, frozenset(request.items))
    selection = Selection(who.resident_code, request.members)
    copy = compose_copy(requester, selection, shown, Layout.HOUSEHOLD, records)
    require_wide_area_issuable(uow, clock, records, copy.resident_codes)  # 抑止, 支援措置
    return copy


# --- the fee and the record of issuances -------------------------------------------------


def set_copy_fee(form: object, operator: str, supply: CodeSupply) -> int:
    """Set the fee per copy (yen) from now on; the change is kept with who made it."""
    amount = Form(form, supply.clock.today()).data.get("fee")
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 <= amount <= MAX_FEE:
        raise InvalidValue("fee", f"give the fee in yen as a whole number from 0 to {MAX_FEE}")
    with supply.unit_of_work() as uow:
        uow.copies.set_fee(amount, operator, supply.clock.now())
        uow.commit()
    return amount


def copy_fee(supply: CodeSupply) -> int:
    with supply.unit_of_work() as uow:
        return uow.copies.fee()


def copy_records(resident_code: str, supply: CodeSupply) -> dict[str, list[Any]]:
    """Copies issued here that concerned this person, and wide-area requests about them
    answered here."""
    with supply.unit_of_work() as uow:
        issued = uow.copies.issuances_of(resident_code)
        answered = uow.copies.answers_about(resident_code)
    return {"issuances": issued, "wide_area_answers": answered}
