"""機関別符号 (番号法21条の2): the code by which an agency knows a person, one per agency.

An agency never receives another agency's code for the same person, and no code can be
turned back into a 住民票コード or a 個人番号. The code is derived by the provision network
from the 住民票コード that J-LIS hands it, with a keyed one-way function whose key never
leaves that component. The agency names each request with its own 取得番号 (acquisition
number): a number of its choosing, unique per person within the request, which must be
neither a 個人番号 nor a 住民票コード, and which everyone keeps only until the code is collected.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from jukinet.domain.checkdigits import (
    MY_NUMBER_SCHEME,
    CheckDigitScheme,
    resident_code_scheme,
)
from jukinet.domain.errors import InvalidValue

CODE_LENGTH = 26  # 130 bits of the HMAC in base32: far beyond any collision in 125 million
_DOMAIN = b"jukinet-agency-code/1\x00"
_ACQUISITION = re.compile(r"^[A-Za-z0-9-]{1,40}$")


class AgencyCodeDeriver:
    """HMAC-SHA256 of (agency, 住民票コード) under the provision network's secret key."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 32:
            raise ValueError("the agency-code key needs at least 32 bytes")
        self._key = key

    def code_for(self, agency_id: str, resident_code: str) -> str:
        message = _DOMAIN + agency_id.encode() + b"\x00" + resident_code.encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.b32encode(digest).decode()[:CODE_LENGTH]


def check_acquisition_number(field: str, value: object) -> str:
    """A 取得番号: 1-40 letters, digits or '-', and not something that reads as a 個人番号 or
    住民票コード (an agency must not put a person's real number in it)."""
    if not isinstance(value, str) or not _ACQUISITION.match(value):
        raise InvalidValue(field, "use 1-40 ASCII letters, digits or '-'")
    if _is_code(value, 12, MY_NUMBER_SCHEME) or _is_code(value, 11, resident_code_scheme()):
        raise InvalidValue(field, "must be neither a 個人番号 nor a 住民票コード")
    return value


def _is_code(value: str, length: int, scheme: CheckDigitScheme) -> bool:
    if len(value) != length or not value.isdigit():
        return False
    return scheme.check_digit(value[:-1]) == int(value[-1])
