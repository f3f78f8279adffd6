"""Issuing codes: 住民票コード pools for municipalities and 個人番号 from 住民票コード.

Both tables of issued values are never pruned, which is what makes "never duplicated, never
reused" true across the life of the system: a candidate already in the table is redrawn.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable

from jukinet.domain.changes import ChangeReason
from jukinet.domain.codes import ResidentCode
from jukinet.domain.errors import Conflict
from jukinet.nodes.national.numbering import MyNumberDeriver
from jukinet.nodes.ports import Clock, NationalUnitOfWork
from jukinet.protocol.catalogue import (
    CodePoolGrant,
    CodePoolRequest,
    IdentityUpdate,
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
        candidates = list({draw() for _ in range(request.count - len(granted))})
        granted += uow.issued_codes.add_new(candidates, request.municipality_code, clock.now())
        if len(granted) == request.count:
            return CodePoolGrant(request.municipality_code, tuple(granted))
    raise Conflict("count", "could not draw enough unused codes; the code space is too full")


def follow_code_changes(uow: NationalUnitOfWork, updates: Iterable[IdentityUpdate]) -> None:
    """A 住民票コード change keeps the 個人番号 (番号法: it changes only after a leak), so the
    national node re-designates the number to the new code when it learns of the change."""
    for update in updates:
        identity = update.identity
        if identity.reason is ChangeReason.RESIDENT_CODE_CHANGE and identity.my_number:
            uow.issued_numbers.designate(identity.my_number, identity.resident_code)


def issue_my_number(
    uow: NationalUnitOfWork, request: MyNumberRequest, deriver: MyNumberDeriver, clock: Clock
) -> MyNumberIssued:
    """Return the person's number, generating it if needed (番号法8条).

    An initial request for a code that already has a number returns that number, so a retried
    request is harmless. A leak request retires the old number and generates a new one; it must
    name the code's current number (or, when retried, the number it already replaced). A
    number follows its person through a change of 住民票コード (see ``follow_code_changes``). Raises ``Conflict`` on ``resident_code`` for a code the
    national node never issued, and on ``replaces`` for a number that is not the code's.
    """
    code = request.resident_code
    current = uow.issued_numbers.number_for(code)
    if request.reason is MyNumberReason.INITIAL:
        if current is not None:
            return MyNumberIssued(code, current)
        if not uow.issued_codes.was_issued(code):
            raise Conflict("resident_code", f"{code} was never issued by the national node")
    else:
        assert request.replaces is not None  # the catalogue guarantees it for LEAK
        if current is not None and uow.issued_numbers.was_retired(request.replaces, code):
            return MyNumberIssued(code, current)  # a retry whose first answer was lost
        if current is None or current != request.replaces:
            raise Conflict("replaces", f"{request.replaces} is not the current number of {code}")
        uow.issued_numbers.retire(current)
    start = 0 if request.reason is MyNumberReason.INITIAL else 1
    for counter in range(start, start + MAX_REDRAWS):
        candidate = deriver.number(code, counter)
        if uow.issued_numbers.add_if_new(candidate, code, request.reason.value, clock.now()):
            return MyNumberIssued(code, candidate)
        # A concurrent request for this code (a retry) may have designated a number while this
        # insert waited for it; answer with that one rather than give the code a second number.
        designated = uow.issued_numbers.number_for(code)
        if designated is not None:
            return MyNumberIssued(code, designated)
    raise Conflict("resident_code", f"no unused number could be derived for {code}")
