"""The published reports as CSV, for the gazette's typesetters and for spreadsheets.

UTF-8 with a byte-order mark, because the spreadsheet programs Japanese offices use read a
file without one as Shift_JIS; months are printed in the Japanese era as in the notice, and
a column of ISO months is kept for machines.
"""

from __future__ import annotations

import csv
import io

from jukinet.domain.dates import japanese_fiscal_year, japanese_month
from jukinet.domain.reports import ContactMethod, DisclosureStatistics, ProvisionNotice

NOTICE_COLUMNS = ("提供先", "事務", "提供年月", "提供件数", "提供方法", "month")


def provision_notice_csv(notice: ProvisionNotice) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(NOTICE_COLUMNS)
    for line in notice.lines:
        writer.writerow(
            (
                line.recipient,
                line.affair,
                japanese_month(line.year, line.month),
                line.count,
                line.channel.label,
                f"{line.year:04d}-{line.month:02d}",
            )
        )
    writer.writerow(("提供件数合計", "", "", notice.total, "", ""))
    return buffer.getvalue().encode("utf-8-sig")


def disclosure_statistics_csv(stats: DisclosureStatistics) -> bytes:
    """別紙2 as CSV: a row per fiscal year (era label and the year it starts), requests and
    answers per method, the total, and a row of totals."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    methods = list(ContactMethod)
    writer.writerow(
        (
            "年度",
            *(f"請求方法（{method.label}）" for method in methods),
            *(f"受取方法（{method.label}）" for method in methods),
            "計",
            "fiscal_year",
        )
    )
    for year in stats.years:
        writer.writerow(
            (
                japanese_fiscal_year(year.fiscal_year),
                *(year.requested.get(method, 0) for method in methods),
                *(year.delivered.get(method, 0) for method in methods),
                year.total,
                year.fiscal_year,
            )
        )
    columns = [
        *(sum(y.requested.get(m, 0) for y in stats.years) for m in methods),
        *(sum(y.delivered.get(m, 0) for y in stats.years) for m in methods),
    ]
    writer.writerow(("合計", *columns, sum(y.total for y in stats.years), ""))
    return buffer.getvalue().encode("utf-8-sig")
