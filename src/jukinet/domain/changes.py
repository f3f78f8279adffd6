"""Change reasons (異動事由) and how each one reaches Juki-net.

The law sorts every change of a 住民票 into 記載 (a record is created), 消除 (removed) and
記載の修正 (corrected); only those touching identity information are notified upward
(住基法30条の6). J-LIS's numeric code table is not public, so the codes below are our own,
stable identifiers (DOMAIN.md §13.4); the Japanese label is what screens and reports print.
"""

from __future__ import annotations

from enum import StrEnum


class NotificationKind(StrEnum):
    """How a change is notified: the three statutory categories, or not at all."""

    RECORD = "record"  # 記載
    REMOVAL = "removal"  # 消除
    CORRECTION = "correction"  # 記載の修正
    LOCAL = "local"  # stays in the municipal register (世帯変更 …)


class ChangeReason(StrEnum):
    """A 異動事由; ``kind`` says how it is notified and ``label`` how it is printed."""

    BIRTH = "birth"
    ARRIVAL_FROM_ABROAD = "arrival-from-abroad"
    FOREIGN_RESIDENT_REGISTRATION = "foreign-resident-registration"
    MOVE_IN = "move-in"
    EX_OFFICIO_RECORD = "ex-officio-record"
    MOVE_OUT = "move-out"
    MOVE_OUT_CONFIRMED = "move-out-confirmed"  # 転入通知 received: the actual date and place
    MOVE_ABROAD = "move-abroad"
    DEATH = "death"
    EX_OFFICIO_REMOVAL = "ex-officio-removal"
    MOVE_WITHIN = "move-within"
    NAME_CHANGE = "name-change"
    EX_OFFICIO_CORRECTION = "ex-officio-correction"
    RESIDENT_CODE_CHANGE = "resident-code-change"
    MY_NUMBER_CHANGE = "my-number-change"
    HOUSEHOLD_CHANGE = "household-change"
    # Notices of the immigration authority (住基法30条の50): the items only foreign residents
    # have change locally; a name, birth date or sex it records is identity information.
    RESIDENCE_STATUS_CHANGE = "residence-status-change"
    IMMIGRATION_CORRECTION = "immigration-correction"
    FOREIGN_RESIDENT_REMOVAL = "foreign-resident-removal"

    @property
    def kind(self) -> NotificationKind:
        return _KINDS[self]

    @property
    def label(self) -> str:
        return _LABELS[self]


_KINDS = {
    ChangeReason.BIRTH: NotificationKind.RECORD,
    ChangeReason.ARRIVAL_FROM_ABROAD: NotificationKind.RECORD,
    ChangeReason.FOREIGN_RESIDENT_REGISTRATION: NotificationKind.RECORD,
    ChangeReason.MOVE_IN: NotificationKind.RECORD,
    ChangeReason.EX_OFFICIO_RECORD: NotificationKind.RECORD,
    ChangeReason.MOVE_OUT: NotificationKind.REMOVAL,
    ChangeReason.MOVE_OUT_CONFIRMED: NotificationKind.REMOVAL,
    ChangeReason.MOVE_ABROAD: NotificationKind.REMOVAL,
    ChangeReason.DEATH: NotificationKind.REMOVAL,
    ChangeReason.EX_OFFICIO_REMOVAL: NotificationKind.REMOVAL,
    ChangeReason.MOVE_WITHIN: NotificationKind.CORRECTION,
    ChangeReason.NAME_CHANGE: NotificationKind.CORRECTION,
    ChangeReason.EX_OFFICIO_CORRECTION: NotificationKind.CORRECTION,
    ChangeReason.RESIDENT_CODE_CHANGE: NotificationKind.CORRECTION,
    ChangeReason.MY_NUMBER_CHANGE: NotificationKind.CORRECTION,
    ChangeReason.HOUSEHOLD_CHANGE: NotificationKind.LOCAL,
    ChangeReason.RESIDENCE_STATUS_CHANGE: NotificationKind.LOCAL,
    ChangeReason.IMMIGRATION_CORRECTION: NotificationKind.CORRECTION,
    ChangeReason.FOREIGN_RESIDENT_REMOVAL: NotificationKind.REMOVAL,
}

_LABELS = {
    ChangeReason.BIRTH: "出生",
    ChangeReason.ARRIVAL_FROM_ABROAD: "国外からの転入",
    ChangeReason.FOREIGN_RESIDENT_REGISTRATION: "外国人住民の記載",
    ChangeReason.MOVE_IN: "転入",
    ChangeReason.EX_OFFICIO_RECORD: "職権記載",
    ChangeReason.MOVE_OUT: "転出",
    ChangeReason.MOVE_OUT_CONFIRMED: "転出確定",
    ChangeReason.MOVE_ABROAD: "国外転出",
    ChangeReason.DEATH: "死亡",
    ChangeReason.EX_OFFICIO_REMOVAL: "職権消除",
    ChangeReason.MOVE_WITHIN: "転居",
    ChangeReason.NAME_CHANGE: "氏名変更",
    ChangeReason.EX_OFFICIO_CORRECTION: "職権修正",
    ChangeReason.RESIDENT_CODE_CHANGE: "住民票コード変更",
    ChangeReason.MY_NUMBER_CHANGE: "個人番号変更",
    ChangeReason.HOUSEHOLD_CHANGE: "世帯変更",
    ChangeReason.RESIDENCE_STATUS_CHANGE: "在留資格等の変更",
    ChangeReason.IMMIGRATION_CORRECTION: "法務大臣の通知による修正",
    ChangeReason.FOREIGN_RESIDENT_REMOVAL: "法務大臣の通知による消除",
}
