"""The yearly table of disclosure requests (別紙2 of seed 004), from the requests recorded."""

from __future__ import annotations

from datetime import date

from jukinet.domain.errors import InvalidValue
from jukinet.domain.reports import DisclosureStatistics
from jukinet.domain.rights import count_disclosures
from jukinet.nodes.rights.offices import RightsOffice

FIRST_FISCAL_YEAR = 2002  # Juki-net's first stage began in August 2002
MAX_YEARS = 100


def disclosure_statistics(
    first_year: int, last_year: int, office: RightsOffice
) -> DisclosureStatistics:
    """Per fiscal year (April to March) from ``first_year`` to ``last_year``: requests by
    how they came, answers by how they were received, and the total of requests."""
    if first_year < FIRST_FISCAL_YEAR:
        raise InvalidValue("from_year", f"{first_year} is before Juki-net ({FIRST_FISCAL_YEAR})")
    if not first_year <= last_year < first_year + MAX_YEARS:
        raise InvalidValue("to_year", f"{last_year} must be from {first_year} on, within a century")
    with office.unit_of_work() as uow:
        requests = uow.rights.disclosures.received_between(
            date(first_year, 4, 1), date(last_year + 1, 3, 31)
        )
    years = count_disclosures(requests, first_year, last_year)
    return DisclosureStatistics(office.provider.name, office.clock.today(), years)
