"""The message catalogue: every message type, its schema version, body and allowed route.

A body is a frozen dataclass with ``to_body()`` and ``from_body()``, defined in
``protocol/bodies/`` (one module per conversation); ``from_body`` checks every field
(including check digits and name rules, through the domain value objects, see ``fields.py``)
and raises :class:`MalformedEnvelope` naming the field, so a bad message is refused before any
of it is applied. Golden JSON for each type lives in ``tests/golden/``.

| type | from → to | meaning |
|---|---|---|
| ``identity.update`` | municipality → prefecture → national | one new version of a person's 本人確認情報 |
| ``codes.pool-request`` / ``codes.pool-grant`` | municipality ⇄ national | 住民票コード for the municipality's pool |
| ``my-number.request`` / ``my-number.issued`` | municipality ⇄ national | generate a 個人番号 from a 住民票コード |
| ``consistency.digest-request`` / ``consistency.digest-report`` | national → prefecture, municipality | 整合性確認 |
| ``household.query`` / ``household.answer`` | national → municipality | 世帯情報の確認: household and 続柄 of named people |
| ``agency-code.request`` / ``agency-code.accepted`` | national → linkage | 機関別符号: a 住民票コード to derive an agency's code from |
| ``move-out.certificate-info`` | municipality → municipality | 転出証明書情報 of a card holder's move |
| ``move-in.notice`` | municipality → municipality | 転入通知: the person was recorded at the new address |
| ``card.pin-check`` / ``card.pin-verdict`` | municipality ⇄ card | 特例転入: is this the holder's usable card, and its PIN? |
| ``card.continued-use`` / ``card.continued-use-verdict`` | municipality ⇄ card | 継続利用: the card registered by the municipality moved to |
| ``wide-area.copy-request`` / ``wide-area.copy-answer`` | municipality ⇄ municipality | 広域交付: the permitted items of a 住民票の写し |
| ``protection.measure-notice`` | municipality → municipality | 支援措置 for a related municipality (前住所地, 本籍地) to decide on |
| ``immigration.notice`` / ``immigration.notice-receipt`` | immigration → municipality | 住基法30条の50: ISA's changes to a foreign resident; one outcome per notice |
| ``delivery.receipt`` | any receiver → sender | which messages were applied, which were duplicates |
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, ClassVar, Protocol

from jukinet.protocol.bodies.agency_codes import AgencyCodeAccepted, AgencyCodeRequest
from jukinet.protocol.bodies.cards import (
    CardContinuedUse,
    CardContinuedUseVerdict,
    CardPinCheck,
    CardPinVerdict,
)
from jukinet.protocol.bodies.codes import (
    CodePoolGrant,
    CodePoolRequest,
    MyNumberIssued,
    MyNumberReason,
    MyNumberRequest,
)
from jukinet.protocol.bodies.consistency import DigestEntry, DigestReport, DigestRequest
from jukinet.protocol.bodies.copies import WideAreaCopyAnswer, WideAreaCopyRequest
from jukinet.protocol.bodies.households import HouseholdAnswer, HouseholdMember, HouseholdQuery
from jukinet.protocol.bodies.identity import DeliveryReceipt, IdentityUpdate
from jukinet.protocol.bodies.immigration import ImmigrationNotice, ImmigrationNoticeReceipt
from jukinet.protocol.bodies.moves import CertificateInfoNotice, MoveInNotice
from jukinet.protocol.bodies.protection import MeasureNotice
from jukinet.protocol.errors import UnknownMessageType

__all__ = [
    "CATALOGUE",
    "DEFAULT_ROUTES",
    "RECEIPTS",
    "RESPONSES",
    "AgencyCodeAccepted",
    "AgencyCodeRequest",
    "Body",
    "CardContinuedUse",
    "CardContinuedUseVerdict",
    "CardPinCheck",
    "CardPinVerdict",
    "CertificateInfoNotice",
    "CodePoolGrant",
    "CodePoolRequest",
    "DeliveryReceipt",
    "DigestEntry",
    "DigestReport",
    "DigestRequest",
    "HouseholdAnswer",
    "HouseholdMember",
    "HouseholdQuery",
    "IdentityUpdate",
    "ImmigrationNotice",
    "ImmigrationNoticeReceipt",
    "MeasureNotice",
    "MoveInNotice",
    "MyNumberIssued",
    "MyNumberReason",
    "MyNumberRequest",
    "Role",
    "WideAreaCopyAnswer",
    "WideAreaCopyRequest",
    "parse_body",
    "require_known",
]


class Role(StrEnum):
    MUNICIPALITY = "municipality"
    PREFECTURE = "prefecture"
    NATIONAL = "national"
    LINKAGE = "linkage"  # the provision network's code component (機関別符号)
    IMMIGRATION = "immigration"  # 出入国在留管理庁: notices about foreign residents (30条の50)
    CARD = "card"  # 個人番号カード: which cards exist, their state, PIN checks


class Body(Protocol):
    TYPE: ClassVar[str]
    VERSION: ClassVar[int]

    def to_body(self) -> dict[str, Any]: ...


CATALOGUE: dict[tuple[str, int], Any] = {
    (cls.TYPE, cls.VERSION): cls
    for cls in (
        IdentityUpdate,
        CodePoolRequest,
        CodePoolGrant,
        MyNumberRequest,
        MyNumberIssued,
        DigestRequest,
        DigestReport,
        DeliveryReceipt,
        HouseholdQuery,
        HouseholdAnswer,
        AgencyCodeRequest,
        AgencyCodeAccepted,
        ImmigrationNotice,
        ImmigrationNoticeReceipt,
        WideAreaCopyRequest,
        WideAreaCopyAnswer,
        CardPinCheck,
        CardPinVerdict,
        CardContinuedUse,
        CardContinuedUseVerdict,
        CertificateInfoNotice,
        MoveInNotice,
        MeasureNotice,
    )
}

# Which role may send which request type to which role. Responses travel back on the same
# HTTP exchange and are checked against the request they answer, not against this table.
DEFAULT_ROUTES: tuple[tuple[Role, str, Role], ...] = (
    (Role.MUNICIPALITY, IdentityUpdate.TYPE, Role.PREFECTURE),
    (Role.PREFECTURE, IdentityUpdate.TYPE, Role.NATIONAL),
    (Role.MUNICIPALITY, CodePoolRequest.TYPE, Role.NATIONAL),
    (Role.MUNICIPALITY, MyNumberRequest.TYPE, Role.NATIONAL),
    (Role.NATIONAL, DigestRequest.TYPE, Role.PREFECTURE),
    (Role.NATIONAL, DigestRequest.TYPE, Role.MUNICIPALITY),
    (Role.NATIONAL, HouseholdQuery.TYPE, Role.MUNICIPALITY),
    (Role.NATIONAL, AgencyCodeRequest.TYPE, Role.LINKAGE),
    (Role.IMMIGRATION, ImmigrationNotice.TYPE, Role.MUNICIPALITY),
    (Role.MUNICIPALITY, WideAreaCopyRequest.TYPE, Role.MUNICIPALITY),
    (Role.MUNICIPALITY, CardPinCheck.TYPE, Role.CARD),
    (Role.MUNICIPALITY, CardContinuedUse.TYPE, Role.CARD),
    (Role.MUNICIPALITY, CertificateInfoNotice.TYPE, Role.MUNICIPALITY),
    (Role.MUNICIPALITY, MoveInNotice.TYPE, Role.MUNICIPALITY),
    (Role.MUNICIPALITY, MeasureNotice.TYPE, Role.MUNICIPALITY),
)

RESPONSES: dict[str, str] = {
    IdentityUpdate.TYPE: DeliveryReceipt.TYPE,
    CodePoolRequest.TYPE: CodePoolGrant.TYPE,
    MyNumberRequest.TYPE: MyNumberIssued.TYPE,
    DigestRequest.TYPE: DigestReport.TYPE,
    HouseholdQuery.TYPE: HouseholdAnswer.TYPE,
    CertificateInfoNotice.TYPE: DeliveryReceipt.TYPE,
    MoveInNotice.TYPE: DeliveryReceipt.TYPE,
    MeasureNotice.TYPE: DeliveryReceipt.TYPE,
    AgencyCodeRequest.TYPE: AgencyCodeAccepted.TYPE,
    WideAreaCopyRequest.TYPE: WideAreaCopyAnswer.TYPE,
    CardPinCheck.TYPE: CardPinVerdict.TYPE,
    CardContinuedUse.TYPE: CardContinuedUseVerdict.TYPE,
}


# One-way types sent many to an envelope, like identity updates, whose receiver answers with a
# receipt of its own type instead of ``delivery.receipt``: one outcome per message, which the
# sender keeps (the relay hands the receipt to the sender's sink, adapters/network/relay.py).
RECEIPTS: dict[str, str] = {
    ImmigrationNotice.TYPE: ImmigrationNoticeReceipt.TYPE,
}


def require_known(message_type: str, version: int) -> Any:
    """The body class of a catalogued type and version, or :class:`UnknownMessageType`."""
    cls = CATALOGUE.get((message_type, version))
    if cls is None:
        raise UnknownMessageType(f"{message_type} v{version} is not in the catalogue")
    return cls


def parse_body(message_type: str, version: int, body: Mapping[str, Any]) -> Any:
    """Turn a wire body into its typed message, or refuse it."""
    return require_known(message_type, version).from_body(body)
