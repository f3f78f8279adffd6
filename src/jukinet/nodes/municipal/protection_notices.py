"""支援措置 between municipalities: telling the related ones, and being told.

The municipality that grants a measure tells each related municipality it names (前住所地,
本籍地, 前本籍地) that has a CS on this network, with ``protection.measure-notice`` through the
outbox, in the unit of work of the decision. One that is not on the network is not told here
(the clerks send the application form by post, as before the network existed).

The receiving CS records the measure as *requested by another municipality*, in state
``applied``, for its own clerks to decide: a municipality decides its own measures, so nothing
is suppressed until they do (``decide_provisionally`` or ``grant_measure``). A notice seen
before (same sender and measure) changes nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import structlog

from jukinet.domain.suppressions import MeasureOrigin, MeasureState, SupportMeasure
from jukinet.nodes.municipal.office import Office
from jukinet.nodes.ports import Clock, MunicipalUnitOfWork
from jukinet.protocol.bodies.protection import MeasureNotice
from jukinet.protocol.catalogue import DeliveryReceipt
from jukinet.protocol.directory import NodeEntry, municipality_node_id
from jukinet.protocol.envelope import Envelope
from jukinet.protocol.errors import RouteRefused

log = structlog.get_logger("jukinet.protection")


def send_measure_notices(
    uow: MunicipalUnitOfWork, office: Office, measure: SupportMeasure, now: datetime
) -> list[str]:
    """Queue the notice for every related municipality on the network; returns their codes."""
    person = uow.residents.any_by_code(measure.resident_code)
    if person is None:
        return []
    told = []
    for code, relation in measure.related:
        if code not in office.network:
            continue
        notice = MeasureNotice(
            measure_id=measure.measure_id,
            sender=office.municipality_code,
            recipient=code,
            relation=relation,
            resident_code=person.resident_code,
            family_name=person.name.family,
            given_name=person.name.given,
            birth_date=person.birth_date,
            sex=person.sex,
            state=measure.state,
            ends_on=measure.ends_on,
            co_residents=measure.co_residents,
        )
        uow.outbox.add(municipality_node_id(code), notice.message(now))
        told.append(code)
    return told


@dataclass(frozen=True, slots=True)
class RecordRequestedMeasures:
    """The CS handler of ``protection.measure-notice``."""

    office: Office
    clock: Clock

    def __call__(
        self,
        uow: MunicipalUnitOfWork,
        sender: NodeEntry,
        envelope: Envelope,
        bodies: tuple[MeasureNotice, ...],
    ) -> DeliveryReceipt:
        here = self.office.municipality_code
        accepted, duplicates = [], []
        for message, notice in zip(envelope.messages, bodies, strict=True):
            if notice.sender != sender.municipality_code:
                raise RouteRefused(f"{sender.id} may not send measures of {notice.sender}")
            if notice.recipient != here:
                raise RouteRefused(f"the measure is meant for {notice.recipient}")
            if uow.protection.requested(notice.sender, notice.measure_id) is not None:
                duplicates.append(message.id)
                continue
            uow.protection.add_measure(self._requested(uow, notice))
            accepted.append(message.id)
        return DeliveryReceipt(tuple(accepted), tuple(duplicates))

    def _requested(self, uow: MunicipalUnitOfWork, notice: MeasureNotice) -> SupportMeasure:
        known = uow.residents.any_by_code(notice.resident_code) is not None
        if not known:
            log.warning("measure for a person not in this register", sender=notice.sender)
        note = f"{notice.relation.value} of {notice.sender}" + ("" if known else "; no record here")
        return SupportMeasure(
            measure_id=uuid.uuid4().hex,
            resident_code=notice.resident_code,
            state=MeasureState.APPLIED,
            origin=MeasureOrigin.REQUESTED,
            applied_on=self.clock.today(),
            recorded_by=f"measure-notice:{notice.sender}",
            co_residents=notice.co_residents,
            requested_by=notice.sender,
            remote_measure_id=notice.measure_id,
            note=note,
        )
