"""Suppressions (抑止) and DV support measures (支援措置), as the register's own rules.

A :class:`Suppression` stops or flags one or more processes (:class:`Process`: change entry,
certificate issuance, look-up, inspection list) for one person or a whole household, at a
:class:`Level` (``error``: refused; ``alert``: shown, the work may go on), for a
:class:`SuppressionReason`. A person may carry several at once, each with its own processes
and level; :func:`evaluate` folds them into one :class:`SuppressionState` for a process and a
moment. Three rules hold whatever the dates say:

* a suppression never ends by itself, not even after its end date (``past_end`` only flags it);
  only a real ``release`` ends it;
* a temporary release lasts until its expiry and no longer; it never ends the suppression, and
  it is never reported to other systems as a release;
* setting, releasing and temporarily releasing are separate permissions (``operators.py``).

A :class:`SupportMeasure` runs the 支援措置 lifecycle: ``applied`` → ``provisional`` (仮支援措置)
→ ``active`` (one period, by default a year) → ``extended`` … → ``ended``, or ``refused``.
The periods that the sources leave open — when a period starts (acceptance or notification),
its length, the extension window, the day count after which a provisional measure is overdue,
the length of a temporary release — are fields of :class:`ProtectionPolicy`.

Errors: ``InvalidValue`` names the field; ``Conflict`` says why a step does not fit the
current state; :class:`Suppressed` is a refusal by suppression and names no reason a
requester could learn from.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from jukinet.domain.errors import Conflict, InvalidValue

NOTE_LIMIT = 400
OMITTED = "記載省略"  # printed in the address field of a protected person's copy


class Suppressed(Conflict):
    """A process was refused by a suppression in force (an ``error`` level)."""

    kind = "suppressed"


class NotIssuableHere(Conflict):
    """A wide-area copy the home municipality will not answer; deliberately says no more, so
    that the answer does not tell anyone that the person is protected."""

    kind = "not-issuable-here"

    def __init__(self) -> None:
        super().__init__(
            "requester", "this copy cannot be issued by wide-area issuance; ask at the home window"
        )


class Process(StrEnum):
    """What a suppression can stop (標準仕様書 3.1, plus 閲覧 from 3.4)."""

    CHANGE_ENTRY = "change-entry"  # 異動入力
    CERTIFICATE_ISSUANCE = "certificate-issuance"  # 証明書発行 (own and wide-area copies)
    LOOKUP = "lookup"  # 照会 (search and record view)
    INSPECTION = "inspection"  # 住民基本台帳の一部の写しの閲覧 (住基法11条)


class Level(StrEnum):
    ERROR = "error"  # refused
    ALERT = "alert"  # shown; the work may go on


class SuppressionReason(StrEnum):
    SUPPORT_MEASURE = "support-measure"  # 支援措置
    GLYPH_IN_PREPARATION = "glyph-in-preparation"  # 外字作成中
    SPECIAL_ADOPTION = "special-adoption"  # 特別養子縁組
    RESIDENCE_INVESTIGATION = "residence-investigation"  # 実態調査
    NAME_BLANK = "name-blank"  # 氏名空欄
    OTHER = "other"  # その他 (the note says what)


class Target(StrEnum):
    PERSON = "person"  # target_id is a 住民票コード
    HOUSEHOLD = "household"  # target_id is a household id


class Verdict(StrEnum):
    CLEAR = "clear"
    ALERT = "alert"
    REFUSE = "refuse"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), on the month's last day when it is shorter."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


class PeriodStart(StrEnum):
    """When a support measure's period begins; municipal wording differs, so it is a choice."""

    ACCEPTANCE = "acceptance"  # from the day the application was accepted
    NOTIFICATION = "notification"  # from the day the decision was notified


@dataclass(frozen=True, slots=True)
class ProtectionPolicy:
    """The periods each municipality sets for itself."""

    period_start: PeriodStart = PeriodStart.ACCEPTANCE
    period_months: int = 12
    warn_months_before_end: int = 1  # alert, and extensions accepted, from this far before
    provisional_overdue_days: int = 30
    temporary_release_minutes: int = 30  # back to suppressed after this, if not restored sooner
    longest_temporary_release_minutes: int = 8 * 60

    def __post_init__(self) -> None:
        for name in ("period_months", "provisional_overdue_days", "temporary_release_minutes"):
            if getattr(self, name) < 1:
                raise InvalidValue(name, "must be at least 1")
        if self.warn_months_before_end < 0:
            raise InvalidValue("warn_months_before_end", "must not be negative")
        if self.longest_temporary_release_minutes < self.temporary_release_minutes:
            raise InvalidValue(
                "longest_temporary_release_minutes", "must not be shorter than the default"
            )


