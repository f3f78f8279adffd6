"""The published reports as CSV, for the gazette's typesetters and for spreadsheets.

UTF-8 with a byte-order mark, because the spreadsheet programs Japanese offices use read a
file without one as Shift_JIS; months are printed in the Japanese era as in the notice, and
a column of ISO months is kept for machines.
"""

from __future__ import annotations

import csv
import io

from jukinet.domain.dates import japanese_month
from jukinet.domain.reports import ProvisionNotice

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
