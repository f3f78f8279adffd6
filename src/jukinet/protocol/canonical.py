"""Canonical bytes: the exact bytes a signature covers.

JSON with keys sorted, no insignificant whitespace and UTF-8 text left unescaped, so that a
name such as 髙橋 or 𠮷田 (with or without an ideographic variation selector) signs as the
same bytes on every node. Floats are refused: the protocol carries integers, strings, booleans
and null only, which serialise one way everywhere.
"""

from __future__ import annotations

import json


def _refuse_float(value: str) -> float:
    raise ValueError(f"floats are not allowed on the wire: {value}")


def _refuse_floats(value: object) -> None:
    if isinstance(value, float):
        _refuse_float(repr(value))
    elif isinstance(value, dict):
        for item in value.values():
            _refuse_floats(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _refuse_floats(item)


def canonical_bytes(value: object, *, check_floats: bool = True) -> bytes:
    """The canonical encoding of ``value``; ``check_floats=False`` skips the walk that refuses
    floats, for values known to be free of them (bodies read by :func:`loads`, or checked
    when they were first encoded)."""
    if check_floats:
        _refuse_floats(value)
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def loads(data: bytes) -> object:
    return json.loads(data.decode("utf-8"), parse_float=_refuse_float, parse_constant=_refuse_float)
