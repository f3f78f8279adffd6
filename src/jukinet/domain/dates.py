"""Date rules shared by the register: nothing in the future, nothing before the register."""

from __future__ import annotations

from datetime import date

from jukinet.domain.errors import InvalidValue

# The oldest living people were born in the 1900s; 1868 (明治元年) is a safe floor that still
# catches typing errors such as year 0202.
EARLIEST = date(1868, 1, 1)


def parse_date(field: str, value: object) -> date:
    """Accept a ``date`` or an ISO ``YYYY-MM-DD`` string; refuse impossible dates clearly."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise InvalidValue(field, f"expected a date as YYYY-MM-DD, got {type(value).__name__}")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidValue(field, f"{value!r} is not a real date in the form YYYY-MM-DD") from None


def past_date(field: str, value: object, today: date) -> date:
    """A date that has already happened (today allowed) and is not before 1868."""
    parsed = parse_date(field, value)
    if parsed > today:
        raise InvalidValue(field, f"{parsed.isoformat()} is in the future (today is {today})")
    if parsed < EARLIEST:
        raise InvalidValue(field, f"{parsed.isoformat()} is before {EARLIEST.isoformat()}")
    return parsed


# The eras a month of the register's life can fall in, newest first: (name, first day).
_ERAS = (("令和", date(2019, 5, 1)), ("平成", date(1989, 1, 8)), ("昭和", date(1926, 12, 25)))


def japanese_month(year: int, month: int) -> str:
    """``2025, 8`` → ``令和7年8月``; the first year of an era prints as 元年, as notices do."""
    first_day = date(year, month, 1)
    for name, start in _ERAS:
        # A month in which an era starts is named by the era in force on its last day.
        if first_day >= start or (year, month) == (start.year, start.month):
            number = year - start.year + 1
            return f"{name}{'元' if number == 1 else number}年{month}月"
    return f"{year}年{month}月"


def japanese_date(day: date) -> str:
    """``date(2026, 8, 30)`` → ``令和8年8月30日``; 30 April 2019 is still 平成31年."""
    return f"{_era_year(day)}{day.month}月{day.day}日"


def japanese_fiscal_year(fiscal_year: int) -> str:
    """``2025`` → ``令和7年度``, for the year from April 2025 to March 2026.

    The era in force at the end of the starting calendar year names it, so the year that began
    in April 2019 is 令和元年度, as the government's statistics count it.
    """
    return f"{_era_year(date(fiscal_year, 12, 31))}度"


def _era_year(day: date) -> str:
    for name, start in _ERAS:
        if day >= start:
            number = day.year - start.year + 1
            return f"{name}{'元' if number == 1 else number}年"
    return f"{day.year}年"
