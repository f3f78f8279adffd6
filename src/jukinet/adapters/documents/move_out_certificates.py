"""転出証明書 as a PDF: what the old municipality hands over for an ordinary move.

One A4 page per person with the items the new municipality records the move-in from
(施行令23条): name and furigana, date of birth, sex, the household head and 続柄, 本籍 and
筆頭者 (or the 30条の45 items of a foreign resident), the address left, the destination and the
planned date, the 住民票コード and the 個人番号, and the certificate's own number, which the new
municipality remembers so that it is used once. Names print exactly as registered (𠮷, 髙,
variation sequences) in IPAmj Mincho.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm

from jukinet.adapters.documents.fonts import japanese_font
from jukinet.adapters.documents.tables import facts_table
from jukinet.adapters.documents.typesetting import Typesetter
from jukinet.domain.certificates import MoveOutCertificate
from jukinet.domain.dates import japanese_date

TITLE = "転出証明書"
_LABEL_WIDTH = 36 * mm


def render_move_out_certificate(
    certificate: MoveOutCertificate, issuer_name: str, *, font: Path | None = None
) -> bytes:
    """The certificate as handed to the resident, signed off by ``issuer_name`` (市区町村長)."""
    typesetter = Typesetter(japanese_font(font))
    story = [
        typesetter.paragraph(TITLE, typesetter.title),
        typesetter.paragraph(f"証明書番号　{certificate.certificate_id}", typesetter.signature),
        facts_table(_items(certificate), typesetter, _LABEL_WIDTH),
        typesetter.gap(6 * mm),
        typesetter.paragraph(
            "上記の者から転出の届出があったことを証明します。転入の届出の際は、この証明書を"
            "転入先の市区町村に提出してください（転入した日から14日以内）。",
            typesetter.body,
        ),
        typesetter.paragraph(
            f"{japanese_date(certificate.issued_on)}\n{issuer_name}長", typesetter.signature
        ),
    ]
    return typesetter.build(story, title=TITLE, author=issuer_name)


def _items(certificate: MoveOutCertificate) -> list[tuple[str, str]]:
    kana = f"{certificate.family_name_kana}　{certificate.given_name_kana}".strip("　")
    rows = [
        ("氏名", f"{certificate.family_name}　{certificate.given_name}".strip("　")),
        ("氏名の振り仮名", kana or "（記載なし）"),
        ("生年月日", japanese_date(certificate.birth_date)),
        ("性別", certificate.sex.label),
        ("世帯主", certificate.head_name or "（記載なし）"),
        ("続柄", certificate.relationship.label),
    ]
    foreign = certificate.foreign
    if foreign is None:
        domicile = certificate.domicile
        if domicile is not None and domicile.place:
            rows += [("本籍", domicile.place), ("筆頭者", domicile.head_of_family)]
        else:
            rows.append(("本籍", "（本籍なし・不明）" if domicile else "（記載なし）"))
    else:
        rows += [("国籍・地域", foreign.nationality)]
        if foreign.residence_status:
            rows += [("在留資格", foreign.residence_status)]
        if foreign.period_of_stay:
            rows += [("在留期間", foreign.period_of_stay)]
        if foreign.stay_expires_on is not None:
            rows += [("在留期間の満了の日", japanese_date(foreign.stay_expires_on))]
        if foreign.card_number:
            rows += [("在留カード等の番号", foreign.card_number)]
    rows += [
        ("住所", certificate.address),
        ("転出先", certificate.destination),
        ("転出予定年月日", japanese_date(certificate.planned_on)),
        ("住民票コード", certificate.resident_code),
        ("個人番号", certificate.my_number or "（記載なし）"),
    ]
    return rows
