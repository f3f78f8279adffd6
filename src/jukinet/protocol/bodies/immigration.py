"""Notices of the immigration authority (住基法30条の50) and the municipality's receipt.

The Minister of Justice (出入国在留管理庁, node ``immigration``) tells the municipality where a
foreign resident lives about each change it made to the items the register copies from it:
status and period of stay, the card number, nationality, name, date of birth, sex — and the
end of the person's stay (departure, expiry, deportation …). Each notice is one message; many
travel in one envelope. The municipality answers every envelope with one outcome per notice.

A notice names the person by the number of the card they hold now (在留カード or
特別永住者証明書) and repeats the name and date of birth ISA has, so that the municipality
can refuse a notice whose card number points at someone else. Only a person who holds no
card yet (a 経過滞在者 acquiring a status, say) may be named without one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, ClassVar

from jukinet.domain.codes import LocalGovernmentCode
from jukinet.domain.dates import parse_date
from jukinet.domain.errors import InvalidValue
from jukinet.domain.identity import NAME_LIMIT, Sex
from jukinet.domain.residents import ForeignResidentBlock, ForeignResidentClass
from jukinet.domain.text import clean_text
from jukinet.protocol.errors import MalformedEnvelope
from jukinet.protocol.fields import checked_code, require

NOTICE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
TEXT_LIMIT = 40  # 在留資格, 在留期間, 国籍・地域 (ForeignResidentBlock's limits)
CAUSE_LIMIT = 200


class NoticeKind(StrEnum):
    """What ISA changed; ``label`` is the statutory wording screens print."""

    STATUS_CHANGE = "status-change"  # 在留資格の変更 (a new card comes with it)
    PERIOD_EXTENSION = "period-extension"  # 在留期間の更新 (a new card comes with it)
    STATUS_ACQUIRED = "status-acquired"  # 在留資格の取得 (e.g. a 経過滞在者 becomes 中長期在留者)
    CARD_REISSUE = "card-reissue"  # 在留カード / 特別永住者証明書 issued anew: a new number
    SPECIAL_PERMANENT_PERMISSION = "special-permanent-permission"  # 特別永住許可
    NAME_CHANGE = "name-change"  # 氏名の変更
    NATIONALITY_CHANGE = "nationality-change"  # 国籍・地域の変更
    BIRTH_DATE_CHANGE = "birth-date-change"  # 生年月日の変更
    SEX_CHANGE = "sex-change"  # 性別の変更
    DEPARTURE = "departure"  # 出国 (without a re-entry permit, or one that lapsed)
    STATUS_LOST = "status-lost"  # 在留期間の満了, 退去強制, 在留資格の取消 …

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def changes(self) -> frozenset[str]:
        """The fields of ``changes`` this kind carries (each one required)."""
        return _CHANGES[self]

    @property
    def ends_stay(self) -> bool:
        return self in (NoticeKind.DEPARTURE, NoticeKind.STATUS_LOST)

    @property
    def corrects_identity(self) -> bool:
        """The change touches identity information (本人確認情報) and is notified upward."""
        return self in (NoticeKind.NAME_CHANGE, NoticeKind.BIRTH_DATE_CHANGE, NoticeKind.SEX_CHANGE)

    @property
    def may_lack_card(self) -> bool:
        """Whether the person may hold no card yet when ISA sends this notice."""
        return self in (NoticeKind.STATUS_ACQUIRED, NoticeKind.SPECIAL_PERMANENT_PERMISSION)


_LABELS = {
    NoticeKind.STATUS_CHANGE: "在留資格の変更",
    NoticeKind.PERIOD_EXTENSION: "在留期間の更新",
    NoticeKind.STATUS_ACQUIRED: "在留資格の取得",
    NoticeKind.CARD_REISSUE: "在留カード等の番号の変更",
    NoticeKind.SPECIAL_PERMANENT_PERMISSION: "特別永住許可",
    NoticeKind.NAME_CHANGE: "氏名の変更",
    NoticeKind.NATIONALITY_CHANGE: "国籍・地域の変更",
    NoticeKind.BIRTH_DATE_CHANGE: "生年月日の変更",
    NoticeKind.SEX_CHANGE: "性別の変更",
    NoticeKind.DEPARTURE: "出国",
    NoticeKind.STATUS_LOST: "在留資格の喪失",
}

_STAY = frozenset({"residence_status", "period_of_stay", "stay_expires_on", "card_number"})
_CHANGES = {
    NoticeKind.STATUS_CHANGE: _STAY,
    NoticeKind.PERIOD_EXTENSION: _STAY,
    NoticeKind.STATUS_ACQUIRED: _STAY,
    NoticeKind.CARD_REISSUE: frozenset({"card_number"}),
    NoticeKind.SPECIAL_PERMANENT_PERMISSION: frozenset({"card_number"}),
    NoticeKind.NAME_CHANGE: frozenset({"family_name", "given_name"}),
    NoticeKind.NATIONALITY_CHANGE: frozenset({"nationality"}),
    NoticeKind.BIRTH_DATE_CHANGE: frozenset({"birth_date"}),
    NoticeKind.SEX_CHANGE: frozenset({"sex"}),
    NoticeKind.DEPARTURE: frozenset(),
    NoticeKind.STATUS_LOST: frozenset({"cause"}),
}


@dataclass(frozen=True, slots=True)
class NoticeChanges:
    """The new values a notice carries; only the fields of its kind are set."""

    residence_status: str | None = None
    period_of_stay: str | None = None
    stay_expires_on: date | None = None
    card_number: str | None = None
    nationality: str | None = None
    family_name: str | None = None
    given_name: str | None = None
    birth_date: date | None = None
    sex: Sex | None = None
    cause: str | None = None

    def to_wire(self, kind: NoticeKind) -> dict[str, Any]:
        values = {name: getattr(self, name) for name in kind.changes}
        return {
            name: value.isoformat() if isinstance(value, date) else value
            for name, value in values.items()
        }


@dataclass(frozen=True, slots=True)
class ImmigrationNotice:
    """One change ISA made, for the municipality where the person lives (30条の50).

    ``card_number`` is the card the person holds as the notice is written (``None`` only for a
    kind that may find them without one); ``family_name``, ``given_name`` and ``birth_date``
    are ISA's record before the change, for the municipality to cross-check.
    """

    TYPE: ClassVar[str] = "immigration.notice"
    VERSION: ClassVar[int] = 1

    notice_id: str
    kind: NoticeKind
    municipality_code: str
    card_number: str | None
    family_name: str
    given_name: str
    birth_date: date
    effective_on: date
    changes: NoticeChanges = field(default_factory=NoticeChanges)

    def to_body(self) -> dict[str, Any]:
        return {
            "notice_id": self.notice_id,
            "kind": self.kind.value,
            "municipality_code": self.municipality_code,
            "card_number": self.card_number,
            "family_name": self.family_name,
            "given_name": self.given_name,
            "birth_date": self.birth_date.isoformat(),
            "effective_on": self.effective_on.isoformat(),
            "changes": self.changes.to_wire(self.kind),
        }

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> ImmigrationNotice:
        """Read a notice, naming the field of the first problem (``body.changes.card_number``)."""
        extra = set(body) - _FIELDS
        if extra:
            raise MalformedEnvelope(f"body: fields not allowed here: {sorted(extra)}")
        notice_id = require(body, "notice_id", str)
        if not NOTICE_ID.fullmatch(notice_id):
            raise MalformedEnvelope(
                "body.notice_id: use 1-40 ASCII letters, digits, '.', '_' or '-'"
            )
        kind = _kind(require(body, "kind", str))
        card = body.get("card_number")
        if card is None and not kind.may_lack_card:
            raise MalformedEnvelope(f"body.card_number: is required for {kind.value}")
        try:
            return cls(
                notice_id=notice_id,
                kind=kind,
                municipality_code=checked_code(LocalGovernmentCode, body, "municipality_code"),
                card_number=None if card is None else card_number("body.card_number", card),
                family_name=clean_text(
                    "body.family_name", body.get("family_name"), max_length=NAME_LIMIT
                ),
                given_name=clean_text(
                    "body.given_name", body.get("given_name"), max_length=NAME_LIMIT, required=False
                ),
                birth_date=parse_date("body.birth_date", require(body, "birth_date", str)),
                effective_on=parse_date("body.effective_on", require(body, "effective_on", str)),
                changes=_changes(kind, require(body, "changes", dict)),
            )
        except InvalidValue as error:
            raise MalformedEnvelope(f"{error.field}: {error.problem}") from error


_FIELDS = frozenset(
    {
        "notice_id",
        "kind",
        "municipality_code",
        "card_number",
        "family_name",
        "given_name",
        "birth_date",
        "effective_on",
        "changes",
    }
)


def _kind(value: str) -> NoticeKind:
    try:
        return NoticeKind(value)
    except ValueError:
        allowed = ", ".join(k.value for k in NoticeKind)
        raise MalformedEnvelope(f"body.kind: {value!r} is not one of: {allowed}") from None


def card_number(name: str, value: object) -> str:
    """A 在留カード or 特別永住者証明書 number, checked by the register's own rule."""
    if not isinstance(value, str):
        raise InvalidValue(name, f"expected text, got {type(value).__name__}")
    _probe(name.rpartition(".")[0], ForeignResidentClass.SPECIAL_PERMANENT, card_number=value)
    return value


