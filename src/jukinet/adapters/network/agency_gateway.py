"""The agency's gateways over the recipients' API of the national (or prefecture) node.

Requests are signed by ``RecipientClient`` and name the client's operator.

* The household checks (``ProvisionGateway``): a refusal raises ``RecipientRequestFailed``
  with the node's problem (403 for an affair without household checks, 503 when the home
  municipality cannot be reached …).
* 即時提供 and 一括提供 (``IdentityGateway``): a refusal is raised as the domain error the
  node raised (``domain_error``: the problem's ``title`` is the error's kind, with its field
  and detail), so that a screen shows it at its field and the CLI prints it as one line. A
  refused credential (401) or another refusal is ``PeerRejected``; a node that cannot be
  reached, or fails (5xx), is ``PeerUnavailable``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from jukinet.adapters.network.recipient_client import RecipientClient, RecipientRequestFailed
from jukinet.domain.errors import Conflict, DomainError, InvalidValue, NotFound
from jukinet.domain.provision import NarrowYourSearch, ProvisionNotPermitted
from jukinet.domain.residents import Relationship
from jukinet.nodes.agency.ports import (
    BatchFile,
    BatchProgress,
    HouseholdFinding,
    IdentityAnswer,
    Occupant,
)
from jukinet.nodes.ports import PeerRejected, PeerUnavailable

IDENTITY_QUERIES = "/provision/v1/identity-queries"
BATCHES = "/provision/v1/batches"


class HttpProvisionGateway:
    def __init__(self, client: RecipientClient) -> None:
        self._client = client

    def same_address(self, affair: str, key: Mapping[str, str]) -> list[Occupant]:
        answer = self._client.post(
            "/provision/v1/same-address", {"affair": affair, "key": dict(key)}
        )
        return [_occupant(resident["identity"]) for resident in answer["residents"]]

    def household_check(self, affair: str, resident_codes: Sequence[str]) -> list[HouseholdFinding]:
        answer = self._client.post(
            "/provision/v1/household-checks",
            {"affair": affair, "resident_codes": list(resident_codes)},
        )
        return [_finding(member) for member in answer["members"]]

    def identity_query(
        self, affair: str, key: Mapping[str, str], history: bool = False
    ) -> IdentityAnswer:
        payload = {"affair": affair, "key": dict(key), "history": history}
        with _refusals():
            answer = self._client.post(IDENTITY_QUERIES, payload)
        return IdentityAnswer(answer["provision_id"], list(answer["matches"]))

    def submit_batch(self, batch: BatchFile) -> BatchProgress:
        asked = {"affair": batch.affair, "format": batch.format.value}
        asked["history"] = str(batch.history).lower()
        if batch.encoding:
            asked["encoding"] = batch.encoding
        query = urlencode(asked)
        kind = "text/csv" if batch.format.value == "csv" else "application/x-ndjson"
        with _refusals():
            ticket = self._client.upload(f"{BATCHES}?{query}", batch.content, kind)
        return _progress(ticket)

    def batch_status(self, batch_id: str) -> BatchProgress:
        with _refusals():
            return _progress(self._client.get(_batch_path(batch_id)))

    def batch_answers(self, batch_id: str) -> bytes:
        with _refusals():
            return self._client.download(_batch_path(batch_id) + "/result")


REFUSAL_KINDS: dict[str, Callable[[str, str], DomainError]] = {
    ProvisionNotPermitted.kind: ProvisionNotPermitted,
    NarrowYourSearch.kind: NarrowYourSearch,
    InvalidValue.kind: InvalidValue,
    NotFound.kind: NotFound,
    Conflict.kind: Conflict,
}


def domain_error(status: int, problem: Mapping[str, Any]) -> DomainError | PeerRejected:
    """The node's refusal as the error it raised there: a domain error for a refusal of the
    request (403, 404, 409, 422, a body too large …), ``PeerRejected`` for a refusal of the
    credential (401) or anything else."""
    title = str(problem.get("title", ""))
    detail = str(problem.get("detail") or problem.get("reason") or title)
    field = str(problem.get("field") or "")
    if status != 401 and title in REFUSAL_KINDS:
        return REFUSAL_KINDS[title](field or "request", detail)
    if status in (411, 413, 422):  # the upload itself: no Content-Length, or too large
        return InvalidValue(field or "file", detail)
    return PeerRejected(title or str(status), detail)


@contextmanager
def _refusals() -> Iterator[None]:
    try:
        yield
    except RecipientRequestFailed as failure:
        if failure.status >= 500:
            raise PeerUnavailable(str(failure)) from None
        raise domain_error(failure.status, failure.problem) from None
    except httpx.HTTPError as error:
        raise PeerUnavailable(f"the providing node cannot be reached: {error}") from None


def _batch_path(batch_id: str) -> str:
    return f"{BATCHES}/{quote(batch_id, safe='')}"


def _progress(ticket: Mapping[str, Any]) -> BatchProgress:
    finished = ticket.get("finished_at")
    return BatchProgress(
        ticket["batch_id"],
        ticket["affair"],
        ticket["state"],
        int(ticket["rows_total"]),
        int(ticket["rows_done"]),
        datetime.fromisoformat(ticket["received_at"]),
        datetime.fromisoformat(finished) if finished else None,
        ticket.get("problem"),
    )


def _occupant(identity: dict[str, Any]) -> Occupant:
    name = f"{identity['family_name']}\u3000{identity['given_name']}".strip()
    return Occupant(identity["resident_code"], name, date.fromisoformat(identity["birth_date"]))


def _finding(member: dict[str, Any]) -> HouseholdFinding:
    relationship = member.get("relationship")
    return HouseholdFinding(
        member["resident_code"],
        bool(member["registered"]),
        member.get("household"),
        None if relationship is None else Relationship(relationship),
    )
