"""The published reports as PDF: the notice of provision status and the disclosure table.

``render_provision_notice`` sets 別紙1, the notice that lists, for a period, how many records
of identity information went to each recipient, for which affair, in which month and by
which method. ``render_disclosure_statistics`` sets 別紙2, the yearly count of requests to see
one's own identity information. Both return the bytes of an A4 portrait PDF and raise
``FontError`` (see ``fonts``) when no Japanese font can be found.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Table

from jukinet.adapters.documents.fonts import japanese_font
from jukinet.adapters.documents.tables import Columns, MergedTable, ruled
from jukinet.adapters.documents.typesetting import HEADER_SHADE, TEXT_WIDTH, Typesetter
from jukinet.domain.dates import japanese_date, japanese_fiscal_year, japanese_month
from jukinet.domain.provision import Channel
from jukinet.domain.reports import (
    ContactMethod,
    DisclosureStatistics,
    DisclosureYear,
    NoticeLine,
    ProvisionNotice,
)

NOTICE_TITLE = "本人確認情報の提供状況に関する公告"
NOTICE_HEADINGS = ("提供先", "事務", "提供年月", "提供件数", "提供方法")
DISCLOSURE_TITLE = "本人確認情報の開示請求の状況"


def render_provision_notice(notice: ProvisionNotice, *, font: Path | None = None) -> bytes:
    """別紙1 for ``notice``, set in the font at ``font`` or the installed Mincho face."""
    typesetter = Typesetter(japanese_font(font))
    rows = [_notice_row(line) for line in notice.lines]
    signed = f"{japanese_date(notice.published_on)}　{notice.provider}"
    story = [
        typesetter.paragraph(NOTICE_TITLE, typesetter.title),
        typesetter.paragraph(_opening(notice), typesetter.body),
        typesetter.paragraph(signed, typesetter.signature),
        MergedTable(rows, _notice_columns(), typesetter),
        typesetter.gap(2 * mm),
        typesetter.paragraph(f"提供件数合計　{notice.total:,}件", typesetter.signature),
        typesetter.paragraph(_channel_note(), typesetter.note),
    ]
    return typesetter.build(story, title=NOTICE_TITLE, author=notice.provider)


def _opening(notice: ProvisionNotice) -> str:
    first, last = japanese_month(*notice.first_month), japanese_month(*notice.last_month)
    return (
        f"{notice.provider}が{first}から{last}までの間に行った本人確認情報の提供について、"
        "提供先、事務、月及び提供方法ごとの件数を次のとおり公告します。"
    )


def _notice_row(line: NoticeLine) -> tuple[str, ...]:
    month = japanese_month(line.year, line.month)
    return line.recipient, line.affair, month, f"{line.count:,}", line.channel.label


def _notice_columns() -> Columns:
    widths = (40 * mm, 62 * mm, 22 * mm, 24 * mm, 22 * mm)
    return Columns(NOTICE_HEADINGS, widths, merged=2, numeric=frozenset({3}))


def _channel_note() -> str:
    """What each abbreviated method in the 提供方法 column stands for."""
    abbreviated = [channel for channel in Channel if channel.label != channel.full_label]
    meanings = "、".join(f"「{c.label}」は{c.full_label}" for c in abbreviated)
    return f"（注）提供方法の欄の{meanings}を指します。"


def render_disclosure_statistics(stats: DisclosureStatistics, *, font: Path | None = None) -> bytes:
    """別紙2 for ``stats``, set in the font at ``font`` or the installed Mincho face."""
    typesetter = Typesetter(japanese_font(font))
    methods = _methods_used(stats.years)
    as_of = f"{japanese_date(stats.as_of)}現在　{stats.provider}"
    story = [
        typesetter.paragraph(DISCLOSURE_TITLE, typesetter.title),
        typesetter.paragraph(as_of, typesetter.signature),
        _disclosure_table(stats.years, methods, typesetter),
        typesetter.paragraph(_disclosure_note(), typesetter.note),
    ]
    return typesetter.build(story, title=DISCLOSURE_TITLE, author=stats.provider)


def _methods_used(years: Sequence[DisclosureYear]) -> tuple[ContactMethod, ...]:
    """来所 and 郵送 always, as the table has always shown them; オンライン once used."""
    online = any(_uses(year, ContactMethod.ONLINE) for year in years)
    return tuple(method for method in ContactMethod if method is not ContactMethod.ONLINE or online)


def _uses(year: DisclosureYear, method: ContactMethod) -> bool:
    return bool(year.requested.get(method) or year.delivered.get(method))


def _disclosure_table(
    years: Sequence[DisclosureYear], methods: Sequence[ContactMethod], typesetter: Typesetter
) -> Any:
    """Two header rows, repeated on each page; a row per fiscal year; then the totals."""
    counts = [_year_counts(year, methods) for year in years]
    totals = [sum(column) for column in zip(*counts, strict=True)] or [0] * (2 * len(methods) + 1)
    labels = [typesetter.paragraph(_year_label(year), typesetter.cell) for year in years]
    rows = [
        *_disclosure_header(methods, typesetter),
        *map(partial(_counts_row, typesetter=typesetter), labels, counts),
        _counts_row(typesetter.paragraph("合計", typesetter.heading), totals, typesetter),
    ]
    widths, style = _disclosure_widths(len(methods)), _disclosure_style(len(methods))
    return Table(rows, colWidths=widths, style=style, repeatRows=2)


def _year_counts(year: DisclosureYear, methods: Sequence[ContactMethod]) -> list[int]:
    requested = [year.requested.get(method, 0) for method in methods]
    delivered = [year.delivered.get(method, 0) for method in methods]
    return [*requested, *delivered, year.total]


def _year_label(year: DisclosureYear) -> str:
    start, end = japanese_month(year.fiscal_year, 4), japanese_month(year.fiscal_year + 1, 3)
    return f"{japanese_fiscal_year(year.fiscal_year)}\n（{start}～{end}）"


def _disclosure_header(methods: Sequence[ContactMethod], typesetter: Typesetter) -> list[list[Any]]:
    def heading(text: str) -> Any:
        return typesetter.paragraph(text, typesetter.heading)

    gap = [""] * (len(methods) - 1)
    labels = [heading(method.label) for method in methods]
    return [
        [heading("年度"), heading("請求方法"), *gap, heading("受取方法"), *gap, heading("計")],
        ["", *labels, *labels, ""],
    ]


def _counts_row(label: Any, counts: Sequence[int], typesetter: Typesetter) -> list[Any]:
    numbers = [typesetter.paragraph(f"{count:,}", typesetter.number) for count in counts]
    return [label, *numbers]


def _disclosure_widths(methods: int) -> list[float]:
    # With オンライン the counts narrow, just enough to keep the span of each year on one line.
    count_width, total_width = (18 * mm, 17 * mm) if methods > 2 else (22 * mm, 22 * mm)
    label_width = TEXT_WIDTH - 2 * methods * count_width - total_width
    return [label_width, *[count_width] * (2 * methods), total_width]


def _disclosure_style(methods: int) -> Any:
    last = 2 * methods + 1
    spans = [
        ("SPAN", (0, 0), (0, 1)),
        ("SPAN", (1, 0), (methods, 0)),
        ("SPAN", (methods + 1, 0), (2 * methods, 0)),
        ("SPAN", (last, 0), (last, 1)),
        ("VALIGN", (0, 2), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, -1), (-1, -1), HEADER_SHADE),
    ]
    return ruled(spans, header_rows=2)


def _disclosure_note() -> str:
    return (
        "（注）請求方法は開示請求を受け付けた方法、受取方法は開示の結果を渡した方法です。"
        "計は開示請求の件数です。"
    )
