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
