"""The house style of printed documents: A4 portrait, one Mincho face, ruled tables.

``Typesetter`` turns plain text into ReportLab paragraphs in that style (escaping markup,
wrapping Japanese anywhere, drawing variation sequences) and builds the finished PDF.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from jukinet.adapters.documents.fonts import JapaneseFont

MARGIN = 20 * mm
TEXT_WIDTH = A4[0] - 2 * MARGIN
RULE = colors.black
CELL_PADDING = 4  # points left and right of the text in a table cell
HEADER_SHADE = colors.Color(0.9, 0.9, 0.9)


class Typesetter:
    """Paragraph styles in one font, and the document they are set in."""

    def __init__(self, font: JapaneseFont) -> None:
        self.font = font
        self.title = self._style("title", size=15, align=TA_CENTER, space_after=5 * mm)
        self.body = self._style("body", size=10.5, space_after=3 * mm)
        self.signature = self._style("signature", size=10.5, align=TA_RIGHT, space_after=5 * mm)
        self.note = self._style("note", size=9, space_before=3 * mm, hanging=3)
        self.cell = self._style("cell", size=8.5)
        self.number = self._style("number", size=8.5, align=TA_RIGHT)
        self.heading = self._style("heading", size=8.5, align=TA_CENTER)

    def paragraph(self, text: str, style: ParagraphStyle) -> Any:
        """``text`` as plain text (no markup); a line break in it starts a new line."""
        lines = (self.font.typeset(escape(line)) for line in text.split("\n"))
        return Paragraph("<br/>".join(lines), style)

    def plain(self, text: str) -> str:
        """``text`` for a table cell that is set as a string on one line, not a paragraph."""
        return self.font.typeset(text)

    def gap(self, height: float) -> Any:
        return Spacer(TEXT_WIDTH, height)

    def build(self, story: Sequence[Any], *, title: str, author: str) -> bytes:
        """The PDF of ``story``, with ``title`` and ``author`` in its metadata."""
        output = io.BytesIO()
        document = SimpleDocTemplate(
            output,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=title,
            author=author,
            creator="jukinet",
            lang="ja-JP",
        )
        document.build(list(story), onFirstPage=self._folio, onLaterPages=self._folio)
        return output.getvalue()

    def _folio(self, canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(self.font.name, 9)
        canvas.drawCentredString(A4[0] / 2, MARGIN / 2, f"- {document.page} -")
        canvas.restoreState()

    def _style(
        self,
        name: str,
        *,
        size: float,
        align: int = TA_LEFT,
        space_before: float = 0,
        space_after: float = 0,
        hanging: int = 0,
    ) -> ParagraphStyle:
        """A style in the document's font; ``hanging`` indents lines after the first by that
        many characters, to clear a lead-in such as （注）."""
        return ParagraphStyle(
            name,
            fontName=self.font.name,
            fontSize=size,
            leading=size * 1.45,
            alignment=align,
            spaceBefore=space_before,
            spaceAfter=space_after,
            leftIndent=hanging * size,
            firstLineIndent=-hanging * size,
            wordWrap="CJK",
        )
