"""The time rules of moves between municipalities (住基法22条, 24条の2)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jukinet.domain.moves import (
    CardRouteClosed,
    MoveOutChannel,
    SpecialMoveInWindow,
    check_special_move_out,
    move_in_is_late,
    special_move_in_last_day,
)

COUNTER, ONLINE = MoveOutChannel.COUNTER, MoveOutChannel.ONLINE


def test_the_worked_example_planned_april_1_moved_in_april_3_closes_after_april_17() -> None:
    window = SpecialMoveInWindow(date(2025, 4, 1), date(2025, 4, 3))

    assert window.last_day == date(2025, 4, 17)
    window.check(date(2025, 4, 17))
    with pytest.raises(CardRouteClosed, match="closed after 2025-04-17") as closed:
        window.check(date(2025, 4, 18))
    assert closed.value.field == "notified_on"


def test_a_late_move_in_is_limited_by_thirty_days_after_the_planned_move_out() -> None:
    # Moved in 4/25: 14 days would run to 5/9, but 30 days after 4/1 end on 5/1.
    assert special_move_in_last_day(date(2025, 4, 1), date(2025, 4, 25)) == date(2025, 5, 1)


@given(st.dates(), st.integers(0, 60))
def test_the_last_day_is_never_later_than_either_limit(planned: date, days: int) -> None:
    moved_in = planned + timedelta(days=days)
    last = special_move_in_last_day(planned, moved_in)
    assert last <= planned + timedelta(days=30)
    assert last <= moved_in + timedelta(days=14)
    assert last in (planned + timedelta(days=30), moved_in + timedelta(days=14))


def test_a_move_out_filed_13_days_after_the_move_may_use_the_card_and_14_may_not() -> None:
    moved = date(2026, 4, 1)
    check_special_move_out(
        moved_on=moved, filed_on=moved + timedelta(days=13), channel=COUNTER, abroad=False
    )
    with pytest.raises(CardRouteClosed, match="14 days after the move"):
        check_special_move_out(
            moved_on=moved, filed_on=moved + timedelta(days=14), channel=COUNTER, abroad=False
        )


def test_a_move_abroad_never_uses_the_card_route() -> None:
    with pytest.raises(CardRouteClosed) as closed:
        check_special_move_out(
            moved_on=date(2026, 4, 1), filed_on=date(2026, 3, 20), channel=COUNTER, abroad=True
        )
    assert closed.value.field == "abroad"


@pytest.mark.parametrize(
    ("offset", "allowed"), [(-31, False), (-30, True), (0, True), (10, True), (11, False)]
)
def test_an_online_move_out_is_open_from_30_days_before_to_10_days_after(
    offset: int, allowed: bool
) -> None:
    moved = date(2026, 4, 1)
    filed = moved + timedelta(days=offset)
    if allowed:
        check_special_move_out(moved_on=moved, filed_on=filed, channel=ONLINE, abroad=False)
    else:
        with pytest.raises(CardRouteClosed, match="online"):
            check_special_move_out(moved_on=moved, filed_on=filed, channel=ONLINE, abroad=False)


def test_a_move_in_notified_on_the_14th_day_is_on_time_and_the_15th_late() -> None:
    moved_in = date(2026, 4, 1)
    assert not move_in_is_late(moved_in, moved_in + timedelta(days=14))
    assert move_in_is_late(moved_in, moved_in + timedelta(days=15))
