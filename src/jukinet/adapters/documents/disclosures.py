"""The written answers to residents as PDF: the decision on a disclosure request and the
answer to a correction request.

``render_disclosure_notice`` sets 本人確認情報開示決定通知書: the request, the identity
information held now, its change history and every provision of it to a recipient (提供先,
事務, 提供日時, 提供方法); a refusal (不開示決定通知書) states only the reason.
``render_correction_answer`` sets the result of investigating a correction request. Both
return the bytes of an A4 portrait PDF and raise ``FontError`` (see ``fonts``) when no Japanese
font can be found.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Table

from jukinet.adapters.clock import JST
from jukinet.adapters.documents.fonts import japanese_font
from jukinet.adapters.documents.tables import Columns, MergedTable, facts_table, ruled
from jukinet.adapters.documents.typesetting import TEXT_WIDTH, Typesetter
from jukinet.domain.dates import japanese_date
from jukinet.domain.identity import IdentityInfo, RecordStatus
from jukinet.domain.provision import Channel
from jukinet.domain.rights import CorrectionResult, Decision, DisclosureRequest
from jukinet.nodes.provision.records import ProvisionLine
from jukinet.nodes.rights.notices import CorrectionLetter, DisclosureNotice

DISCLOSED_TITLE = "本人確認情報開示決定通知書"
REFUSED_TITLE = "本人確認情報不開示決定通知書"
CORRECTION_TITLE = "本人確認情報の訂正の申出に係る調査結果通知書"
HISTORY_HEADINGS = ("異動年月日", "異動事由", "氏名", "住所", "個人番号\n住民票コード")
PROVISION_HEADINGS = ("提供先", "事務", "提供日時", "提供方法")
_LABEL_WIDTH = 38 * mm


def render_disclosure_notice(notice: DisclosureNotice, *, font: Path | None = None) -> bytes:
    """The written decision of ``notice``, set in the font at ``font`` or the installed Mincho."""
    typesetter = Typesetter(japanese_font(font))
    request = notice.request
    assert request.decision is not None, "only a decided request has a notice"
    disclosed = request.decision.outcome is Decision.DISCLOSED
    title = DISCLOSED_TITLE if disclosed else REFUSED_TITLE
    story = [
        typesetter.paragraph(title, typesetter.title),
        typesetter.paragraph(
            f"{japanese_date(request.decision.decided_on)}\n{notice.provider}", typesetter.signature
        ),
        typesetter.paragraph(f"{notice.addressee}　様", typesetter.body),
        typesetter.paragraph(_opening(request, disclosed), typesetter.body),
        _facts(_request_facts(notice), typesetter),
    ]
    if disclosed:
        story += _disclosed_parts(notice, typesetter)
    else:
        story += [
            *_section("不開示の理由", typesetter),
            typesetter.paragraph(request.decision.reason, typesetter.body),
        ]
    return typesetter.build(story, title=title, author=notice.provider)


def _opening(request: DisclosureRequest, disclosed: bool) -> str:
    asked = (
        f"{japanese_date(request.received_on)}付けで{request.method.label}により請求のあった"
        "本人確認情報の開示について、"
    )
    if disclosed:
        return asked + "住民基本台帳法第30条の32の規定により、次のとおり開示します。"
    return asked + "次の理由により開示しないことと決定しましたので通知します。"


def _request_facts(notice: DisclosureNotice) -> list[tuple[str, str]]:
    request = notice.request
    requester = request.requester
    check = request.identity_check
    return [
        ("受付番号", request.request_id),
        ("請求者", notice.addressee),
        ("請求者の区分", requester.relation.label),
        ("開示請求に係る本人", notice.person.full_name),
        ("請求年月日", japanese_date(request.received_on)),
        ("請求方法", request.method.label),
        ("本人確認の方法", "、".join(check.labels()) if check else "—"),
    ]


def _disclosed_parts(notice: DisclosureNotice, typesetter: Typesetter) -> list[Any]:
    printed = japanese_date(notice.printed_on)
    return [
        *_section("1　開示する本人確認情報", typesetter),
        _facts(_identity_facts(notice.person), typesetter),
        *_section("2　本人確認情報の変更履歴", typesetter),
        _history_table(notice.history, typesetter),
        *_section("3　本人確認情報の提供状況", typesetter),
        *_provisions(notice.provisions, typesetter),
        typesetter.paragraph(
            f"（注）この通知書は、{printed}現在に保有する本人確認情報及び提供の記録により作成しました。"
            f"提供方法の欄の{_channel_meanings()}を指します。"
            "開示した本人確認情報に誤りがあると思われるときは、訂正の申出をすることができます。",
            typesetter.note,
        ),
    ]


def _section(text: str, typesetter: Typesetter) -> list[Any]:
    """A numbered heading, clear of the table above it."""
    return [typesetter.gap(4 * mm), typesetter.paragraph(text, typesetter.body)]


def _identity_facts(person: IdentityInfo) -> list[tuple[str, str]]:
    facts = [
        ("氏名", person.full_name),
        ("氏名の振り仮名", f"{person.family_name_kana}　{person.given_name_kana}".strip()),
        ("旧氏", person.former_surname),
        ("通称", person.alias),
        ("生年月日", japanese_date(person.birth_date)),
        ("性別", person.sex.label),
        ("住所", person.address),
        ("個人番号", person.my_number or "—"),
        ("住民票コード", person.resident_code),
        ("記載の状況", _status(person)),
    ]
    return [(label, value) for label, value in facts if value]


def _status(person: IdentityInfo) -> str:
    since = japanese_date(person.change_date)
    if person.status is RecordStatus.ACTIVE:
        return f"住民（{since} {person.reason.label}）"
    return f"消除（{since} {person.reason.label}）"


def _facts(rows: Sequence[tuple[str, str]], typesetter: Typesetter) -> Any:
    return facts_table(rows, typesetter, _LABEL_WIDTH)


def _history_table(history: Sequence[IdentityInfo], typesetter: Typesetter) -> Any:
    def cell(text: str) -> Any:
        return typesetter.paragraph(text, typesetter.cell)

    header = [typesetter.paragraph(text, typesetter.heading) for text in HISTORY_HEADINGS]
    rows = [
        [
            cell(japanese_date(version.change_date)),
            cell(version.reason.label),
            cell(version.full_name),
            cell(version.address),
            cell(f"{version.my_number or '—'}\n{version.resident_code}"),
        ]
        for version in history
    ]
    widths = [27 * mm, 22 * mm, 30 * mm, TEXT_WIDTH - 105 * mm, 26 * mm]
    return Table([header, *rows], colWidths=widths, style=ruled(), repeatRows=1)


def _provisions(lines: Sequence[ProvisionLine], typesetter: Typesetter) -> list[Any]:
    if not lines:
        return [typesetter.paragraph("提供の記録はありません。", typesetter.body)]
    ordered = sorted(lines, key=lambda line: (line.recipient, line.affair, line.at))
    rows = [(line.recipient, line.affair, _moment(line), line.channel.label) for line in ordered]
    widths = (36 * mm, TEXT_WIDTH - 96 * mm, 36 * mm, 24 * mm)
    return [MergedTable(rows, Columns(PROVISION_HEADINGS, widths, merged=2), typesetter)]


def _moment(line: ProvisionLine) -> str:
    local = line.at.astimezone(JST)
    return f"{japanese_date(local.date())}\n{local:%H:%M}"


def _channel_meanings() -> str:
    """What each abbreviated method in the 提供方法 column stands for."""
    abbreviated = [channel for channel in Channel if channel.label != channel.full_label]
    return "、".join(f"「{channel.label}」は{channel.full_label}" for channel in abbreviated)


def render_correction_answer(letter: CorrectionLetter, *, font: Path | None = None) -> bytes:
    """The written answer of ``letter``, set in the font at ``font`` or the installed Mincho."""
    typesetter = Typesetter(japanese_font(font))
    correction = letter.correction
    found = correction.investigation
    assert found is not None, "only an investigated request is answered"
    dated = correction.answer.answered_on if correction.answer else letter.printed_on
    opening = (
        f"{japanese_date(correction.received_on)}付けで申出のあった本人確認情報の訂正について、"
        "調査の結果を次のとおり通知します。"
    )
    facts = [
        ("受付番号", correction.correction_id),
        ("申出に係る本人", letter.person.full_name),
        ("申出年月日", japanese_date(correction.received_on)),
        ("申出の項目", "、".join(item.label for item in correction.items)),
        ("申出の内容", correction.statement),
        ("調査年月日", japanese_date(found.investigated_on)),
        ("調査の結果", _result(found.result, letter.municipality)),
        ("調査の内容", found.findings),
    ]
    story = [
        typesetter.paragraph(CORRECTION_TITLE, typesetter.title),
        typesetter.paragraph(f"{japanese_date(dated)}\n{letter.provider}", typesetter.signature),
        typesetter.paragraph(f"{letter.addressee}　様", typesetter.body),
        typesetter.paragraph(opening, typesetter.body),
        _facts(facts, typesetter),
    ]
    return typesetter.build(story, title=CORRECTION_TITLE, author=letter.provider)


def _result(result: CorrectionResult, municipality: str | None) -> str:
    if result is CorrectionResult.NO_ERROR:
        return "保有する本人確認情報に誤りは認められませんでした。"
    return (
        f"誤りが認められたため、住民票を備える{municipality}の長に対し、記載の修正を求めました。"
        "修正後の本人確認情報は、同市区町村からの通知により更新されます。"
    )
