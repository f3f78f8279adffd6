"""The last day of each notification, as the window shows it (住基法 and 戸籍法 counting)."""

from __future__ import annotations

from datetime import date

from jukinet.domain import deadlines
from jukinet.domain.moves import move_in_is_late


def test_a_move_in_on_the_first_is_notified_by_the_fifteenth_as_the_late_flag_agrees() -> None:
    deadline = deadlines.move_in(date(2026, 11, 1))

    assert (deadline.last_day, deadline.rule) == (date(2026, 11, 15), "住基法22条")
    assert not deadline.missed_by(date(2026, 11, 15))
    assert deadline.missed_by(date(2026, 11, 16))
    for notified in (date(2026, 11, 15), date(2026, 11, 16)):
        assert deadline.missed_by(notified) == move_in_is_late(date(2026, 11, 1), notified)


def test_the_family_register_counts_the_day_of_birth_and_of_learning_of_a_death() -> None:
    assert deadlines.birth(date(2026, 11, 1)).last_day == date(2026, 11, 14)
    assert deadlines.death(date(2026, 11, 1)).last_day == date(2026, 11, 7)
    assert deadlines.birth(date(2026, 11, 1)).rule == "戸籍法49条"


def test_moves_within_household_changes_and_foreign_arrivals_have_fourteen_days() -> None:
    day = date(2026, 2, 20)

    assert deadlines.move_within(day).last_day == date(2026, 3, 6)
    assert deadlines.household_change(day).rule == "住基法25条"
    assert deadlines.arrival_from_abroad(day, foreign_resident=True).rule == "住基法30条の46"
    assert deadlines.arrival_from_abroad(day, foreign_resident=False).rule == "住基法22条"


def test_the_card_route_closes_on_the_fourteenth_day_after_the_move() -> None:
    # Filed 14 or more days after the move closes the route: the 13th day is the last.
    assert deadlines.special_move_out(date(2026, 4, 1)).last_day == date(2026, 4, 14)
    assert deadlines.move_out(date(2026, 4, 1)).last_day == date(2026, 4, 15)


def test_the_special_move_in_follows_the_worked_example_of_the_card_route() -> None:
    deadline = deadlines.special_move_in(date(2025, 4, 1), date(2025, 4, 3))

    assert (deadline.last_day, deadline.rule) == (date(2025, 4, 17), "住基法24条の2")
