"""The bodies the rights API reads and the JSON it answers with.

Values that name a choice (``method``, ``relation``, ``decision`` …) travel as plain strings
and are checked by the use cases, so an unknown one is answered 422 naming the field and the
values allowed. Dates are ``YYYY-MM-DD``; when left out, today.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from jukinet.domain.reports import DisclosureStatistics
from jukinet.domain.requesters import IdentityCheck
from jukinet.domain.rights import (
    Complaint,
    CorrectionRequest,
    Delivery,
    DisclosureDecision,
    DisclosureRequest,
)

Day = str | None


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PersonBody(Body):
    """The person a request concerns: exactly one of the two codes."""

    my_number: str | None = None
    resident_code: str | None = Field(None, examples=["18293746504"])


class RequesterBody(Body):
    relation: str = Field(
        "self", description="self, minors-representative or wards-guardian (never proxy)"
    )
    name: str = Field("", description="a legal representative's own name")


class DisclosureRequestBody(Body):
    person: PersonBody
    method: str = Field(description="visit (来所) or post (郵送)", examples=["visit"])
    requester: RequesterBody = RequesterBody()
    received_on: Day = None


class IdentityCheckBody(Body):
    documents: list[str] = Field(examples=[["drivers-licence"]])
    checked_on: Day = None


class DecisionBody(Body):
    decision: str = Field(description="disclosed or refused", examples=["disclosed"])
    reason: str = Field("", description="why the request is refused")
    decided_on: Day = None


class DeliveryBody(Body):
    method: str = Field(description="visit, post (or online, for portal requests)")
    delivered_on: Day = None


class CorrectionBody(Body):
    disclosure_id: str
    items: list[str] = Field(examples=[["address"]])
    statement: str
    received_on: Day = None


class InvestigationBody(Body):
    findings: str
    result: str = Field(description="no-error or municipality-asked")
    investigated_on: Day = None


class AnsweredBody(Body):
    answered_on: Day = None


class ComplaintBody(Body):
    complainant: str
    subject: str
    details: str
    disclosure_id: str | None = None
    received_on: Day = None


class OnlineCorrectionBody(Body):
    """訂正の申出 filed online by the portal that filed the disclosure."""

    person: PersonBody
    disclosure_id: str
    items: list[str] = Field(examples=[["address"]])
    statement: str


class ComplaintAnswerBody(Body):
    answer: str
    answered_on: Day = None


def disclosure_wire(request: DisclosureRequest, today: date) -> dict[str, Any]:
    requester = request.requester
    return {
        "request_id": request.request_id,
        "resident_code": request.resident_code,
        "state": request.state,
        "method": request.method.value,
        "requester": {
            "relation": requester.relation.value,
            "relation_label": requester.relation.label,
            "name": requester.name,
        },
        "received_on": request.received_on.isoformat(),
        "deadline": request.deadline.isoformat(),
        "overdue": request.overdue(today),
        "portal": request.portal,
        "identity_check": _check_wire(request.identity_check),
        "decision": _decision_wire(request.decision),
        "delivery": _delivery_wire(request.delivery),
    }


def _check_wire(check: IdentityCheck | None) -> dict[str, Any] | None:
    if check is None:
        return None
    return {
        "documents": sorted(document.value for document in check.documents),
        "checked_on": check.checked_on.isoformat(),
        "checked_by": check.checked_by,
    }


def _decision_wire(decision: DisclosureDecision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {
        "decision": decision.outcome.value,
        "decided_on": decision.decided_on.isoformat(),
        "decided_by": decision.decided_by,
        "reason": decision.reason,
    }


def _delivery_wire(delivery: Delivery | None) -> dict[str, Any] | None:
    if delivery is None:
        return None
    return {
        "method": delivery.method.value,
        "delivered_on": delivery.delivered_on.isoformat(),
        "delivered_by": delivery.delivered_by,
    }


def correction_wire(correction: CorrectionRequest) -> dict[str, Any]:
    found, answer = correction.investigation, correction.answer
    return {
        "correction_id": correction.correction_id,
        "disclosure_id": correction.disclosure_id,
        "state": correction.state,
        "items": [item.value for item in correction.items],
        "statement": correction.statement,
        "received_on": correction.received_on.isoformat(),
        "received_by": correction.received_by,
        "investigation": None
        if found is None
        else {
            "findings": found.findings,
            "result": found.result.value,
            "municipality_code": found.municipality_code,
            "investigated_on": found.investigated_on.isoformat(),
            "investigated_by": found.investigated_by,
        },
        "answered_on": None if answer is None else answer.answered_on.isoformat(),
        "answered_by": None if answer is None else answer.answered_by,
    }


def complaint_wire(complaint: Complaint) -> dict[str, Any]:
    answer = complaint.answer
    return {
        "complaint_id": complaint.complaint_id,
        "state": complaint.state,
        "complainant": complaint.complainant,
        "subject": complaint.subject,
        "details": complaint.details,
        "disclosure_id": complaint.disclosure_id,
        "received_on": complaint.received_on.isoformat(),
        "received_by": complaint.received_by,
        "answer": None if answer is None else answer.text,
        "answered_on": None if answer is None else answer.answered_on.isoformat(),
        "answered_by": None if answer is None else answer.answered_by,
    }


def statistics_wire(stats: DisclosureStatistics) -> dict[str, Any]:
    def counts(per_method: dict[Any, int]) -> dict[str, int]:
        return {method.value: count for method, count in per_method.items()}

    return {
        "provider": stats.provider,
        "as_of": stats.as_of.isoformat(),
        "years": [
            {
                "fiscal_year": year.fiscal_year,
                "requested": counts(year.requested),
                "delivered": counts(year.delivered),
                "total": year.total,
            }
            for year in stats.years
        ],
        "total": sum(year.total for year in stats.years),
    }
