"""Repositories of residents' rights: disclosure requests, correction requests, complaints.

Each case is one row, written whole on every step (the steps are few and the rows small);
``get`` locks the row on PostgreSQL so that two operators cannot decide one request twice.
Lists of document kinds and of disputed items are stored comma-separated.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import MetaData, select
from sqlalchemy.engine import Connection, RowMapping

from jukinet.domain.reports import ContactMethod
from jukinet.domain.requesters import IdentityCheck, Relation, Requester, identity_documents
from jukinet.domain.rights import (
    Answer,
    Complaint,
    CorrectionRequest,
    CorrectionResult,
    Decision,
    Delivery,
    DisclosureDecision,
    DisclosureRequest,
    Investigation,
    correction_items,
)


class SqlDisclosureRequests:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._table = metadata.tables["disclosure_requests"]

    def add(self, request: DisclosureRequest) -> None:
        self._connection.execute(self._table.insert(), _disclosure_row(request))

    def get(self, request_id: str) -> DisclosureRequest | None:
        t = self._table
        query = select(t).where(t.c.request_id == request_id).with_for_update()
        row = self._connection.execute(query).mappings().first()
        return None if row is None else _disclosure(row)

    def update(self, request: DisclosureRequest) -> None:
        t = self._table
        values = _disclosure_row(request)
        self._connection.execute(t.update().where(t.c.request_id == request.request_id), values)

    def undecided(self) -> list[DisclosureRequest]:
        t = self._table
        query = select(t).where(t.c.decision.is_(None)).order_by(t.c.deadline, t.c.request_id)
        return [_disclosure(row) for row in self._connection.execute(query).mappings()]

    def received_between(self, first: date, last: date) -> list[DisclosureRequest]:
        t = self._table
        query = (
            select(t)
            .where(t.c.received_on.between(first, last))
            .order_by(t.c.received_on, t.c.request_id)
        )
        return [_disclosure(row) for row in self._connection.execute(query).mappings()]

    def filed_by_portal(
        self, resident_codes: Sequence[str], portal: str
    ) -> list[DisclosureRequest]:
        t = self._table
        query = (
            select(t)
            .where(t.c.resident_code.in_(list(resident_codes)), t.c.portal == portal)
            .order_by(t.c.received_on.desc(), t.c.request_id.desc())
        )
        return [_disclosure(row) for row in self._connection.execute(query).mappings()]

    def undelivered(self) -> list[DisclosureRequest]:
        t = self._table
        query = (
            select(t)
            .where(t.c.decision.is_not(None), t.c.delivery.is_(None))
            .order_by(t.c.decided_on, t.c.request_id)
        )
        return [_disclosure(row) for row in self._connection.execute(query).mappings()]


def _disclosure_row(request: DisclosureRequest) -> dict[str, Any]:
    check, decision, delivery = request.identity_check, request.decision, request.delivery
    return {
        "request_id": request.request_id,
        "resident_code": request.resident_code,
        "relation": request.requester.relation.value,
        "requester_name": request.requester.name,
        "method": request.method.value,
        "received_on": request.received_on,
        "deadline": request.deadline,
        "received_by": request.received_by,
        "portal": request.portal,
        "documents": None if check is None else ",".join(sorted(check.documents)),
        "checked_on": None if check is None else check.checked_on,
        "checked_by": None if check is None else check.checked_by,
        "decision": None if decision is None else decision.outcome.value,
        "decided_on": None if decision is None else decision.decided_on,
        "decided_by": None if decision is None else decision.decided_by,
        "refusal_reason": None if decision is None else decision.reason,
        "delivery": None if delivery is None else delivery.method.value,
        "delivered_on": None if delivery is None else delivery.delivered_on,
        "delivered_by": None if delivery is None else delivery.delivered_by,
    }


def _disclosure(row: RowMapping) -> DisclosureRequest:
    check = (
        None
        if row["documents"] is None
        else IdentityCheck(
            identity_documents(row["documents"].split(",")), row["checked_on"], row["checked_by"]
        )
    )
    decision = (
        None
        if row["decision"] is None
        else DisclosureDecision(
            Decision(row["decision"]),
            row["decided_on"],
            row["decided_by"],
            row["refusal_reason"] or "",
        )
    )
    delivery = (
        None
        if row["delivery"] is None
        else Delivery(ContactMethod(row["delivery"]), row["delivered_on"], row["delivered_by"])
    )
    return DisclosureRequest(
        row["request_id"],
        row["resident_code"],
        Requester(Relation(row["relation"]), row["requester_name"]),
        ContactMethod(row["method"]),
        row["received_on"],
        row["deadline"],
        row["received_by"],
        row["portal"],
        check,
        decision,
        delivery,
    )


class SqlCorrectionRequests:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._table = metadata.tables["correction_requests"]

    def add(self, correction: CorrectionRequest) -> None:
        self._connection.execute(self._table.insert(), _correction_row(correction))

    def get(self, correction_id: str) -> CorrectionRequest | None:
        t = self._table
        query = select(t).where(t.c.correction_id == correction_id).with_for_update()
        row = self._connection.execute(query).mappings().first()
        return None if row is None else _correction(row)

    def update(self, correction: CorrectionRequest) -> None:
        t = self._table
        where = t.c.correction_id == correction.correction_id
        self._connection.execute(t.update().where(where), _correction_row(correction))

    def following(self, disclosure_ids: Sequence[str]) -> list[CorrectionRequest]:
        t = self._table
        query = (
            select(t)
            .where(t.c.disclosure_id.in_(list(disclosure_ids)))
            .order_by(t.c.received_on.desc(), t.c.correction_id.desc())
        )
        return [_correction(row) for row in self._connection.execute(query).mappings()]

    def unanswered(self) -> list[CorrectionRequest]:
        t = self._table
        query = (
            select(t).where(t.c.answered_on.is_(None)).order_by(t.c.received_on, t.c.correction_id)
        )
        return [_correction(row) for row in self._connection.execute(query).mappings()]


def _correction_row(correction: CorrectionRequest) -> dict[str, Any]:
    found, answer = correction.investigation, correction.answer
    return {
        "correction_id": correction.correction_id,
        "disclosure_id": correction.disclosure_id,
        "resident_code": correction.resident_code,
        "items": ",".join(item.value for item in correction.items),
        "statement": correction.statement,
        "received_on": correction.received_on,
        "received_by": correction.received_by,
        "findings": None if found is None else found.findings,
        "result": None if found is None else found.result.value,
        "municipality_code": None if found is None else found.municipality_code,
        "investigated_on": None if found is None else found.investigated_on,
        "investigated_by": None if found is None else found.investigated_by,
        "answered_on": None if answer is None else answer.answered_on,
        "answered_by": None if answer is None else answer.answered_by,
    }


def _correction(row: RowMapping) -> CorrectionRequest:
    investigation = (
        None
        if row["findings"] is None
        else Investigation(
            row["findings"],
            CorrectionResult(row["result"]),
            row["investigated_on"],
            row["investigated_by"],
            row["municipality_code"],
        )
    )
    answer = None if row["answered_on"] is None else Answer(row["answered_on"], row["answered_by"])
    return CorrectionRequest(
        row["correction_id"],
        row["disclosure_id"],
        row["resident_code"],
        correction_items(row["items"].split(",")),
        row["statement"],
        row["received_on"],
        row["received_by"],
        investigation,
        answer,
    )


class SqlComplaints:
    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self._connection = connection
        self._table = metadata.tables["complaints"]

    def add(self, complaint: Complaint) -> None:
        self._connection.execute(self._table.insert(), _complaint_row(complaint))

    def get(self, complaint_id: str) -> Complaint | None:
        t = self._table
        query = select(t).where(t.c.complaint_id == complaint_id).with_for_update()
        row = self._connection.execute(query).mappings().first()
        return None if row is None else _complaint(row)

    def update(self, complaint: Complaint) -> None:
        t = self._table
        where = t.c.complaint_id == complaint.complaint_id
        self._connection.execute(t.update().where(where), _complaint_row(complaint))

    def unanswered(self) -> list[Complaint]:
        t = self._table
        query = (
            select(t).where(t.c.answered_on.is_(None)).order_by(t.c.received_on, t.c.complaint_id)
        )
        return [_complaint(row) for row in self._connection.execute(query).mappings()]


def _complaint_row(complaint: Complaint) -> dict[str, Any]:
    answer = complaint.answer
    return {
        "complaint_id": complaint.complaint_id,
        "complainant": complaint.complainant,
        "subject": complaint.subject,
        "details": complaint.details,
        "received_on": complaint.received_on,
        "received_by": complaint.received_by,
        "disclosure_id": complaint.disclosure_id,
        "answer": None if answer is None else answer.text,
        "answered_on": None if answer is None else answer.answered_on,
        "answered_by": None if answer is None else answer.answered_by,
    }


def _complaint(row: RowMapping) -> Complaint:
    answer = (
        None
        if row["answered_on"] is None
        else Answer(row["answered_on"], row["answered_by"], row["answer"])
    )
    return Complaint(
        row["complaint_id"],
        row["complainant"],
        row["subject"],
        row["details"],
        row["received_on"],
        row["received_by"],
        row["disclosure_id"],
        answer,
    )


class SqlRightsCases:
    """The three case files, bound to one unit of work's connection."""

    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self.disclosures = SqlDisclosureRequests(connection, metadata)
        self.corrections = SqlCorrectionRequests(connection, metadata)
        self.complaints = SqlComplaints(connection, metadata)