@dataclass(slots=True)
class Suppression:
    """One suppression of one person or household; never deleted, only released."""

    suppression_id: str
    target: Target
    target_id: str
    reason: SuppressionReason
    processes: frozenset[Process]
    level: Level
    starts_on: date
    ends_on: date | None
    set_by: str
    set_at: datetime
    note: str = ""
    measure_id: str | None = None  # the support measure that set it, if any
    released_at: datetime | None = None
    released_by: str = ""
    temporary_until: datetime | None = None
    temporary_by: str = ""

    def __post_init__(self) -> None:
        if not self.processes:
            raise InvalidValue("processes", "name at least one process to suppress")
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise InvalidValue("ends_on", f"{self.ends_on} is before the start {self.starts_on}")
        if len(self.note) > NOTE_LIMIT:
            raise InvalidValue("note", f"is longer than {NOTE_LIMIT} characters")
        if self.reason is SuppressionReason.OTHER and not self.note.strip():
            raise InvalidValue("note", "say what the suppression is for when the reason is other")

    def in_force(self, today: date) -> bool:
        """Started and not released; the end date does not end it."""
        return self.released_at is None and self.starts_on <= today

    def temporarily_released(self, at: datetime) -> bool:
        return self.temporary_until is not None and at < self.temporary_until

    def past_end(self, today: date) -> bool:
        """Still in force after its end date: someone should decide to release it."""
        return self.in_force(today) and self.ends_on is not None and today > self.ends_on

    def release(self, by: str, at: datetime) -> None:
        """The real release (本解除): the suppression ends and other systems are told."""
        if self.released_at is not None:
            raise Conflict(
                "suppression_id", f"{self.suppression_id} was released {self.released_at}"
            )
        self.released_at, self.released_by = at, by
        self.temporary_until = None

    def release_temporarily(self, by: str, at: datetime, minutes: int, longest: int) -> None:
        """Lift it for ``minutes``; it is suppressed again afterwards without anyone acting."""
        if self.released_at is not None:
            raise Conflict("suppression_id", f"{self.suppression_id} was released for good")
        if not 1 <= minutes <= longest:
            raise InvalidValue("minutes", f"give from 1 to {longest} minutes")
        self.temporary_until, self.temporary_by = at + timedelta(minutes=minutes), by

    def restore(self, at: datetime) -> None:
        """End a temporary release early (the work it was lifted for is done)."""
        if not self.temporarily_released(at):
            raise Conflict("suppression_id", f"{self.suppression_id} is not temporarily released")
        self.temporary_until = at


@dataclass(frozen=True, slots=True)
class SuppressionState:
    """What the suppressions of one person mean for one process at one moment."""

    verdict: Verdict
    reasons: tuple[SuppressionReason, ...] = ()
    suppression_ids: tuple[str, ...] = ()
    temporarily_released: tuple[str, ...] = ()  # lifted for now, back by themselves later

    @property
    def suppressed(self) -> bool:
        """Any suppression in force covers the process, lifted for now or not."""
        return bool(self.suppression_ids or self.temporarily_released)

    def require_allowed(self, field_name: str, process: Process) -> None:
        if self.verdict is Verdict.REFUSE:
            raise Suppressed(field_name, f"{process.value} is suppressed for this person")

    def to_wire(self) -> dict[str, object]:
        return {
            "verdict": self.verdict.value,
            "suppressed": self.suppressed,
            "reasons": [r.value for r in self.reasons],
            "suppression_ids": list(self.suppression_ids),
            "temporarily_released": list(self.temporarily_released),
        }


CLEAR = SuppressionState(Verdict.CLEAR)


def evaluate(
    suppressions: Iterable[Suppression], process: Process, at: datetime, today: date
) -> SuppressionState:
    """Fold every suppression in force that covers ``process`` into one verdict.

    An ``error`` refuses, an ``alert`` flags; a temporarily released one counts as an alert
    until its expiry and as what it is from then on.
    """
    refusing, alerting, lifted = [], [], []
    for s in suppressions:
        if not s.in_force(today) or process not in s.processes:
            continue
        if s.temporarily_released(at):
            lifted.append(s)
        elif s.level is Level.ERROR:
            refusing.append(s)
        else:
            alerting.append(s)
    if refusing:
        verdict = Verdict.REFUSE
    elif alerting or lifted:
        verdict = Verdict.ALERT
    else:
        return CLEAR
    counted = [*refusing, *alerting]
    return SuppressionState(
        verdict,
        tuple(dict.fromkeys(s.reason for s in [*counted, *lifted])),
        tuple(s.suppression_id for s in counted),
        tuple(s.suppression_id for s in lifted),
    )


