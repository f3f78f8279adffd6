"""The code pools as J-LIS sees them: how many 住民票コード each municipality was granted,
how many of those it has used, and how many 個人番号 have been generated.

A municipality draws new 住民票コード from a pool the national node grants it in blocks
(``issuance.grant_codes``) and asks for another block when the pool runs low. The national
node cannot see a municipality's pool directly; it counts the codes it granted and those it
has since received an identity update for. The difference is what the municipality still
holds, give or take the updates in transit. 個人番号 are not pooled: each is derived from its
住民票コード when first asked for (``numbering.py``), so only the national totals are shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

RESIDENT_CODE_SPACE = 10**10  # ten random digits before the check digit


@dataclass(frozen=True, slots=True)
class PoolLine:
    """One municipality's 住民票コード: granted to it, and seen in use since."""

    municipality_code: str
    granted: int
    in_use: int
    last_granted_at: datetime | None

    @property
    def remaining(self) -> int:
        return max(self.granted - self.in_use, 0)


@dataclass(frozen=True, slots=True)
class NumberTotals:
    """個人番号 generated so far: in use, and retired after a leak (番号法7条2項)."""

    issued: int
    retired: int


class CodeLedger(Protocol):
    """The national node's tables of issued codes and numbers, counted."""

    def pools(self) -> list[PoolLine]:
        """One line per municipality ever granted codes."""
        ...

    def numbers(self) -> NumberTotals: ...


@dataclass(frozen=True, slots=True)
class PoolReport:
    lines: list[PoolLine]  # the lowest remaining pool first
    numbers: NumberTotals
    low_water: int

    def low(self, line: PoolLine) -> bool:
        return line.remaining < self.low_water

    @property
    def warnings(self) -> list[PoolLine]:
        return [line for line in self.lines if self.low(line)]

    @property
    def codes_granted(self) -> int:
        return sum(line.granted for line in self.lines)

    @property
    def code_space_left(self) -> int:
        """Bodies never drawn yet: new codes get harder to draw as this shrinks."""
        return RESIDENT_CODE_SPACE - self.codes_granted


def code_pools(ledger: CodeLedger, low_water: int) -> PoolReport:
    """Every municipality's pool, the lowest first, with the national 個人番号 totals; a pool
    below ``low_water`` (the municipalities' refill mark) is flagged."""
    lines = sorted(ledger.pools(), key=lambda line: (line.remaining, line.municipality_code))
    return PoolReport(lines, ledger.numbers(), low_water)
