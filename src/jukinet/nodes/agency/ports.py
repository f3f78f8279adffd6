"""What the agency's use cases need from the providing node, and the answers they get.

``ProvisionGateway`` is the recipients' API as the agency sees it; the adapter over HTTP is
``adapters/network/agency_gateway.py``, and tests use a fake. Its errors are the adapter's
(a refusal of the node, with its problem), raised unchanged to the caller.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from jukinet.domain.residents import Relationship


@dataclass(frozen=True, slots=True)
class Occupant:
    """Someone registered at the applicant's address, as the same-address answer names them."""

    resident_code: str
    name: str
    birth_date: date


@dataclass(frozen=True, slots=True)
class HouseholdFinding:
    """The home municipality's answer about one person: ``household`` is a label that holds
    only within one answer; both it and ``relationship`` are None when not ``registered``."""

    resident_code: str
    registered: bool
    household: str | None = None
    relationship: Relationship | None = None


class ProvisionGateway(Protocol):
    def same_address(self, affair: str, key: Mapping[str, str]) -> list[Occupant]:
        """Everyone registered at the address of the person ``key`` names, that person first."""
        ...

    def household_check(self, affair: str, resident_codes: Sequence[str]) -> list[HouseholdFinding]:
        """One finding per code, in the order given; the first code's municipality answers."""
        ...