# --- 支援措置 ---------------------------------------------------------------------------------


class MeasureState(StrEnum):
    APPLIED = "applied"  # 申出を受け付けた; nothing decided yet
    PROVISIONAL = "provisional"  # 仮支援措置: protected until the decision
    ACTIVE = "active"  # 支援措置, first period
    EXTENDED = "extended"  # 支援措置, a later period
    ENDED = "ended"
    REFUSED = "refused"  # the application was not granted

    @property
    def protects(self) -> bool:
        return self in (MeasureState.PROVISIONAL, MeasureState.ACTIVE, MeasureState.EXTENDED)

    @property
    def open(self) -> bool:
        return self not in (MeasureState.ENDED, MeasureState.REFUSED)


class MeasureOrigin(StrEnum):
    APPLICATION = "application"  # applied for at this municipality's window
    REQUESTED = "requested"  # forwarded by another municipality for this one to decide
    FORMER_ADDRESS = "former-address"  # the protected person moved out; kept as 前住所地


class Relation(StrEnum):
    """Why another municipality is told of a measure."""

    FORMER_ADDRESS = "former-address"  # 前住所地
    DOMICILE = "domicile"  # 本籍地
    FORMER_DOMICILE = "former-domicile"  # 前本籍地


class AlertKind(StrEnum):
    PROVISIONAL_OVERDUE = "provisional-overdue"  # 仮支援措置 longer than the policy allows
    ENDING_SOON = "ending-soon"  # the period ends within the warning window
    PERIOD_ENDED = "period-ended"  # the period is over and was not extended
    AWAITING_DECISION = "awaiting-decision"  # applied or requested, not yet decided
    SUPPRESSION_PAST_END = "suppression-past-end"  # a suppression past its end date


@dataclass(frozen=True, slots=True)
class Alert:
    kind: AlertKind
    resident_code: str
    subject_id: str  # the measure or suppression it concerns
    since: date
    detail: str


