"""Server-drawn bar charts: axes that read well, bars in proportion, every item drawn."""

from __future__ import annotations

import pytest

from jukinet.web.screens.console.charts import bars, columns, nice_top


@pytest.mark.parametrize(
    ("largest", "top", "step"),
    [(0, 1, 1), (1, 1, 1), (2, 2, 1), (7, 8, 2), (38, 40, 10), (1234, 1500, 500)],
)
def test_the_axis_ends_on_a_round_number_in_about_four_steps(
    largest: int, top: int, step: int
) -> None:
    assert nice_top(largest) == (top, step)


def test_columns_are_in_proportion_and_in_order() -> None:
    chart = columns([("2026-09", 0), ("2026-10", 5), ("2026-11", 10)])

    _left, top, right, bottom = chart.plot
    empty, half, full = chart.bars
    assert [b.label for b in chart.bars] == ["2026-09", "2026-10", "2026-11"]
    assert empty.height == 0
    assert empty.y == bottom
    assert full.y == pytest.approx(top)
    assert full.height == pytest.approx(bottom - top)
    assert half.height == pytest.approx(full.height / 2)
    assert empty.x < half.x < full.x
    assert full.x + full.width <= right
    assert [t.value for t in chart.ticks] == [0, 5, 10]


def test_bars_grow_with_the_rows_and_start_at_the_axis() -> None:
    chart = bars([("日本年金機構", 120), ("総務省", 30)])

    first, second = chart.bars
    assert bars([("a", 1), ("b", 2), ("c", 3)]).height > chart.height
    assert first.x == second.x == chart.plot[0]
    assert first.width == pytest.approx(4 * second.width)
    assert second.y > first.y


def test_nothing_to_draw_draws_an_empty_axis() -> None:
    chart = bars([])

    assert chart.bars == ()
    assert [t.value for t in chart.ticks] == [0, 1]
