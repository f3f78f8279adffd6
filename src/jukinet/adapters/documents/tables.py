"""Ruled tables, and listings that run over many pages.

``MergedTable`` prints a listing whose leading columns label groups of rows, such as the
recipient and the affair of each line of the provision notice. Each label is printed once for
its run of rows, in one merged cell that wraps long text; a run that continues on the next
page prints its labels again at the top of that page, and the header row repeats on every
page. The other columns hold short values (months, counts) set on one line each.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, Table, TableStyle

from jukinet.adapters.documents.typesetting import (
    CELL_PADDING,
    HEADER_SHADE,
    RULE,
    TEXT_WIDTH,
    Typesetter,
)

_FIRST_TRY = 64  # rows set at first when measuring a listing: more than a page holds


def ruled(extra: Sequence[tuple[Any, ...]] = (), *, header_rows: int = 1) -> Any:
    """A fully ruled table style with shaded header rows, plus ``extra`` commands."""
    return TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, RULE),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_SHADE),
            ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
            ("VALIGN", (0, header_rows), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
            *extra,
        ]
    )


@dataclass(frozen=True, slots=True)
class Columns:
    """The columns of a listing: headings, widths in points, how many leading columns hold
    labels that merge over runs of equal values, and which columns hold numbers."""

    headings: tuple[str, ...]
    widths: tuple[float, ...]
    merged: int
    numeric: frozenset[int] = frozenset()


class MergedTable(Flowable):  # type: ignore[misc]  # ReportLab has no type hints
    """Rows of plain text, set as described in the module docstring."""

    def __init__(
        self, rows: Sequence[Sequence[str]], columns: Columns, typesetter: Typesetter
    ) -> None:
        super().__init__()
        self.rows = tuple(rows)
        self.columns = columns
        self.typesetter = typesetter
        self._table: Any = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # Setting thousands of rows only to learn that they overflow the page is slow: set a
        # growing share of them until it overflows, which is all the frame needs to call split.
        count = _FIRST_TRY
        while True:
            self._table = self._set(self.rows[:count])
            width, height = self._table.wrap(available_width, available_height)
            if count >= len(self.rows) or height > available_height:
                return width, height
            count *= 2

    def split(self, available_width: float, available_height: float) -> list[MergedTable]:
        fitting = self._rows_fitting(available_width, available_height)
        if fitting in (0, len(self.rows)):
            return [] if fitting == 0 else [self]
        head, rest = self.rows[:fitting], self.rows[fitting:]
        return [self._with(head), self._with(rest)]

    def draw(self) -> None:
        self._table.drawOn(self.canv, 0, 0)

    def _with(self, rows: Sequence[Sequence[str]]) -> MergedTable:
        return MergedTable(rows, self.columns, self.typesetter)

    def _rows_fitting(self, width: float, height: float) -> int:
        """The most leading rows that fit in ``height`` under the header: double the count
        while it fits, then halve the gap between the most that fit and the fewest that
        do not."""
        fits, fails = 0, 1
        while fails <= len(self.rows) and self._fits(fails, width, height):
            fits, fails = fails, 2 * fails
        fails = min(fails, len(self.rows) + 1)
        while fails - fits > 1:
            middle = (fits + fails) // 2
            fits, fails = (middle, fails) if self._fits(middle, width, height) else (fits, middle)
        return fits

    def _fits(self, count: int, width: float, height: float) -> bool:
        table_height: float = self._set(self.rows[:count]).wrap(width, height)[1]
        return table_height <= height

    def _set(self, rows: Sequence[Sequence[str]]) -> Any:
        cells = [self._header(), *map(self._row, rows, (None, *rows[:-1]))]
        style = ruled([*self._values_style(), *self._spans(rows)])
        return Table(cells, colWidths=self.columns.widths, style=style, repeatRows=1)

    def _header(self) -> list[Any]:
        heading = self.typesetter.heading
        return [self.typesetter.paragraph(text, heading) for text in self.columns.headings]

    def _row(self, row: Sequence[str], previous: Sequence[str] | None) -> list[Any]:
        """Labels as wrapping paragraphs, left blank where they continue a run, and values
        as plain strings, which a table sets much faster."""
        merged = self.columns.merged
        labels = [
            "" if _continues(row, previous, column) else self._label(text)
            for column, text in enumerate(row[:merged])
        ]
        return [*labels, *(self.typesetter.plain(text) for text in row[merged:])]

    def _label(self, text: str) -> Any:
        return self.typesetter.paragraph(text, self.typesetter.cell)

    def _values_style(self) -> Iterator[tuple[Any, ...]]:
        cell = self.typesetter.cell
        yield "FONT", (0, 1), (-1, -1), cell.fontName, cell.fontSize, cell.leading
        for column in self.columns.numeric:
            yield "ALIGN", (column, 1), (column, -1), "RIGHT"

    def _spans(self, rows: Sequence[Sequence[str]]) -> Iterator[tuple[Any, ...]]:
        """A SPAN for each run of labels longer than one row; row 0 is the header."""
        for column in range(self.columns.merged):
            for first, last in _runs([row[: column + 1] for row in rows]):
                if last > first:
                    yield "SPAN", (column, first + 1), (column, last + 1)


def _continues(row: Sequence[str], previous: Sequence[str] | None, column: int) -> bool:
    """Whether ``row`` carries on the run of labels that ``previous`` began in ``column``."""
    return previous is not None and previous[: column + 1] == row[: column + 1]


def _runs(keys: Sequence[Sequence[str]]) -> Iterator[tuple[int, int]]:
    """(first, last) index of each run of equal consecutive keys."""
    start = 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            yield start, index - 1
            start = index


def facts_table(rows: Sequence[tuple[str, str]], typesetter: Typesetter, label_width: float) -> Any:
    """A two-column table of labels (shaded) and their values."""
    cells = [
        [typesetter.paragraph(label, typesetter.cell), typesetter.paragraph(value, typesetter.cell)]
        for label, value in rows
    ]
    style = ruled(
        [
            ("BACKGROUND", (0, 0), (-1, 0), colors.white),
            ("BACKGROUND", (0, 0), (0, -1), HEADER_SHADE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
    )
    return Table(cells, colWidths=[label_width, TEXT_WIDTH - label_width], style=style)