@dataclass(slots=True)
class SupportMeasure:
    """One 支援措置 for one person (the applicant) and the co-residents included with them."""

    measure_id: str
    resident_code: str
    state: MeasureState
    origin: MeasureOrigin
    applied_on: date
    recorded_by: str
    co_residents: tuple[str, ...] = ()
    requested_by: str = ""  # the municipality that forwarded it (origin ``requested``)
    related: tuple[tuple[str, Relation], ...] = ()  # municipalities to tell, and why
    remote_measure_id: str = ""
    provisional_since: date | None = None
    decided_on: date | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    ended_on: date | None = None
    note: str = ""
    history: list[tuple[date, str, str]] = field(default_factory=list)  # day, step, operator

    def __post_init__(self) -> None:
        if self.resident_code in self.co_residents:
            raise InvalidValue("co_residents", "the applicant is not their own co-resident")
        if len(self.note) > NOTE_LIMIT:
            raise InvalidValue("note", f"is longer than {NOTE_LIMIT} characters")

    @property
    def protected(self) -> tuple[str, ...]:
        return (self.resident_code, *self.co_residents)

    def recode(self, old: str, new: str) -> None:
        """A protected person's 住民票コード changed (住基法30条の4); the measure follows them."""
        if self.resident_code == old:
            self.resident_code = new
        self.co_residents = tuple(new if c == old else c for c in self.co_residents)

    def _step(self, on: date, step: str, by: str) -> None:
        self.history.append((on, step, by))

    def _require(self, step: str, *states: MeasureState) -> None:
        if self.state not in states:
            raise Conflict("state", f"cannot {step} a measure that is {self.state.value}")

    def make_provisional(self, on: date, by: str) -> None:
        """仮支援措置 from ``on`` until the decision; nothing ends it but a decision."""
        self._require("provisionally protect", MeasureState.APPLIED)
        self.state, self.provisional_since = MeasureState.PROVISIONAL, on
        self._step(on, "provisional", by)

    def grant(
        self, accepted_on: date, notified_on: date, policy: ProtectionPolicy, by: str
    ) -> None:
        """The need was confirmed: the first period starts as the policy says."""
        self._require("grant", MeasureState.APPLIED, MeasureState.PROVISIONAL)
        if notified_on < accepted_on:
            raise InvalidValue("notified_on", "is before the application was accepted")
        start = notified_on if policy.period_start is PeriodStart.NOTIFICATION else accepted_on
        self.state, self.decided_on = MeasureState.ACTIVE, notified_on
        self.starts_on = start
        self.ends_on = add_months(start, policy.period_months) - timedelta(days=1)
        self._step(notified_on, "granted", by)

    def refuse(self, on: date, by: str) -> None:
        self._require("refuse", MeasureState.APPLIED, MeasureState.PROVISIONAL)
        self.state, self.decided_on, self.ended_on = MeasureState.REFUSED, on, on
        self._step(on, "refused", by)

    def extension_opens_on(self, policy: ProtectionPolicy) -> date | None:
        return (
            None
            if self.ends_on is None
            else add_months(self.ends_on, -policy.warn_months_before_end)
        )

    def extend(self, on: date, policy: ProtectionPolicy, by: str) -> None:
        """Another period, asked for from the window before the end up to the last day."""
        self._require("extend", MeasureState.ACTIVE, MeasureState.EXTENDED)
        assert self.ends_on is not None
        opens = self.extension_opens_on(policy)
        if opens is not None and on < opens:
            raise Conflict("extended_on", f"an extension is accepted from {opens}")
        if on > self.ends_on:
            raise Conflict("extended_on", f"the period ended on {self.ends_on}; apply anew")
        start = self.ends_on + timedelta(days=1)
        self.state, self.starts_on = MeasureState.EXTENDED, start
        self.ends_on = add_months(start, policy.period_months) - timedelta(days=1)
        self._step(on, "extended", by)

    def end(self, on: date, by: str) -> None:
        """On the person's request, after the period, or when no longer needed."""
        self._require(
            "end",
            MeasureState.APPLIED,
            MeasureState.PROVISIONAL,
            MeasureState.ACTIVE,
            MeasureState.EXTENDED,
        )
        self.state, self.ended_on = MeasureState.ENDED, on
        self._step(on, "ended", by)

    def keep_as_former_address(self, on: date) -> bool:
        """The protected person moved out: protection goes on here as a provisional measure
        of the former-address municipality. Returns whether anything changed."""
        if not self.state.protects or self.origin is MeasureOrigin.FORMER_ADDRESS:
            return False
        self.state, self.origin, self.provisional_since = (
            MeasureState.PROVISIONAL,
            MeasureOrigin.FORMER_ADDRESS,
            on,
        )
        self._step(on, "kept-as-former-address", "move-out")
        return True

    def alerts(self, today: date, policy: ProtectionPolicy) -> list[Alert]:
        """What the clerks should see about this measure today."""
        code, mid = self.resident_code, self.measure_id
        if self.state is MeasureState.APPLIED:
            return [
                Alert(AlertKind.AWAITING_DECISION, code, mid, self.applied_on, self.origin.value)
            ]
        if self.state is MeasureState.PROVISIONAL and self.provisional_since is not None:
            overdue_on = self.provisional_since + timedelta(days=policy.provisional_overdue_days)
            if today > overdue_on:
                days = (today - self.provisional_since).days
                detail = f"provisional for {days} days (limit {policy.provisional_overdue_days})"
                return [Alert(AlertKind.PROVISIONAL_OVERDUE, code, mid, overdue_on, detail)]
            return []
        if self.state in (MeasureState.ACTIVE, MeasureState.EXTENDED) and self.ends_on:
            if today > self.ends_on:
                ended = self.ends_on + timedelta(days=1)
                return [Alert(AlertKind.PERIOD_ENDED, code, mid, ended, f"ended {self.ends_on}")]
            warn_from = self.extension_opens_on(policy) or self.ends_on
            if today >= warn_from:
                return [Alert(AlertKind.ENDING_SOON, code, mid, warn_from, f"ends {self.ends_on}")]
        return []

    def snapshot(self) -> SupportMeasure:
        return replace(self, history=list(self.history))


# The suppressions a protecting measure sets on each person it covers: copies and the
# inspection list are refused; look-ups and change entry go on, with the alert shown.
MEASURE_SUPPRESSIONS: tuple[tuple[Level, frozenset[Process]], ...] = (
    (Level.ERROR, frozenset({Process.CERTIFICATE_ISSUANCE, Process.INSPECTION})),
    (Level.ALERT, frozenset({Process.LOOKUP, Process.CHANGE_ENTRY})),
)


def address_shown_to(requester_code: str | None, protected: Iterable[str]) -> bool:
    """Whether a copy may print the address: only for a protected person asking themself."""
    return requester_code is not None and requester_code in set(protected)
