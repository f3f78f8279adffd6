"""The periods the provision statistics cover."""

from __future__ import annotations

from datetime import date

import pytest

from jukinet.domain.errors import InvalidValue
from jukinet.nodes.provision.statistics import last_twelve_months, months_between


@pytest.mark.parametrize(
    ("today", "period"),
    [
        (date(2026, 11, 23), ("2025-12", "2026-11")),
        (date(2026, 12, 1), ("2026-01", "2026-12")),
        (date(2027, 1, 31), ("2026-02", "2027-01")),
    ],
)
def test_a_console_opens_on_the_twelve_months_up_to_this_one(
    today: date, period: tuple[str, str]
) -> None:
    assert last_twelve_months(today) == period


def test_every_month_of_a_period_is_listed_across_the_new_year() -> None:
    assert months_between("2026-11", "2027-02") == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert months_between("2026-11", "2026-10") == []


def test_a_malformed_month_names_its_end_of_the_period() -> None:
    with pytest.raises(InvalidValue) as refused:
        months_between("2026-1", "2026-11")

    assert refused.value.field == "from"
