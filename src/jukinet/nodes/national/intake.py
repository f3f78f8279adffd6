"""Handlers of the national node: identity updates from prefecture nodes, and code requests
from municipalities."""

from __future__ import annotations

from dataclasses import dataclass

from jukinet.nodes.intake import store_updates
from jukinet.nodes.national.issuance import follow_code_changes, grant_codes, issue_my_number
from jukinet.nodes.national.numbering import MyNumberDeriver
from jukinet.nodes.ports import Clock, NationalUnitOfWork
from jukinet.protocol.catalogue import (
    CodePoolGrant,
    CodePoolRequest,
    DeliveryReceipt,
    IdentityUpdate,
    MyNumberIssued,
    MyNumberRequest,
)
from jukinet.protocol.directory import NodeEntry
from jukinet.protocol.envelope import Envelope
from jukinet.protocol.errors import RouteRefused


def _everyone(_: str) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class StoreIdentityUpdates:
    clock: Clock

    def __call__(
        self,
        uow: NationalUnitOfWork,
        sender: NodeEntry,
        envelope: Envelope,
        bodies: tuple[IdentityUpdate, ...],
    ) -> DeliveryReceipt:
        receipt, fresh = store_updates(uow, sender, envelope, bodies, self.clock.now(), _everyone)
        follow_code_changes(uow, (update for _, update in fresh))
        return receipt


@dataclass(frozen=True, slots=True)
class GrantCodePool:
    clock: Clock

    def __call__(
        self,
        uow: NationalUnitOfWork,
        sender: NodeEntry,
        envelope: Envelope,
        bodies: tuple[CodePoolRequest, ...],
    ) -> CodePoolGrant:
        request = bodies[0]
        if sender.municipality_code != request.municipality_code:
            raise RouteRefused(f"{sender.id} may not ask codes for {request.municipality_code}")
        return grant_codes(uow, request, self.clock)


@dataclass(frozen=True, slots=True)
class GenerateMyNumber:
    deriver: MyNumberDeriver
    clock: Clock

    def __call__(
        self,
        uow: NationalUnitOfWork,
        sender: NodeEntry,
        envelope: Envelope,
        bodies: tuple[MyNumberRequest, ...],
    ) -> MyNumberIssued:
        return issue_my_number(uow, bodies[0], self.deriver, self.clock)
