"""The published reports as PDF, read back the way a reader would: with poppler's pdftotext
and pdftoppm (Debian package poppler-utils; scripts/system-packages installs it)."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from jukinet.adapters.documents.fonts import FontsMissing, FontUnusable
from jukinet.adapters.documents.reports import (
    render_disclosure_statistics,
    render_provision_notice,
)
from jukinet.domain.provision import Channel
from jukinet.domain.reports import (
    ContactMethod,
    DisclosureStatistics,
    DisclosureYear,
    NoticeLine,
    ProvisionNotice,
)

JLIS = "地方公共団体情報システム機構"
NENKIN = "日本年金機構"
NENKIN_AFFAIR = (
    "国民年金法による年金である給付若しくは一時金の支給、保険料その他徴収金の徴収"
    "又は加入員の資格の取得及び喪失に関する事務"
)
# A name in the MJ character set: 𠮷 lies beyond the BMP, 髙 and 﨑 are variant forms.
MJ_RECIPIENT = "𠮷田髙﨑記念財団"
MJ_AFFAIR = "奨学金の貸与に関する事務"
HEADINGS = ("提供先", "事務", "提供年月", "提供件数", "提供方法")
VISIT, POST, ONLINE = ContactMethod.VISIT, ContactMethod.POST, ContactMethod.ONLINE


def notice_of(lines: list[NoticeLine]) -> ProvisionNotice:
    return ProvisionNotice(JLIS, (2025, 8), (2026, 7), date(2026, 8, 30), tuple(lines))


def small_notice() -> ProvisionNotice:
    return notice_of(
        [
            NoticeLine(NENKIN, NENKIN_AFFAIR, 2025, 8, Channel.IMMEDIATE, 6_427),
            NoticeLine(NENKIN, NENKIN_AFFAIR, 2025, 9, Channel.IMMEDIATE, 5_642),
            NoticeLine(NENKIN, NENKIN_AFFAIR, 2025, 9, Channel.NETWORK_BATCH, 2_958_696),
            NoticeLine(MJ_RECIPIENT, MJ_AFFAIR, 2026, 1, Channel.MEDIA_BATCH, 1_201),
        ]
    )


def long_notice() -> ProvisionNotice:
    """Four recipients, every month of a year by two methods: several pages."""
    months = [(2025 + (month < 8), month) for month in (*range(8, 13), *range(1, 8))]
    return notice_of(
        [
            NoticeLine(recipient, NENKIN_AFFAIR, year, month, channel, 1_000 + month)
            for recipient in ("共済組合甲", "共済組合乙", "共済組合丙", NENKIN)
            for year, month in months
            for channel in (Channel.IMMEDIATE, Channel.NETWORK_BATCH)
        ]
    )


def statistics(*years: DisclosureYear) -> DisclosureStatistics:
    return DisclosureStatistics(JLIS, date(2026, 3, 12), years)


def pdf_text(pdf: bytes, folder: Path, page: int | None = None) -> str:
    path = folder / "document.pdf"
    path.write_bytes(pdf)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    command = ["pdftotext", "-layout", *pages, str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def page_count(pdf: bytes, folder: Path) -> int:
    path = folder / "document.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    assert pages is not None
    return int(pages[1])


def first_page_png(pdf: bytes, folder: Path) -> Path:
    path = folder / "document.pdf"
    path.write_bytes(pdf)
    command = ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile"]
    subprocess.run([*command, str(path), str(folder / "page-1")], check=True)
    return folder / "page-1.png"


def assert_printed_page(png: Path) -> None:
    """A PNG of an A4 page with ink spread over most of it, not a blank sheet."""
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(png) as image:
        width, height = image.size
        assert height / width == pytest.approx(297 / 210, rel=0.01)
        inked = ImageOps.invert(image.convert("L")).getbbox()
    assert inked is not None
    left, top, right, bottom = inked
    assert right - left > width / 2
    assert bottom - top > height / 4


def test_provision_notice_prints_the_columns_months_recipients_and_grand_total(
    tmp_path: Path,
) -> None:
    text = pdf_text(render_provision_notice(small_notice()), tmp_path)

    assert "本人確認情報の提供状況に関する公告" in text
    assert all(heading in text for heading in HEADINGS)
    assert "令和7年8月から令和8年7月まで" in text
    assert "令和8年8月30日" in text
    assert re.search(r"令和7年9月\s+2,958,696\s+電気通信回線", text)
    assert re.search(r"令和8年1月\s+1,201\s+磁気媒体", text)
    assert NENKIN in text
    assert MJ_RECIPIENT in text  # 𠮷, 髙 and 﨑 exactly, not look-alikes
    assert re.search(r"提供件数合計\s+2,971,966件", text)
    assert "電気通信回線による一括提供" in text
    assert "磁気媒体による一括提供" in text


def test_recipient_and_affair_print_once_for_their_group_of_lines(tmp_path: Path) -> None:
    text = pdf_text(render_provision_notice(small_notice()), tmp_path)

    assert text.count(NENKIN) == 1
    assert text.count("国民年金法による") == 1


def test_a_long_notice_repeats_the_header_and_the_continuing_recipient_on_later_pages(
    tmp_path: Path,
) -> None:
    pdf = render_provision_notice(long_notice())

    second_page = pdf_text(pdf, tmp_path, page=2)

    assert page_count(pdf, tmp_path) >= 3
    assert all(heading in second_page for heading in HEADINGS)
    # The group cut by the page break names its recipient again on the new page.
    first_row = second_page.split("提供方法", 1)[1].strip()
    assert first_row.startswith(("共済組合甲", "共済組合乙", "共済組合丙", NENKIN))
    last_page = pdf_text(pdf, tmp_path, page=page_count(pdf, tmp_path))
    assert re.search(r"提供件数合計\s+96,624件", last_page)


def test_a_name_written_with_a_variation_sequence_reads_back_unchanged(tmp_path: Path) -> None:
    kuzu = "葛\U000e0100飾区職員共済会"  # 葛 with IVS selector 17, as the MJ set writes it
    notice = notice_of([NoticeLine(kuzu, MJ_AFFAIR, 2025, 8, Channel.IMMEDIATE, 3)])

    text = pdf_text(render_provision_notice(notice), tmp_path)

    assert kuzu in text


def test_provision_notice_page_renders_as_a_printed_page(tmp_path: Path) -> None:
    png = first_page_png(render_provision_notice(small_notice()), tmp_path)

    assert_printed_page(png)


def test_provision_notice_carries_its_title_in_the_metadata(tmp_path: Path) -> None:
    path = tmp_path / "notice.pdf"
    path.write_bytes(render_provision_notice(small_notice()))

    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)

    assert re.search(r"^Title:\s+本人確認情報の提供状況に関する公告$", info.stdout, re.MULTILINE)


def test_disclosure_statistics_list_each_fiscal_year_and_sum_the_columns(
    tmp_path: Path,
) -> None:
    stats = statistics(
        DisclosureYear(2019, {VISIT: 1, POST: 4}, {VISIT: 0, POST: 5}),
        DisclosureYear(2025, {VISIT: 2, POST: 7}, {VISIT: 1, POST: 8}),
    )

    text = pdf_text(render_disclosure_statistics(stats), tmp_path)

    assert "令和8年3月12日現在" in text
    assert all(word in text for word in ("請求方法", "受取方法", "来所", "郵送", "計"))
    assert "令和元年度" in text
    assert "（平成31年4月～令和2年3月）" in text
    assert "（令和7年4月～令和8年3月）" in text
    assert "オンライン" not in text
    totals = re.search(r"^\s*合計((?:\s+\d+)+)\s*$", text, re.MULTILINE)
    assert totals is not None
    assert totals[1].split() == ["3", "11", "1", "13", "14"]


def test_disclosure_statistics_add_online_columns_once_requests_arrive_online(
    tmp_path: Path,
) -> None:
    stats = statistics(DisclosureYear(2025, {VISIT: 1, ONLINE: 2}, {POST: 1, ONLINE: 2}))

    text = pdf_text(render_disclosure_statistics(stats), tmp_path)

    totals = re.search(r"^\s*合計((?:\s+\d+)+)\s*$", text, re.MULTILINE)
    assert text.count("オンライン") == 2
    assert totals is not None
    assert totals[1].split() == ["1", "0", "2", "0", "1", "2", "3"]


def test_disclosure_statistics_page_renders_as_a_printed_page(tmp_path: Path) -> None:
    stats = statistics(*(DisclosureYear(year, {POST: 2}, {POST: 2}) for year in range(2014, 2026)))

    png = first_page_png(render_disclosure_statistics(stats), tmp_path)

    assert_printed_page(png)


def test_a_missing_font_file_says_which_debian_packages_to_install(tmp_path: Path) -> None:
    with pytest.raises(FontsMissing, match="fonts-ipamj-mincho") as raised:
        render_provision_notice(small_notice(), font=tmp_path / "missing.ttf")

    assert raised.value.tried == (tmp_path / "missing.ttf",)
    assert "fonts-ipaexfont-mincho" in str(raised.value)


def test_a_file_that_is_not_a_truetype_font_is_refused_by_name(tmp_path: Path) -> None:
    not_a_font = tmp_path / "notes.ttf"
    not_a_font.write_text("not a font")

    with pytest.raises(FontUnusable, match=re.escape(str(not_a_font))):
        render_disclosure_statistics(statistics(), font=not_a_font)
