"""Issuing codes: 住民票コード pools for municipalities and 個人番号 from 住民票コード.

Both tables of issued values are never pruned, which is what makes "never duplicated, never
reused" true across the life of the system: a candidate already in the table is redrawn.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from jukinet.domain.codes import ResidentCode
from jukinet.domain.errors import Conflict
from jukinet.nodes.national.numbering import MyNumberDeriver
from jukinet.nodes.ports import Clock, NationalUnitOfWork
from jukinet.protocol.catalogue import (
    CodePoolGrant,
    CodePoolRequest,
    MyNumberIssued,
    MyNumberReason,
    MyNumberRequest,
)

MAX_REDRAWS = 1_000


def random_resident_code(randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    """Ten random digits and the check digit; the code says nothing about the person."""
    return ResidentCode.from_body(f"{randbelow(10**10):010d}").value


def grant_codes(
    uow: NationalUnitOfWork,
    request: CodePoolRequest,
    clock: Clock,
    draw: Callable[[], str] = random_resident_code,
) -> CodePoolGrant:
    """Draw ``request.count`` codes that were never issued before and record them as granted."""
    granted: list[str] = []
    for _ in range(MAX_REDRAWS):
        wanted = request.count - len(granted)
        if wanted == 0:
            return CodePoolGrant(request.municipality_code, tuple(granted))
        candidates = list({draw() for _ in range(wanted)})
        granted += uow.issued_codes.add_new(candidates, request.municipality_code, clock.now())
    raise Conflict("count", "could not draw enough unused codes; the code space is too full")


def issue_my_number(
    uow: NationalUnitOfWork, request: MyNumberRequest, deriver: MyNumberDeriver, clock: Clock
) -> MyNumberIssued:
    """Return the person's number, generating it if needed (番号法8条).

    An initial request for a code that already has a number returns that number, so a retried
    request is harmless. A leak request retires the old number and generates a new one.
    """
    code = request.resident_code
    if request.reason is MyNumberReason.INITIAL:
        existing = uow.issued_numbers.number_for(code)
        if existing is not None:
            return MyNumberIssued(code, existing)
        if not uow.issued_codes.was_issued(code):
            raise Conflict("resident_code", f"{code} was never issued by the national node")
    else:
        assert request.replaces is not None  # the catalogue guarantees it for LEAK
        uow.issued_numbers.retire(request.replaces)
    start = 0 if request.reason is MyNumberReason.INITIAL else 1
    for counter in range(start, start + MAX_REDRAWS):
        candidate = deriver.number(code, counter)
        if uow.issued_numbers.add_if_new(candidate, code, request.reason.value, clock.now()):
            return MyNumberIssued(code, candidate)
    raise Conflict("resident_code", f"no unused number could be derived for {code}")