def _probe(prefix: str, resident_class: ForeignResidentClass, **items: Any) -> None:
    """Check new items against the 30条の45 rules of the class they will be recorded in
    (``ForeignResidentBlock`` is the one place those rules live)."""
    try:
        ForeignResidentBlock(resident_class, "-", date.min, **items)
    except InvalidValue as error:
        field_name = error.field.removeprefix("foreign.")
        raise InvalidValue(f"{prefix}.{field_name}", error.problem) from None


def _changes(kind: NoticeKind, raw: Mapping[str, Any]) -> NoticeChanges:
    wanted = kind.changes
    if set(raw) != wanted:
        missing, extra = sorted(wanted - set(raw)), sorted(set(raw) - wanted)
        raise InvalidValue(
            "body.changes",
            f"{kind.value} carries exactly {sorted(wanted)}; "
            f"missing {missing}, not allowed {extra}",
        )

    def text(key: str, limit: int = TEXT_LIMIT, required: bool = True) -> str:
        return clean_text(f"body.changes.{key}", raw[key], max_length=limit, required=required)

    values: dict[str, Any] = {}
    if "card_number" in wanted:
        values["card_number"] = card_number("body.changes.card_number", raw["card_number"])
    if wanted >= _STAY:
        values["residence_status"] = text("residence_status")
        values["period_of_stay"] = text("period_of_stay")
        values["stay_expires_on"] = parse_date(
            "body.changes.stay_expires_on", raw["stay_expires_on"]
        )
        # These kinds record the person as 中長期在留者: check the items as that class.
        _probe("body.changes", ForeignResidentClass.MID_TO_LONG_TERM, **values)
    if "nationality" in wanted:
        values["nationality"] = text("nationality")
    if "family_name" in wanted:
        values["family_name"] = clean_text(
            "body.changes.family_name", raw["family_name"], max_length=NAME_LIMIT
        )
        values["given_name"] = text("given_name", NAME_LIMIT, required=False)
    if "birth_date" in wanted:
        values["birth_date"] = parse_date("body.changes.birth_date", raw["birth_date"])
    if "sex" in wanted:
        values["sex"] = _sex(raw["sex"])
    if "cause" in wanted:
        values["cause"] = text("cause", CAUSE_LIMIT)
    return NoticeChanges(**values)


