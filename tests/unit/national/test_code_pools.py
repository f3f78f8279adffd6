"""The national view of the code pools: the lowest pool first, low ones flagged."""

from __future__ import annotations

from jukinet.nodes.national.code_pools import (
    RESIDENT_CODE_SPACE,
    NumberTotals,
    PoolLine,
    code_pools,
)


class Ledger:
    def pools(self) -> list[PoolLine]:
        return [
            PoolLine("131016", granted=400, in_use=120, last_granted_at=None),
            PoolLine("011011", granted=200, in_use=170, last_granted_at=None),
            PoolLine("271276", granted=200, in_use=230, last_granted_at=None),  # moved in
        ]

    def numbers(self) -> NumberTotals:
        return NumberTotals(issued=520, retired=3)


def test_pools_come_lowest_first_and_those_below_the_mark_are_flagged() -> None:
    report = code_pools(Ledger(), low_water=50)

    assert [(line.municipality_code, line.remaining) for line in report.lines] == [
        ("271276", 0),
        ("011011", 30),
        ("131016", 280),
    ]
    assert [line.municipality_code for line in report.warnings] == ["271276", "011011"]
    assert report.code_space_left == RESIDENT_CODE_SPACE - 800
    assert report.numbers.retired == 3
