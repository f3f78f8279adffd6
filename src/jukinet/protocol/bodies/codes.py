"""住民票コード pools and 個人番号 generation, between a municipality and the national node."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar

from jukinet.domain.codes import LocalGovernmentCode, MyNumber, ResidentCode
from jukinet.protocol.errors import MalformedEnvelope
from jukinet.protocol.fields import checked_code, require, via_domain


@dataclass(frozen=True, slots=True)
class CodePoolRequest:
    TYPE: ClassVar[str] = "codes.pool-request"
    VERSION: ClassVar[int] = 1
    MAX_COUNT: ClassVar[int] = 10_000

    municipality_code: str
    count: int

    def to_body(self) -> dict[str, Any]:
        return {"municipality_code": self.municipality_code, "count": self.count}

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> CodePoolRequest:
        count = require(body, "count", int)
        if not 1 <= count <= cls.MAX_COUNT:
            raise MalformedEnvelope(f"body.count: must be between 1 and {cls.MAX_COUNT}")
        return cls(checked_code(LocalGovernmentCode, body, "municipality_code"), count)


@dataclass(frozen=True, slots=True)
class CodePoolGrant:
    TYPE: ClassVar[str] = "codes.pool-grant"
    VERSION: ClassVar[int] = 1

    municipality_code: str
    codes: tuple[str, ...]

    def to_body(self) -> dict[str, Any]:
        return {"municipality_code": self.municipality_code, "codes": list(self.codes)}

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> CodePoolGrant:
        codes = require(body, "codes", list)
        return cls(
            municipality_code=checked_code(LocalGovernmentCode, body, "municipality_code"),
            codes=tuple(
                checked_code(ResidentCode, {f"codes[{i}]": c}, f"codes[{i}]")
                for i, c in enumerate(codes)
            ),
        )


class MyNumberReason(StrEnum):
    INITIAL = "initial"  # a new 住民票コード was recorded
    LEAK = "leak"  # 番号法7条2項: leaked and at risk of misuse


@dataclass(frozen=True, slots=True)
class MyNumberRequest:
    TYPE: ClassVar[str] = "my-number.request"
    VERSION: ClassVar[int] = 1

    resident_code: str
    reason: MyNumberReason
    replaces: str | None = None  # the leaked number, when ``reason`` is LEAK

    def to_body(self) -> dict[str, Any]:
        return {
            "resident_code": self.resident_code,
            "reason": self.reason.value,
            "replaces": self.replaces,
        }

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> MyNumberRequest:
        reason = via_domain("reason", lambda: MyNumberReason(require(body, "reason", str)))
        replaces = body.get("replaces")
        if (reason is MyNumberReason.LEAK) != (replaces is not None):
            raise MalformedEnvelope(
                "body.replaces: give the leaked number exactly when reason is leak"
            )
        return cls(
            resident_code=checked_code(ResidentCode, body, "resident_code"),
            reason=reason,
            replaces=None if replaces is None else checked_code(MyNumber, body, "replaces"),
        )


@dataclass(frozen=True, slots=True)
class MyNumberIssued:
    TYPE: ClassVar[str] = "my-number.issued"
    VERSION: ClassVar[int] = 1

    resident_code: str
    my_number: str

    def to_body(self) -> dict[str, Any]:
        return {"resident_code": self.resident_code, "my_number": self.my_number}

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> MyNumberIssued:
        return cls(
            checked_code(ResidentCode, body, "resident_code"),
            checked_code(MyNumber, body, "my_number"),
        )
