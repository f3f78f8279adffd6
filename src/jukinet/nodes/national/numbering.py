"""Generating a 個人番号 from a 住民票コード (番号法8条): unique, derived, not reversible.

The real conversion is secret. Ours is a keyed pseudo-random permutation of the 11-digit
space — a Feistel network over two decimal halves (5 and 6 digits), ten rounds, each round
keyed with BLAKE2b-MAC under J-LIS's secret and tweaked by a generation counter. Because it is
a permutation for each counter, one code never maps to two numbers; without the key it cannot
be inverted; collisions across counters are caught by the issuance table, which redraws.
"""

from __future__ import annotations

import hashlib

from jukinet.domain.codes import MyNumber

_ROUNDS = 10  # even, so the halves end with the widths they started with
_HALVES = (5, 6)  # digits of the left and right halves of the 11-digit body


class MyNumberDeriver:
    def __init__(self, key: bytes) -> None:
        if not 32 <= len(key) <= 64:
            raise ValueError("the My Number key must be 32 to 64 bytes")
        self._key = key

    def _round(self, counter: int, index: int, value: int, modulus: int) -> int:
        message = f"{counter}:{index}:{value}".encode()
        mac = hashlib.blake2b(message, key=self._key, digest_size=16).digest()
        return int.from_bytes(mac, "big") % modulus

    def body(self, resident_code: str, counter: int = 0) -> str:
        """The 11-digit body for ``resident_code`` at generation ``counter``."""
        left_digits, right_digits = _HALVES
        value = int(resident_code)
        left, right = divmod(value, 10**right_digits)
        for index in range(_ROUNDS):
            # The half being added to alternates between 5 and 6 digits; adding modulo its
            # own width keeps every round a bijection (FF1's construction, radix 10).
            modulus = 10 ** (left_digits if index % 2 == 0 else right_digits)
            left, right = right, (left + self._round(counter, index, right, modulus)) % modulus
        return f"{left:0{left_digits}d}{right:0{right_digits}d}"

    def number(self, resident_code: str, counter: int = 0) -> str:
        return MyNumber.from_body(self.body(resident_code, counter)).value
