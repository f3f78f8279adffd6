"""Suppressions and support measures as rules: verdicts, temporary releases, the lifecycle."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jukinet.domain.errors import Conflict, InvalidValue
from jukinet.domain.suppressions import (
    AlertKind,
    Level,
    MeasureOrigin,
    MeasureState,
    PeriodStart,
    Process,
    ProtectionPolicy,
    SupportMeasure,
    Suppressed,
    Suppression,
    SuppressionReason,
    Target,
    Verdict,
    add_months,
    address_shown_to,
    evaluate,
)

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
CODE = "12345678903"
POLICY = ProtectionPolicy()


def suppression(
    level: Level = Level.ERROR,
    processes: frozenset[Process] = frozenset({Process.CERTIFICATE_ISSUANCE}),
    **items: object,
) -> Suppression:
    values: dict[str, object] = {
        "suppression_id": "s-1",
        "target": Target.PERSON,
        "target_id": CODE,
        "reason": SuppressionReason.SUPPORT_MEASURE,
        "processes": processes,
        "level": level,
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2026, 6, 30),
        "set_by": "supervisor-1",
        "set_at": NOW - timedelta(days=300),
        **items,
    }
    return Suppression(**values)  # type: ignore[arg-type]


def measure(**items: object) -> SupportMeasure:
    values: dict[str, object] = {
        "measure_id": "m-1",
        "resident_code": CODE,
        "state": MeasureState.APPLIED,
        "origin": MeasureOrigin.APPLICATION,
        "applied_on": date(2026, 11, 2),
        "recorded_by": "clerk-1",
        **items,
    }
    return SupportMeasure(**values)  # type: ignore[arg-type]


# --- suppressions


def test_an_error_refuses_only_the_processes_it_names() -> None:
    found = [suppression()]

    assert evaluate(found, Process.CERTIFICATE_ISSUANCE, NOW, TODAY).verdict is Verdict.REFUSE
    assert evaluate(found, Process.LOOKUP, NOW, TODAY).verdict is Verdict.CLEAR


def test_several_suppressions_fold_into_the_strictest_with_every_reason() -> None:
    found = [
        suppression(Level.ALERT, suppression_id="a", reason=SuppressionReason.NAME_BLANK),
        suppression(Level.ERROR, suppression_id="b"),
    ]

    state = evaluate(found, Process.CERTIFICATE_ISSUANCE, NOW, TODAY)

    assert state.verdict is Verdict.REFUSE
    assert set(state.reasons) == {SuppressionReason.NAME_BLANK, SuppressionReason.SUPPORT_MEASURE}
    with pytest.raises(Suppressed):
        state.require_allowed("resident_code", Process.CERTIFICATE_ISSUANCE)


def test_an_alert_lets_the_work_go_on_but_says_so() -> None:
    state = evaluate([suppression(Level.ALERT)], Process.CERTIFICATE_ISSUANCE, NOW, TODAY)

    assert state.verdict is Verdict.ALERT
    assert state.suppressed
    state.require_allowed("resident_code", Process.CERTIFICATE_ISSUANCE)


def test_the_end_date_does_not_end_a_suppression() -> None:
    s = suppression(ends_on=date(2026, 1, 31))

    assert s.in_force(TODAY)
    assert s.past_end(TODAY)
    assert evaluate([s], Process.CERTIFICATE_ISSUANCE, NOW, TODAY).verdict is Verdict.REFUSE


def test_a_suppression_starting_later_is_not_yet_in_force() -> None:
    s = suppression(starts_on=TODAY + timedelta(days=1), ends_on=None)

    assert evaluate([s], Process.CERTIFICATE_ISSUANCE, NOW, TODAY).verdict is Verdict.CLEAR


def test_a_temporary_release_lifts_the_refusal_until_it_expires() -> None:
    s = suppression()
    s.release_temporarily("supervisor-2", NOW, 30, POLICY.longest_temporary_release_minutes)

    during = evaluate([s], Process.CERTIFICATE_ISSUANCE, NOW + timedelta(minutes=29), TODAY)
    after = evaluate([s], Process.CERTIFICATE_ISSUANCE, NOW + timedelta(minutes=30), TODAY)

    assert (during.verdict, during.temporarily_released) == (Verdict.ALERT, ("s-1",))
    assert after.verdict is Verdict.REFUSE
    assert s.released_at is None


def test_restoring_ends_a_temporary_release_early() -> None:
    s = suppression()
    s.release_temporarily("supervisor-2", NOW, 30, 480)
    s.restore(NOW + timedelta(minutes=5))

    at = NOW + timedelta(minutes=6)
    assert evaluate([s], Process.CERTIFICATE_ISSUANCE, at, TODAY).verdict is Verdict.REFUSE
    with pytest.raises(Conflict):
        s.restore(at)


def test_a_temporary_release_longer_than_the_policy_allows_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        suppression().release_temporarily("supervisor-2", NOW, 481, 480)
    assert refused.value.field == "minutes"


def test_a_released_suppression_refuses_nothing_and_cannot_be_released_again() -> None:
    s = suppression()
    s.release("supervisor-1", NOW)

    assert evaluate([s], Process.CERTIFICATE_ISSUANCE, NOW, TODAY).verdict is Verdict.CLEAR
    with pytest.raises(Conflict):
        s.release("supervisor-1", NOW)
    with pytest.raises(Conflict):
        s.release_temporarily("supervisor-1", NOW, 10, 480)


@pytest.mark.parametrize(
    ("items", "field"),
    [
        ({"processes": frozenset()}, "processes"),
        ({"ends_on": date(2025, 12, 31)}, "ends_on"),
        ({"reason": SuppressionReason.OTHER}, "note"),
    ],
)
def test_a_suppression_that_makes_no_sense_names_the_field(
    items: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidValue) as refused:
        suppression(**items)
    assert refused.value.field == field


@given(
    minutes=st.integers(min_value=1, max_value=480),
    later=st.integers(min_value=0, max_value=60 * 24 * 400),
    level=st.sampled_from(Level),
    process=st.sampled_from(Process),
)
def test_a_temporary_release_never_leaves_a_person_unsuppressed_after_its_expiry(
    minutes: int, later: int, level: Level, process: Process
) -> None:
    s = suppression(level, frozenset(Process))
    before = evaluate([s], process, NOW, TODAY)
    s.release_temporarily("supervisor-2", NOW, minutes, 480)

    at = NOW + timedelta(minutes=minutes + later)
    after = evaluate([s], process, at, at.date())

    assert after == before
    assert after.suppressed


# --- support measures


def test_an_application_is_provisional_then_active_for_a_year_from_acceptance() -> None:
    m = measure()
    m.make_provisional(date(2026, 11, 2), "clerk-1")
    m.grant(date(2026, 11, 2), date(2026, 11, 20), POLICY, "supervisor-1")

    assert m.state is MeasureState.ACTIVE
    assert (m.starts_on, m.ends_on) == (date(2026, 11, 2), date(2027, 11, 1))


def test_the_period_may_start_from_the_notification_instead() -> None:
    m = measure()
    policy = ProtectionPolicy(period_start=PeriodStart.NOTIFICATION)
    m.grant(date(2026, 11, 2), date(2026, 11, 20), policy, "supervisor-1")

    assert (m.starts_on, m.ends_on) == (date(2026, 11, 20), date(2027, 11, 19))


def test_a_provisional_measure_is_never_lifted_by_itself_but_is_flagged_when_overdue() -> None:
    m = measure()
    m.make_provisional(date(2026, 10, 1), "clerk-1")

    assert m.alerts(date(2026, 10, 31), POLICY) == []
    (alert,) = m.alerts(date(2026, 11, 23), POLICY)
    assert alert.kind is AlertKind.PROVISIONAL_OVERDUE
    assert m.state is MeasureState.PROVISIONAL


def test_an_extension_is_accepted_from_a_month_before_the_end() -> None:
    m = measure()
    m.grant(date(2025, 12, 1), date(2025, 12, 1), POLICY, "supervisor-1")
    assert m.ends_on == date(2026, 11, 30)

    with pytest.raises(Conflict, match="from 2026-10-30"):
        m.extend(date(2026, 10, 29), POLICY, "supervisor-1")
    (alert,) = m.alerts(date(2026, 11, 1), POLICY)
    assert alert.kind is AlertKind.ENDING_SOON
    m.extend(date(2026, 11, 1), POLICY, "supervisor-1")

    assert (m.state, m.starts_on, m.ends_on) == (
        MeasureState.EXTENDED,
        date(2026, 12, 1),
        date(2027, 11, 30),
    )


def test_a_period_that_ran_out_is_flagged_not_ended() -> None:
    m = measure()
    m.grant(date(2025, 11, 1), date(2025, 11, 1), POLICY, "supervisor-1")

    (alert,) = m.alerts(TODAY, POLICY)

    assert alert.kind is AlertKind.PERIOD_ENDED
    assert m.state is MeasureState.ACTIVE
    with pytest.raises(Conflict, match="apply anew"):
        m.extend(TODAY, POLICY, "supervisor-1")


def test_moving_out_keeps_the_measure_as_a_provisional_one_of_the_former_address() -> None:
    m = measure()
    m.grant(date(2026, 11, 2), date(2026, 11, 2), POLICY, "supervisor-1")

    assert m.keep_as_former_address(TODAY)
    assert (m.state, m.origin, m.provisional_since) == (
        MeasureState.PROVISIONAL,
        MeasureOrigin.FORMER_ADDRESS,
        TODAY,
    )
    assert not m.keep_as_former_address(TODAY)


def test_a_refused_or_ended_measure_takes_no_further_step() -> None:
    m = measure()
    m.refuse(TODAY, "supervisor-1")

    with pytest.raises(Conflict):
        m.grant(TODAY, TODAY, POLICY, "supervisor-1")
    assert not m.keep_as_former_address(TODAY)


def test_only_a_protected_person_sees_the_address_on_a_copy() -> None:
    assert address_shown_to(CODE, {CODE})
    assert not address_shown_to("31415926530", {CODE})
    assert not address_shown_to(None, {CODE})


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)), st.integers(-24, 24))
def test_adding_months_lands_in_the_right_month_on_a_valid_day(day: date, months: int) -> None:
    moved = add_months(day, months)

    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day <= day.day
