"""Check-digit schemes of the three public codes.

* My Number (個人番号): modulus 11 with weights 2..7 repeating from the lowest digit; a
  remainder of 0 or 1 gives 0 (番号法施行令 8条, 総務省令85号 5条 — confirmed).
* 住民票コード: the same formula on a 10-digit body is the best evidence we have, but the
  official notice (平成14年総務省告示第436号) was not seen, so the scheme is pluggable.
* Local-government code (JIS X 0402): weights 6,5,4,3,2 on five digits; the check is the last
  digit of 11 minus the remainder, so a remainder of 0 gives 1 and of 1 gives 0 (confirmed).
"""

from __future__ import annotations

from typing import Protocol


class CheckDigitScheme(Protocol):
    """Computes the check digit that follows a body of ASCII digits."""

    name: str

    def check_digit(self, body: str) -> int: ...


# Weights from the rightmost digit: n + 1 for n = 1..6, then n − 5 (2,3,4,5,6,7,2,3,4,5,6).
_WEIGHTS_2_TO_7 = (2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6)


class Modulus11Weights2To7:
    """Weights 2,3,4,5,6,7,2,3… from the rightmost digit; remainder ≤ 1 gives 0."""

    name = "mod11-weights-2-7"

    def check_digit(self, body: str) -> int:
        digits = reversed(body.encode("ascii"))  # ASCII digits: byte value − 48 is the digit
        total = sum((d - 48) * w for d, w in zip(digits, _WEIGHTS_2_TO_7, strict=False))
        remainder = total % 11
        return 0 if remainder <= 1 else 11 - remainder


class LocalGovernmentScheme:
    """JIS X 0402: weights 6,5,4,3,2; check is (11 − remainder) mod 10."""

    name = "jisx0402"

    def check_digit(self, body: str) -> int:
        total = sum(
            (d - 48) * w for d, w in zip(body.encode("ascii"), (6, 5, 4, 3, 2), strict=True)
        )
        return (11 - total % 11) % 10


MY_NUMBER_SCHEME: CheckDigitScheme = Modulus11Weights2To7()
LOCAL_GOVERNMENT_SCHEME: CheckDigitScheme = LocalGovernmentScheme()

_resident_code_scheme: CheckDigitScheme = Modulus11Weights2To7()


def resident_code_scheme() -> CheckDigitScheme:
    """The scheme in force for 住民票コード (unconfirmed officially: see module docstring)."""
    return _resident_code_scheme


def use_resident_code_scheme(scheme: CheckDigitScheme) -> CheckDigitScheme:
    """Swap the 住民票コード scheme (e.g. once the official notice is read); returns the old one."""
    global _resident_code_scheme
    previous, _resident_code_scheme = _resident_code_scheme, scheme
    return previous
