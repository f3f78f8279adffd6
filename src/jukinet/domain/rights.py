"""Residents' rights at the providing nodes: disclosure, correction and complaints.

Anyone may ask the prefecture governor or J-LIS, in writing, to disclose the identity
information held about them (開示請求, 住基法30条の32); who may ask and how they prove it is
in ``requesters.py``. The request comes at the counter, by post or online, and the decision is
due ``days`` after receipt, counted from the day after (Hokkaido's practice: 14 days). After a
disclosure the person may ask for a correction (訂正の申出), which is investigated and answered
in writing; complaints (苦情) are tracked until they are answered. ``count_disclosures`` makes
the yearly table of 別紙2 (seed 004) from the requests.

    DisclosureRequest   received → disclosed | refused → delivered
    CorrectionRequest   received → investigated → answered
    Complaint           received → answered

Every rule fails with ``InvalidValue`` naming the field, or ``Conflict`` for a step taken out
of order; a value object of this module cannot exist in an invalid state.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from jukinet.domain.errors import Conflict, InvalidValue
from jukinet.domain.identity import NAME_LIMIT
from jukinet.domain.reports import ContactMethod, DisclosureYear
from jukinet.domain.requesters import IdentityCheck, Requester
from jukinet.domain.text import clean_text

DEFAULT_DISCLOSURE_DAYS = 14
TEXT_LIMIT = 2000  # a statement, findings or an answer: about two pages of a form
SUBJECT_LIMIT = 200


class Decision(StrEnum):
    DISCLOSED = "disclosed"  # 開示
    REFUSED = "refused"  # 不開示


@dataclass(frozen=True, slots=True)
class DisclosureDecision:
    outcome: Decision
    decided_on: date
    decided_by: str
    reason: str = ""  # why it was refused


@dataclass(frozen=True, slots=True)
class Delivery:
    """How the written decision reached the requester (受取方法)."""

    method: ContactMethod
    delivered_on: date
    delivered_by: str


def disclosure_deadline(received_on: date, days: int) -> date:
    """The last day for the decision: day 1 is the day after receipt, the deadline day ``days``."""
    if days < 1:
        raise InvalidValue("disclosure_days", f"must be at least 1, got {days}")
    return received_on + timedelta(days=days)


def fiscal_year_of(day: date) -> int:
    """The fiscal year (April to March) ``day`` falls in, named by the year it starts."""
    return day.year if day.month >= 4 else day.year - 1


def not_before(field: str, day: date, earliest: date, what: str) -> date:
    if day < earliest:
        raise InvalidValue(field, f"{day.isoformat()} is before {what} ({earliest.isoformat()})")
    return day


@dataclass(frozen=True, slots=True)
class DisclosureRequest:
    """A request to see one's own identity information, from receipt to delivery.

    ``resident_code`` names the person (their code when the request arrived); ``portal`` is
    the resident portal that filed an online request, which alone may fetch the answer.
    """

    request_id: str
    resident_code: str
    requester: Requester
    method: ContactMethod
    received_on: date
    deadline: date
    received_by: str
    portal: str | None = None
    identity_check: IdentityCheck | None = None
    decision: DisclosureDecision | None = None
    delivery: Delivery | None = None

    @classmethod
    def receive(
        cls,
        request_id: str,
        resident_code: str,
        requester: Requester,
        method: ContactMethod,
        received_on: date,
        days: int,
        received_by: str,
        portal: str | None = None,
    ) -> DisclosureRequest:
        """A new request, due ``days`` after ``received_on``; online only through a portal."""
        if (method is ContactMethod.ONLINE) != (portal is not None):
            raise InvalidValue(
                "method", "online requests are filed by a resident portal, and only those"
            )
        deadline = disclosure_deadline(received_on, days)
        return cls(
            request_id,
            resident_code,
            requester,
            method,
            received_on,
            deadline,
            received_by,
            portal,
        )

    @property
    def state(self) -> str:
        """``received``, ``disclosed``, ``refused`` or ``delivered``."""
        if self.delivery is not None:
            return "delivered"
        return "received" if self.decision is None else self.decision.outcome.value

    def overdue(self, today: date) -> bool:
        return self.decision is None and today > self.deadline

    def check_identity(self, check: IdentityCheck) -> DisclosureRequest:
        if self.decision is not None:
            raise Conflict("identity_check", f"the request was already {self.state}")
        not_before("identity_check.checked_on", check.checked_on, self.received_on, "receipt")
        check.suffices_for(self.requester, self.method)
        return replace(self, identity_check=check)

    def disclose(self, on: date, by: str) -> DisclosureRequest:
        if self.identity_check is None:
            raise Conflict("identity_check", "record the requester's identity check first")
        not_before("decided_on", on, self.identity_check.checked_on, "the identity check")
        return self._decide(DisclosureDecision(Decision.DISCLOSED, on, by))

    def refuse(self, reason: str, on: date, by: str) -> DisclosureRequest:
        stated = clean_text("reason", reason, max_length=TEXT_LIMIT)
        return self._decide(DisclosureDecision(Decision.REFUSED, on, by, stated))

    def _decide(self, decision: DisclosureDecision) -> DisclosureRequest:
        if self.decision is not None:
            raise Conflict("decision", f"the request was already {self.state}")
        not_before("decided_on", decision.decided_on, self.received_on, "receipt")
        return replace(self, decision=decision)

    def deliver(self, delivery: Delivery) -> DisclosureRequest:
        if self.decision is None:
            raise Conflict("delivery", "decide the request before delivering the answer")
        if self.delivery is not None:
            raise Conflict("delivery", f"already delivered on {self.delivery.delivered_on}")
        if delivery.method is ContactMethod.ONLINE and self.portal is None:
            raise InvalidValue("delivery.method", "only a request filed online is answered online")
        not_before("delivered_on", delivery.delivered_on, self.decision.decided_on, "the decision")
        return replace(self, delivery=delivery)


class Item(StrEnum):
    """The parts of the identity information a correction may concern."""

    NAME = "name"
    KANA = "kana"
    BIRTH_DATE = "birth_date"
    SEX = "sex"
    ADDRESS = "address"
    MY_NUMBER = "my_number"
    RESIDENT_CODE = "resident_code"
    CHANGE = "change"  # the reason or date of a change (変更情報)

    @property
    def label(self) -> str:
        return _ITEM_LABELS[self]


_ITEM_LABELS = {
    Item.NAME: "氏名",
    Item.KANA: "氏名の振り仮名",
    Item.BIRTH_DATE: "生年月日",
    Item.SEX: "性別",
    Item.ADDRESS: "住所",
    Item.MY_NUMBER: "個人番号",
    Item.RESIDENT_CODE: "住民票コード",
    Item.CHANGE: "変更情報",
}


def correction_items(values: Iterable[object]) -> tuple[Item, ...]:
    """The items named, in the order of ``Item``; at least one."""
    named = set()
    for value in values:
        try:
            named.add(Item(str(value)))
        except ValueError:
            known = ", ".join(item.value for item in Item)
            raise InvalidValue("items", f"{value!r} is not one of: {known}") from None
    if not named:
        raise InvalidValue("items", "name at least one item the person says is wrong")
    return tuple(item for item in Item if item in named)


class CorrectionResult(StrEnum):
    NO_ERROR = "no-error"  # 誤りは認められなかった
    MUNICIPALITY_ASKED = "municipality-asked"  # 住所地の市町村長に修正を求めた


@dataclass(frozen=True, slots=True)
class Investigation:
    findings: str
    result: CorrectionResult
    investigated_on: date
    investigated_by: str
    municipality_code: str | None = None  # asked to correct, when the result says so

    def __post_init__(self) -> None:
        findings = clean_text("findings", self.findings, max_length=TEXT_LIMIT)
        object.__setattr__(self, "findings", findings)
        asked = self.result is CorrectionResult.MUNICIPALITY_ASKED
        if asked != (self.municipality_code is not None):
            raise InvalidValue(
                "municipality_code", "name the municipality asked to correct, and only then"
            )


@dataclass(frozen=True, slots=True)
class Answer:
    """A written answer: its text (for a complaint) and when and by whom it went out."""

    answered_on: date
    answered_by: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class CorrectionRequest:
    """訂正の申出: after a disclosure, the person says some item is wrong."""

    correction_id: str
    disclosure_id: str
    resident_code: str
    items: tuple[Item, ...]
    statement: str
    received_on: date
    received_by: str
    investigation: Investigation | None = None
    answer: Answer | None = None

    @classmethod
    def receive(
        cls,
        correction_id: str,
        disclosure: DisclosureRequest,
        items: tuple[Item, ...],
        statement: str,
        received_on: date,
        received_by: str,
    ) -> CorrectionRequest:
        decision = disclosure.decision
        if decision is None or decision.outcome is not Decision.DISCLOSED:
            raise Conflict("disclosure_id", "a correction follows a disclosure; none was made")
        not_before("received_on", received_on, decision.decided_on, "the disclosure")
        text = clean_text("statement", statement, max_length=TEXT_LIMIT)
        return cls(
            correction_id,
            disclosure.request_id,
            disclosure.resident_code,
            items,
            text,
            received_on,
            received_by,
        )

    @property
    def state(self) -> str:
        """``received``, ``investigated`` or ``answered``."""
        if self.answer is not None:
            return "answered"
        return "received" if self.investigation is None else "investigated"

    def investigate(self, investigation: Investigation) -> CorrectionRequest:
        if self.answer is not None:
            raise Conflict("investigation", "the request was already answered")
        on = investigation.investigated_on
        not_before("investigated_on", on, self.received_on, "receipt")
        return replace(self, investigation=investigation)

    def answer_in_writing(self, answer: Answer) -> CorrectionRequest:
        if self.investigation is None:
            raise Conflict("answer", "record the investigation before answering")
        if self.answer is not None:
            raise Conflict("answer", f"already answered on {self.answer.answered_on}")
        on = answer.answered_on
        not_before("answered_on", on, self.investigation.investigated_on, "the investigation")
        return replace(self, answer=answer)


@dataclass(frozen=True, slots=True)
class Complaint:
    """苦情: a complaint about how identity information was handled, until it is answered."""

    complaint_id: str
    complainant: str
    subject: str
    details: str
    received_on: date
    received_by: str
    disclosure_id: str | None = None
    answer: Answer | None = None

    def __post_init__(self) -> None:
        limits = {"complainant": NAME_LIMIT * 2, "subject": SUBJECT_LIMIT, "details": TEXT_LIMIT}
        for name, limit in limits.items():
            text = clean_text(name, getattr(self, name), max_length=limit)
            object.__setattr__(self, name, text)

    @property
    def state(self) -> str:
        return "received" if self.answer is None else "answered"

    def respond(self, answer: Answer) -> Complaint:
        if self.answer is not None:
            raise Conflict("answer", f"already answered on {self.answer.answered_on}")
        text = clean_text("answer", answer.text, max_length=TEXT_LIMIT)
        not_before("answered_on", answer.answered_on, self.received_on, "receipt")
        return replace(self, answer=replace(answer, text=text))


def count_disclosures(
    requests: Iterable[DisclosureRequest], first_year: int, last_year: int
) -> tuple[DisclosureYear, ...]:
    """別紙2: per fiscal year of receipt, requests by method and answers by how they were
    received; a year without requests still has its line of zeros."""
    if first_year > last_year:
        raise InvalidValue("to_year", f"{last_year} is before {first_year}")
    requested: Counter[tuple[int, ContactMethod]] = Counter()
    delivered: Counter[tuple[int, ContactMethod]] = Counter()
    for request in requests:
        year = fiscal_year_of(request.received_on)
        requested[year, request.method] += 1
        if request.delivery is not None:
            delivered[year, request.delivery.method] += 1
    return tuple(
        DisclosureYear(
            year,
            {method: requested[year, method] for method in ContactMethod},
            {method: delivered[year, method] for method in ContactMethod},
        )
        for year in range(first_year, last_year + 1)
    )
