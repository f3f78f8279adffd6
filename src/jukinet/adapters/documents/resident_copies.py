"""住民票の写し as PDF, in the two standard layouts (A4 portrait).

世帯連記式 sets the household's address and head once and then one ruled block per person on
the same sheet(s); 個人票 sets one person per sheet, each with the address, the head and the
certification. An item the copy does not show is printed as （省略）, so a reader can tell an
item left off from one that is empty (—). Names are set as registered: 𠮷, 髙, 﨑 and variation
sequences print through the font's own glyphs (see ``glyphs``).

The register keeps one previous address: the one before the latest move. It is printed under
転入前住所 when the person has not moved within the municipality since arriving, and under
異動前住所 when they have (the other column then shows —).

``render_resident_copy`` raises ``FontError`` (see ``fonts``) when no Japanese font is found.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Table

from jukinet.adapters.documents.fonts import japanese_font
from jukinet.adapters.documents.tables import ruled
from jukinet.adapters.documents.typesetting import HEADER_SHADE, TEXT_WIDTH, Typesetter
from jukinet.domain.copies import CopiedRecord, Layout, OptionalItem, RequesterKind, ResidentCopy
from jukinet.domain.dates import japanese_date
from jukinet.domain.municipalities import municipality
from jukinet.domain.residents import ForeignResidentBlock, ForeignResidentClass

TITLE = "住民票の写し"
OMITTED = "（省略）"
NONE = "—"
_LABEL = 30 * mm
_VALUE = TEXT_WIDTH / 2 - _LABEL

_CLASSES = {
    ForeignResidentClass.MID_TO_LONG_TERM: "中長期在留者",
    ForeignResidentClass.SPECIAL_PERMANENT: "特別永住者",
    ForeignResidentClass.TEMPORARY_REFUGE: "一時庇護許可者",
    ForeignResidentClass.PROVISIONAL_STAY: "仮滞在許可者",
    ForeignResidentClass.TRANSITIONAL_BIRTH: "出生による経過滞在者",
    ForeignResidentClass.TRANSITIONAL_LOSS_OF_NATIONALITY: "国籍喪失による経過滞在者",
}


def render_resident_copy(
    copy: ResidentCopy, *, issuer: str, issued_on: date, font: Path | None = None
) -> bytes:
    """The copy, certified by the mayor of ``issuer`` (a municipality code) on ``issued_on``."""
    typesetter = Typesetter(japanese_font(font))
    mayor = f"{municipality(issuer).full_name}長"
    sheet = _Sheet(copy, typesetter, mayor, issued_on)
    story = sheet.household() if copy.layout is Layout.HOUSEHOLD else sheet.individual()
    return typesetter.build(story, title=f"{TITLE}（{copy.layout.label}）", author=mayor)


class _Sheet:
    def __init__(self, copy: ResidentCopy, typesetter: Typesetter, mayor: str, on: date) -> None:
        self.copy = copy
        self.t = typesetter
        self.mayor = mayor
        self.on = on

    def household(self) -> list[Any]:
        story = self._heading()
        for number, record in enumerate(self.copy.records, start=1):
            block = [self.t.paragraph(f"（{number}）", self.t.body), self._person(record)]
            story += [KeepTogether(block), self.t.gap(3 * mm)]
        return [*story, *self._certification()]

    def individual(self) -> list[Any]:
        story: list[Any] = []
        for index, record in enumerate(self.copy.records):
            if index:
                story.append(PageBreak())
            story += [*self._heading(), self._person(record), *self._certification()]
        return story

    def _heading(self) -> list[Any]:
        copy = self.copy
        head = copy.head_name if OptionalItem.HOUSEHOLD_HEAD in copy.shown else OMITTED
        rows = [[("住所", copy.address, 3)], [("世帯主", head or NONE, 3)]]
        return [
            self.t.paragraph(f"{TITLE}（{copy.layout.label}）", self.t.title),
            _grid(rows, self.t),
            self.t.gap(4 * mm),
        ]

    def _person(self, record: CopiedRecord) -> Any:
        rows = [*self._identity(record), *self._history(record), *self._optional(record)]
        if record.foreign is not None:
            rows += _foreign(record.foreign)
        if record.removal is not None:
            removal = record.removal
            text = f"{japanese_date(removal.on)}　{removal.reason.label}により消除"
            rows.append([("消除（除票）", f"{text}　{removal.destination}".strip(), 3)])
        return _grid(rows, self.t)

    def _identity(self, record: CopiedRecord) -> list[list[tuple[str, str, int]]]:
        shown = self.copy.shown
        names = [record.full_name]
        if record.alias:
            names.append(f"（通称）{record.alias}")
        if record.former_surname:
            names.append(f"（旧氏）{record.former_surname}")
        kana = f"{record.family_name_kana}　{record.given_name_kana}".strip()
        relationship = record.relationship.label if record.relationship else NONE
        return [
            [("フリガナ", kana or NONE, 3)],
            [("氏名", "\n".join(names), 3)],
            [("生年月日", japanese_date(record.birth_date), 1), ("性別", record.sex.label, 1)],
            [
                ("続柄", relationship if OptionalItem.HOUSEHOLD_HEAD in shown else OMITTED, 1),
                ("住民となった年月日", _date(record.became_resident_on), 1),
            ],
        ]

    def _history(self, record: CopiedRecord) -> list[list[tuple[str, str, int]]]:
        moved_within = record.became_resident_on not in (None, record.address_set_on)
        before = record.previous_address or NONE
        return [
            [
                ("住所を定めた年月日", japanese_date(record.address_set_on), 1),
                ("届出日", japanese_date(record.notified_on), 1),
            ],
            [("転入前住所", NONE if moved_within else before, 3)],
            [("異動前住所", before if moved_within else NONE, 3)],
        ]

    def _optional(self, record: CopiedRecord) -> list[list[tuple[str, str, int]]]:
        shown = self.copy.shown
        rows = []
        if record.foreign is None:
            place, head = self._domicile(record)
            rows.append([("本籍", place, 1), ("筆頭者", head, 1)])
        number = (record.my_number or NONE) if OptionalItem.MY_NUMBER in shown else OMITTED
        code = (record.resident_code or NONE) if OptionalItem.RESIDENT_CODE in shown else OMITTED
        rows.append([("個人番号", number, 1), ("住民票コード", code, 1)])
        return rows

    def _domicile(self, record: CopiedRecord) -> tuple[str, str]:
        if OptionalItem.DOMICILE not in self.copy.shown:
            return OMITTED, OMITTED
        domicile = record.domicile
        if domicile is None or not domicile.place:
            note = {"none": "本籍なし", "unknown": "本籍不明"}
            return note.get(domicile.note if domicile else "", NONE), NONE
        return domicile.place, domicile.head_of_family or NONE

    def _certification(self) -> list[Any]:
        if self.copy.requester_kind is RequesterKind.WIDE_AREA:
            home = municipality(self.copy.home_municipality).full_name
            text = (
                f"この写しは、住民基本台帳法第12条の4の規定により{home}長から通知を受けた事項に"
                "基づいて作成したものであり、住民票に記載されている事項と相違ないことを証明する。"
            )
        else:
            text = "この写しは、住民票の原本と相違ないことを証明する。"
        lines = [
            self.t.paragraph(text, self.t.body),
            self.t.paragraph(f"{japanese_date(self.on)}\n{self.mayor}", self.t.signature),
            self.t.paragraph(
                f"（注）「{OMITTED}」は、請求のなかった事項又は記載することができない事項を"
                f"省略したことを、「{NONE}」は記載のないことを示す。",
                self.t.note,
            ),
        ]
        return [self.t.gap(4 * mm), KeepTogether(lines)]  # never split from its date and mayor


def _foreign(block: ForeignResidentBlock) -> list[list[tuple[str, str, int]]]:
    expires = _date(block.stay_expires_on)
    card_label = (
        "特別永住者証明書の番号"
        if block.resident_class is ForeignResidentClass.SPECIAL_PERMANENT
        else "在留カードの番号"
    )
    return [
        [
            ("国籍・地域", block.nationality, 1),
            ("第30条の45の区分", _CLASSES[block.resident_class], 1),
        ],
        [
            ("在留資格", block.residence_status or NONE, 1),
            ("在留期間", block.period_of_stay or NONE, 1),
        ],
        [("在留期間の満了の日", expires, 1), (card_label, block.card_number or NONE, 1)],
        [
            ("外国人住民となった年月日", japanese_date(block.became_foreign_resident_on), 1),
            ("上陸期間・仮滞在期間", block.permitted_period or NONE, 1),
        ],
    ]


def _date(day: date | None) -> str:
    return NONE if day is None else japanese_date(day)


def _grid(rows: list[list[tuple[str, str, int]]], t: Typesetter) -> Any:
    """Rows of (label, value, columns the value spans) in four columns: label, value, label,
    value; labels shaded."""
    cells, spans = [], []
    for index, row in enumerate(rows):
        line: list[Any] = []
        for label, value, width in row:
            line += [t.paragraph(label, t.cell), t.paragraph(value, t.cell)]
            line += [""] * (width - 1)
            if width > 1:
                spans.append(("SPAN", (len(line) - width, index), (len(line) - 1, index)))
        cells.append(line)
    style = ruled(
        [
            ("BACKGROUND", (0, 0), (-1, 0), colors.white),
            ("BACKGROUND", (0, 0), (0, -1), HEADER_SHADE),
            *[
                ("BACKGROUND", (2, i), (2, i), HEADER_SHADE)
                for i, r in enumerate(rows)
                if len(r) > 1
            ],
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            *spans,
        ]
    )
    return Table(cells, colWidths=[_LABEL, _VALUE, _LABEL, _VALUE], style=style)
