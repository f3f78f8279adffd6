"""Deriving agencies' codes on J-LIS's request, and handing them to the agency that asked.

J-LIS sends (agency, 取得番号, 住民票コード); the component derives the code, keeps it under
(agency, 取得番号) until the agency collects it, and forgets the 住民票コード at once. An
agency collecting gets only codes filed under its own id; each is deleted as it is handed
over, so a 取得番号 lives only as long as it is needed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jukinet.domain.agency_codes import AgencyCodeDeriver, check_acquisition_number
from jukinet.domain.errors import InvalidValue
from jukinet.nodes.ports import Clock, LinkageUnitOfWork
from jukinet.protocol.catalogue import AgencyCodeAccepted, AgencyCodeRequest
from jukinet.protocol.directory import NodeEntry
from jukinet.protocol.envelope import Envelope

MAX_COLLECT = 1000


@dataclass
class DeriveAgencyCode:
    """Inbound handler of ``agency-code.request`` at the provision network's node."""

    deriver: AgencyCodeDeriver
    clock: Clock

    def __call__(
        self,
        uow: LinkageUnitOfWork,
        sender: NodeEntry,
        envelope: Envelope,
        bodies: tuple[AgencyCodeRequest, ...],
    ) -> AgencyCodeAccepted:
        now = self.clock.now()
        for request in bodies:
            code = self.deriver.code_for(request.agency_id, request.resident_code)
            uow.agency_codes.file(request.agency_id, request.acquisition_number, code, now)
        return AgencyCodeAccepted(len(bodies))


def collect_codes(
    agency_id: str,
    acquisition_numbers: list[object],
    unit_of_work: Callable[[], LinkageUnitOfWork],
) -> dict[str, str]:
    """The codes filed for ``agency_id`` under these 取得番号, removed as they are returned;
    numbers with nothing filed (never asked, another agency's, or collected already) are
    simply absent from the answer."""
    if not acquisition_numbers or len(acquisition_numbers) > MAX_COLLECT:
        raise InvalidValue("acquisition_numbers", f"give 1 to {MAX_COLLECT} numbers")
    numbers = [
        check_acquisition_number(f"acquisition_numbers[{i}]", n)
        for i, n in enumerate(acquisition_numbers)
    ]
    with unit_of_work() as uow:
        codes = uow.agency_codes.take(agency_id, numbers)
        uow.commit()
    return codes
