"""What one municipality's CS tells another's when a person moves between them.

- **転入通知** (住基法9条): the new municipality, having recorded a person who moved in, tells
  the old one, which completes its removal with the actual date and destination
  (``move-out-confirmed``) and notifies that upward like any other change.
- **転出証明書情報** (住基法24条の2): the old municipality sends a card holder's certificate
  items to the new one, which keeps them until the person comes with the card.

Both travel through the outbox in the same unit of work as the change that causes them, so a
link that is down only delays them; a notice delivered twice changes nothing the second time.
A 転入通知 that matches no move-out here (a wrong previous 住民票コード, a certificate this
municipality never issued, a person whose removal was for death) is kept as *unmatched* for
the clerks to follow up with the other municipality; it is never applied to someone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import structlog

from jukinet.domain.certificates import CertificateInfo, MoveOutCertificate
from jukinet.domain.changes import ChangeReason
from jukinet.domain.errors import DomainError
from jukinet.domain.residents import Resident
from jukinet.nodes.municipal.notices import record_change, snapshot
from jukinet.nodes.municipal.office import Office
from jukinet.nodes.ports import Clock, MunicipalUnitOfWork, ReceivedMoveInNotice
from jukinet.protocol.catalogue import CertificateInfoNotice, DeliveryReceipt, MoveInNotice
from jukinet.protocol.directory import NodeEntry, municipality_node_id
from jukinet.protocol.envelope import Envelope
from jukinet.protocol.errors import RouteRefused

log = structlog.get_logger("jukinet.moves")

COMPLETED = "completed"
UNMATCHED = "unmatched"


def send_move_in_notice(
    uow: MunicipalUnitOfWork,
    office: Office,
    resident: Resident,
    certificate: MoveOutCertificate,
    now: datetime,
) -> None:
    """Queue the 転入通知 of ``resident`` (just recorded here) for the old municipality."""
    notice = MoveInNotice(
        certificate_id=certificate.certificate_id,
        issuer=certificate.issuer,
        resident_code=resident.resident_code,
        family_name=resident.name.family,
        given_name=resident.name.given,
        birth_date=resident.birth_date,
        sex=resident.sex,
        municipality_code=office.municipality_code,
        address=resident.address,
        moved_in_on=resident.became_resident_on,
        notified_on=resident.notified_on,
    )
    uow.outbox.add(municipality_node_id(certificate.issuer), notice.message(now))


def send_certificate_info(
    uow: MunicipalUnitOfWork, destination_node: str, info: CertificateInfo, now: datetime
) -> None:
    """Queue one person's 転出証明書情報 for the new municipality."""
    uow.outbox.add(destination_node, CertificateInfoNotice(info).message(now))


def _sender_code(sender: NodeEntry) -> str:
    if sender.municipality_code is None:
        raise RouteRefused(f"{sender.id} is not a municipality")
    return sender.municipality_code


@dataclass(frozen=True, slots=True)
class CompleteMoveOuts:
    """The old municipality's handler of 転入通知."""

    office: Office
    clock: Clock

    def __call__(
        self,
        uow: MunicipalUnitOfWork,
        sender: NodeEntry,
        envelope: Envelope,
        bodies: tuple[MoveInNotice, ...],
    ) -> DeliveryReceipt:
        sender_code = _sender_code(sender)
        accepted, duplicates = [], []
        for message, notice in zip(envelope.messages, bodies, strict=True):
            if notice.municipality_code != sender_code:
                raise RouteRefused(f"{sender.id} may not notify for {notice.municipality_code}")
            if uow.move_in_notices.seen(message.id):
                duplicates.append(message.id)
                continue
            outcome, detail = self._apply(uow, notice)
            uow.move_in_notices.add(
                ReceivedMoveInNotice(
                    message_id=message.id,
                    received_at=self.clock.now(),
                    sender=sender_code,
                    notice=notice,
                    outcome=outcome,
                    detail=detail,
                )
            )
            if outcome == UNMATCHED:
                log.warning("unmatched move-in notice", sender=sender.id, detail=detail)
            accepted.append(message.id)
        return DeliveryReceipt(tuple(accepted), tuple(duplicates))

    def _apply(self, uow: MunicipalUnitOfWork, notice: MoveInNotice) -> tuple[str, str]:
        if notice.issuer != self.office.municipality_code:
            return UNMATCHED, f"the certificate was issued by {notice.issuer}, not here"
        certificate = uow.certificates.get(notice.certificate_id)
        if certificate is None or certificate.resident_code != notice.resident_code:
            return UNMATCHED, (
                f"no certificate {notice.certificate_id} was issued here for {notice.resident_code}"
            )
        resident = uow.residents.any_by_code(notice.resident_code)
        if resident is None:
            return UNMATCHED, f"no record of {notice.resident_code} here"
        if (resident.name.family, resident.birth_date, resident.sex) != (
            notice.family_name,
            notice.birth_date,
            notice.sex,
        ):
            return UNMATCHED, "name, date of birth or sex differ from the record"
        before = snapshot(resident)
        destination = notice.address
        try:
            changed = resident.confirm_move_out(notice.moved_in_on, destination)
        except DomainError as error:
            return UNMATCHED, error.problem
        if changed:
            record_change(
                uow,
                self.office,
                self.clock,
                resident,
                before=before,
                reason=ChangeReason.MOVE_OUT_CONFIRMED,
                occurred_on=notice.moved_in_on,
                notified_on=notice.notified_on,
                operator=f"move-in-notice:{notice.municipality_code}",
            )
        return COMPLETED, ""


@dataclass(frozen=True, slots=True)
class KeepCertificateInfo:
    """The new municipality's handler of 転出証明書情報: keep it until the person comes."""

    office: Office
    clock: Clock

    def __call__(
        self,
        uow: MunicipalUnitOfWork,
        sender: NodeEntry,
        envelope: Envelope,
        bodies: tuple[CertificateInfoNotice, ...],
    ) -> DeliveryReceipt:
        sender_code = _sender_code(sender)
        accepted, duplicates = [], []
        for message, body in zip(envelope.messages, bodies, strict=True):
            info = body.info
            if info.certificate.issuer != sender_code:
                raise RouteRefused(f"{sender.id} may not send certificates of {sender_code}")
            if info.destination_code != self.office.municipality_code:
                raise RouteRefused(f"the certificate is meant for {info.destination_code}")
            if uow.arriving_certificates.add(info, self.clock.now()):
                accepted.append(message.id)
            else:
                duplicates.append(message.id)
        return DeliveryReceipt(tuple(accepted), tuple(duplicates))


def unmatched_notices(
    uow: MunicipalUnitOfWork, since: date | None = None
) -> list[ReceivedMoveInNotice]:
    """転入通知 that matched no move-out here, oldest first, for the clerks to follow up."""
    return uow.move_in_notices.with_outcome(UNMATCHED, since)