def _sex(value: object) -> Sex:
    try:
        return Sex(str(value))
    except ValueError:
        allowed = ", ".join(s.value for s in Sex)
        raise InvalidValue("body.changes.sex", f"{value!r} is not one of: {allowed}") from None


class NoticeOutcome(StrEnum):
    """What the municipality did with one notice."""

    APPLIED = "applied"
    DUPLICATE = "duplicate"  # applied before (this notice id is remembered)
    NO_SUCH_RESIDENT = "no-such-resident"  # nobody here holds that card (moved away, say)
    REFUSED = "refused"  # the notice contradicts the record; ``detail`` says how


@dataclass(frozen=True, slots=True)
class NoticeAnswer:
    """The outcome of one notice (by message id and notice id), with the reason if refused."""

    message_id: str
    notice_id: str
    outcome: NoticeOutcome
    detail: str = ""

    def to_wire(self) -> dict[str, Any]:
        return {
            "message_id": self.message_id,
            "notice_id": self.notice_id,
            "outcome": self.outcome.value,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class ImmigrationNoticeReceipt:
    """The municipality's answer to an envelope of notices: one outcome per notice.

    Every outcome is final — the notice needs no resending — so each one settles its message.
    """

    TYPE: ClassVar[str] = "immigration.notice-receipt"
    VERSION: ClassVar[int] = 1
    DETAIL_LIMIT: ClassVar[int] = 400

    answers: tuple[NoticeAnswer, ...]

    def to_body(self) -> dict[str, Any]:
        return {"answers": [answer.to_wire() for answer in self.answers]}

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> ImmigrationNoticeReceipt:
        raw = require(body, "answers", list)
        return cls(tuple(_answer(f"answers[{i}]", item) for i, item in enumerate(raw)))


def _answer(name: str, item: object) -> NoticeAnswer:
    if not isinstance(item, dict) or set(item) != {"message_id", "notice_id", "outcome", "detail"}:
        raise MalformedEnvelope(
            f"body.{name}: expected an object of message_id, notice_id, outcome and detail"
        )
    values = [item["message_id"], item["notice_id"], item["outcome"], item["detail"]]
    if not all(isinstance(value, str) for value in values):
        raise MalformedEnvelope(f"body.{name}: every field is text")
    if not NOTICE_ID.fullmatch(item["notice_id"]):
        raise MalformedEnvelope(f"body.{name}.notice_id: not a notice id")
    try:
        outcome = NoticeOutcome(item["outcome"])
    except ValueError:
        raise MalformedEnvelope(f"body.{name}.outcome: {item['outcome']!r} is unknown") from None
    if len(item["detail"]) > ImmigrationNoticeReceipt.DETAIL_LIMIT:
        raise MalformedEnvelope(f"body.{name}.detail: too long")
    return NoticeAnswer(item["message_id"], item["notice_id"], outcome, item["detail"])
