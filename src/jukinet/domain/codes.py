"""The three public codes as value objects that cannot hold a wrong check digit.

Raises :class:`InvalidCode` for the wrong length, full-width or other non-ASCII digits and
any other character, and :class:`InvalidCheckDigit` when the last digit does not check.
"""

from __future__ import annotations

from dataclasses import dataclass

from jukinet.domain.checkdigits import (
    LOCAL_GOVERNMENT_SCHEME,
    MY_NUMBER_SCHEME,
    CheckDigitScheme,
    resident_code_scheme,
)
from jukinet.domain.errors import InvalidCheckDigit, InvalidCode


def validate_digits(field: str, value: object, length: int, scheme: CheckDigitScheme) -> str:
    """Return ``value`` if it is ``length`` ASCII digits whose last digit checks the rest."""
    if not isinstance(value, str):
        raise InvalidCode(
            field, f"expected a string of {length} digits, got {type(value).__name__}"
        )
    if not value.isascii():
        hint = (
            " (full-width digits are not accepted)" if any("０" <= c <= "９" for c in value) else ""
        )
        raise InvalidCode(field, f"{value!r} contains non-ASCII characters{hint}")
    if not value.isdigit():
        raise InvalidCode(field, f"{value!r} must contain digits only")
    if len(value) != length:
        raise InvalidCode(field, f"must be {length} digits, got {len(value)}")
    expected = scheme.check_digit(value[:-1])
    if expected != int(value[-1]):
        raise InvalidCheckDigit(field, value, expected)
    return value


def with_check_digit(body: str, scheme: CheckDigitScheme) -> str:
    """Append the scheme's check digit to ``body``."""
    return body + str(scheme.check_digit(body))


@dataclass(frozen=True, slots=True, order=True)
class ResidentCode:
    """住民票コード: ten random digits and one check digit; carries no meaning."""

    value: str

    def __post_init__(self) -> None:
        validate_digits("resident_code", self.value, 11, resident_code_scheme())

    @classmethod
    def from_body(cls, body: str) -> ResidentCode:
        return cls(with_check_digit(body, resident_code_scheme()))

    @classmethod
    def parse(cls, value: object, field: str) -> ResidentCode:
        """Validate ``value`` reporting problems against ``field`` (e.g. ``certificate.resident_code``)."""
        return cls(validate_digits(field, value, 11, resident_code_scheme()))

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True, order=True)
class MyNumber:
    """個人番号: eleven digits derived (secretly) from a 住民票コード plus one check digit."""

    value: str

    def __post_init__(self) -> None:
        validate_digits("my_number", self.value, 12, MY_NUMBER_SCHEME)

    @classmethod
    def from_body(cls, body: str) -> MyNumber:
        return cls(with_check_digit(body, MY_NUMBER_SCHEME))

    @classmethod
    def parse(cls, value: object, field: str) -> MyNumber:
        """Validate ``value`` reporting problems against ``field`` (e.g. ``certificate.resident_code``)."""
        return cls(validate_digits(field, value, 12, MY_NUMBER_SCHEME))

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True, order=True)
class LocalGovernmentCode:
    """全国地方公共団体コード: prefecture (2) + municipality (3) + check digit."""

    value: str

    def __post_init__(self) -> None:
        validate_digits("local_government_code", self.value, 6, LOCAL_GOVERNMENT_SCHEME)

    @classmethod
    def from_five(cls, five: str) -> LocalGovernmentCode:
        return cls(with_check_digit(five, LOCAL_GOVERNMENT_SCHEME))

    @property
    def prefecture(self) -> str:
        """The two-digit prefecture code (JIS X 0401)."""
        return self.value[:2]

    @property
    def five(self) -> str:
        """The five-digit form without check digit used in much data interchange."""
        return self.value[:5]

    @property
    def is_prefecture(self) -> bool:
        return self.value[2:5] == "000"

    @classmethod
    def parse(cls, value: object, field: str) -> LocalGovernmentCode:
        """Validate ``value`` reporting problems against ``field`` (e.g. ``certificate.resident_code``)."""
        return cls(validate_digits(field, value, 6, LOCAL_GOVERNMENT_SCHEME))

    def __str__(self) -> str:
        return self.value
