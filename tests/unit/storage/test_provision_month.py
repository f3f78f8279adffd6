"""The month a provision counts towards in the annual notice is the month in Japan, where
the notice is published, not the month in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jukinet.adapters.storage.provision import month_of


@pytest.mark.parametrize(
    ("moment", "month"),
    [
        (datetime(2026, 3, 31, 14, 59, tzinfo=UTC), "2026-03"),  # 23:59 on 31 March in Tokyo
        (datetime(2026, 3, 31, 15, 0, tzinfo=UTC), "2026-04"),  # midnight: the new fiscal year
        (datetime(2025, 12, 31, 15, 0, tzinfo=UTC), "2026-01"),  # New Year in Tokyo
        (datetime(999, 6, 1, tzinfo=UTC), "0999-06"),  # four digits, as the column sorts
    ],
)
def test_a_provision_counts_in_its_month_in_japan(moment: datetime, month: str) -> None:
    assert month_of(moment) == month
