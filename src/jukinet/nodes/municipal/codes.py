"""The municipality's supply of codes: its 住民票コード pool and 個人番号 from the national node.

Codes come over the network, so they are fetched *before* the register's unit of work opens:
a transaction is never held open across a network call. A code taken from the pool and not
used (because the registration then failed) is simply never used: codes are never reissued.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from jukinet.domain.changes import ChangeReason
from jukinet.domain.errors import CodesExhausted, InvalidValue, NotFound
from jukinet.nodes.municipal.notices import active_resident, record_change, snapshot
from jukinet.nodes.municipal.office import Office
from jukinet.nodes.ports import Clock, MunicipalUnitOfWork, Peer
from jukinet.protocol.catalogue import (
    CodePoolGrant,
    CodePoolRequest,
    MyNumberIssued,
    MyNumberReason,
    MyNumberRequest,
)

LOW_WATER = 50
REFILL = 200


@dataclass(frozen=True, slots=True)
class CodeSupply:
    """Everything the register needs to hand out new codes."""

    office: Office
    peer: Peer
    clock: Clock
    unit_of_work: Callable[[], MunicipalUnitOfWork]
    low_water: int = LOW_WATER
    refill: int = REFILL

    def refill_pool(self, force: bool = False) -> int:
        """Ask the national node for codes when the pool runs low; returns how many arrived."""
        with self.unit_of_work() as uow:
            available = uow.code_pool.available()
        if available >= self.low_water and not force:
            return 0
        grant: CodePoolGrant = self.peer.request(
            self.office.national_node,
            CodePoolRequest(self.office.municipality_code, self.refill),
        )
        with self.unit_of_work() as uow:
            uow.code_pool.add_many(grant.codes, self.clock.now())
            uow.commit()
        return len(grant.codes)

    def reserve_code(self) -> str:
        """Take one unused 住民票コード from the pool, refilling it first if it is low."""
        self.refill_pool()
        with self.unit_of_work() as uow:
            code = uow.code_pool.take()
            uow.commit()
        if code is None:
            raise CodesExhausted("resident_code", "the pool is empty and could not be refilled")
        return code

    def my_number_for(self, resident_code: str) -> str:
        """The 個人番号 the national node generates (or already generated) for this code."""
        issued: MyNumberIssued = self.peer.request(
            self.office.national_node, MyNumberRequest(resident_code, MyNumberReason.INITIAL)
        )
        return issued.my_number

    def new_identity(self, previous_code: str | None = None) -> tuple[str, str]:
        """A code and number for a person: their previous code kept, or a new one reserved.

        Someone who lived here before keeps the number of their old record; anyone else's
        number comes from the national node, which knows it by their code.
        """
        if previous_code is None:
            code = self.reserve_code()
            return code, self.my_number_for(code)
        with self.unit_of_work() as uow:
            earlier = uow.residents.any_by_code(previous_code)
        if earlier is not None and earlier.my_number is not None:
            return previous_code, earlier.my_number
        return previous_code, self.my_number_for(previous_code)


def change_resident_code(
    resident_code: str, requested_on: date, operator: str, supply: CodeSupply
) -> str:
    """住基法30条の4: a new 住民票コード on request (no reason needed); returns the new code."""
    with supply.unit_of_work() as uow:
        if uow.residents.active_by_code(resident_code) is None:
            raise NotFound("resident_code", f"no active resident with code {resident_code}")
    new_code = supply.reserve_code()
    with supply.unit_of_work() as uow:
        resident = active_resident(uow, resident_code)
        before = snapshot(resident)
        resident.change_resident_code(new_code, requested_on)
        record_change(
            uow,
            supply.office,
            supply.clock,
            resident,
            before=before,
            reason=ChangeReason.RESIDENT_CODE_CHANGE,
            occurred_on=requested_on,
            notified_on=requested_on,
            operator=operator,
        )
        uow.commit()
    return new_code


def change_my_number(
    resident_code: str, requested_on: date, operator: str, supply: CodeSupply
) -> str:
    """番号法7条2項: a new 個人番号 when the old one leaked; the old one is never reissued."""
    with supply.unit_of_work() as uow:
        current = active_resident(uow, resident_code).my_number
    if current is None:
        raise InvalidValue("my_number", f"{resident_code} has no 個人番号 to replace")
    issued: MyNumberIssued = supply.peer.request(
        supply.office.national_node,
        MyNumberRequest(resident_code, MyNumberReason.LEAK, replaces=current),
    )
    with supply.unit_of_work() as uow:
        resident = active_resident(uow, resident_code)
        before = snapshot(resident)
        resident.change_my_number(issued.my_number, requested_on)
        record_change(
            uow,
            supply.office,
            supply.clock,
            resident,
            before=before,
            reason=ChangeReason.MY_NUMBER_CHANGE,
            occurred_on=requested_on,
            notified_on=requested_on,
            operator=operator,
        )
        uow.commit()
    return issued.my_number
