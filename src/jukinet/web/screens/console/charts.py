"""Bar charts drawn on the server as SVG: no chart library, no script, nothing from a CDN.

:func:`columns` (vertical bars, for a series such as months) and :func:`bars` (horizontal
bars, for long labels such as recipients' names) compute the geometry; the template
``console/_charts.html`` draws it, with a ``<title>`` per bar for screen readers and
tooltips, and every chart comes with the same figures as a table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

COLUMN_CHART = (640, 260)  # width, height of a column chart's drawing
BAR_ROW = 26  # height of one row of a bar chart
BAR_LABELS = 250  # room for the labels left of the bars
MARGIN = (48, 12, 16, 56)  # left, right, top, bottom (room for slanted labels below)


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Tick:
    value: int
    at: float  # y of a column chart's gridline, x of a bar chart's


@dataclass(frozen=True, slots=True)
class Chart:
    kind: str  # "columns" or "bars"
    width: int
    height: int
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    plot: tuple[float, float, float, float]  # left, top, right, bottom of the drawing area


def nice_top(largest: int) -> tuple[int, int]:
    """(top of the axis, step between ticks): a step of 1, 2 or 5 × 10ⁿ, about four ticks."""
    if largest <= 0:
        return 1, 1
    rough = largest / 4
    power = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    return step * math.ceil(largest / step), step


def columns(items: Sequence[tuple[str, int]]) -> Chart:
    """Vertical bars, one per item, left to right in the given order."""
    width, height = COLUMN_CHART
    left, right, top, bottom = MARGIN
    plot = (float(left), float(top), float(width - right), float(height - bottom))
    axis_top, step = nice_top(max((value for _, value in items), default=0))
    scale = (plot[3] - plot[1]) / axis_top
    slot = (plot[2] - plot[0]) / max(len(items), 1)
    drawn = tuple(
        Bar(
            label,
            value,
            plot[0] + slot * index + slot * 0.15,
            plot[3] - value * scale,
            slot * 0.7,
            value * scale,
        )
        for index, (label, value) in enumerate(items)
    )
    ticks = tuple(Tick(v, plot[3] - v * scale) for v in range(0, axis_top + 1, step))
    return Chart("columns", width, height, drawn, ticks, plot)


def bars(items: Sequence[tuple[str, int]]) -> Chart:
    """Horizontal bars, one row per item, top to bottom in the given order."""
    width = COLUMN_CHART[0]
    _, right, top, _ = MARGIN
    bottom = 24  # the axis values only
    height = int(top + BAR_ROW * max(len(items), 1) + bottom)
    plot = (float(BAR_LABELS), float(top), float(width - right - 48), float(height - bottom))
    axis_top, step = nice_top(max((value for _, value in items), default=0))
    scale = (plot[2] - plot[0]) / axis_top
    drawn = tuple(
        Bar(label, value, plot[0], plot[1] + BAR_ROW * index + 4, value * scale, BAR_ROW - 8)
        for index, (label, value) in enumerate(items)
    )
    ticks = tuple(Tick(v, plot[0] + v * scale) for v in range(0, axis_top + 1, step))
    return Chart("bars", width, height, drawn, ticks, plot)
