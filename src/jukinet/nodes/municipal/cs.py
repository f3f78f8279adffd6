"""Inbound handlers of the municipality's Communication Server (CS)."""

from __future__ import annotations

from dataclasses import dataclass

from jukinet.nodes.intake import report_digest
from jukinet.nodes.municipal.office import Office
from jukinet.nodes.ports import MunicipalUnitOfWork
from jukinet.protocol.catalogue import DigestReport, DigestRequest
from jukinet.protocol.directory import NodeEntry
from jukinet.protocol.envelope import Envelope
from jukinet.protocol.errors import RouteRefused


@dataclass(frozen=True, slots=True)
class AnswerDigest:
    """整合性確認: report the latest identity version this municipality notified per record."""

    office: Office

    def __call__(
        self,
        uow: MunicipalUnitOfWork,
        sender: NodeEntry,
        envelope: Envelope,
        bodies: tuple[DigestRequest, ...],
    ) -> DigestReport:
        request = bodies[0]
        if request.municipality_code != self.office.municipality_code:
            raise RouteRefused(f"this node answers only for {self.office.municipality_code}")
        return report_digest(uow, request)
