"""Intake at the prefecture node: store each municipality's updates and pass them on to J-LIS.

Storing and queueing the forward happen in one transaction, so an update is either held here
and on its way to the national node, or not taken at all (the municipality will resend).
"""

from __future__ import annotations

from dataclasses import dataclass

from jukinet.nodes.intake import report_digest, store_updates
from jukinet.nodes.ports import Clock, IdentityStoreUnitOfWork
from jukinet.protocol.catalogue import DeliveryReceipt, DigestReport, DigestRequest, IdentityUpdate
from jukinet.protocol.directory import NodeEntry
from jukinet.protocol.envelope import Envelope


@dataclass(frozen=True, slots=True)
class PrefectureOffice:
    node_id: str
    prefectures: frozenset[str]  # two-digit codes of the tenant prefectures
    national_node: str

    def serves(self, municipality_code: str) -> bool:
        return municipality_code[:2] in self.prefectures


@dataclass(frozen=True, slots=True)
class ForwardIdentityUpdates:
    """Handler for ``identity.update`` from municipalities."""

    office: PrefectureOffice
    clock: Clock

    def __call__(
        self,
        uow: IdentityStoreUnitOfWork,
        sender: NodeEntry,
        envelope: Envelope,
        bodies: tuple[IdentityUpdate, ...],
    ) -> DeliveryReceipt:
        now = self.clock.now()
        receipt, fresh = store_updates(uow, sender, envelope, bodies, now, self.office.serves)
        for _, update in fresh:
            uow.outbox.add(self.office.national_node, update.message(now))
        return receipt


def answer_digest(
    uow: IdentityStoreUnitOfWork,
    sender: NodeEntry,
    envelope: Envelope,
    bodies: tuple[DigestRequest, ...],
) -> DigestReport:
    return report_digest(uow, bodies[0])
