"""Canonical bytes: the exact bytes a signature covers.

JSON with keys sorted, no insignificant whitespace and UTF-8 text left unescaped, so that a
name such as 髙橋 or 𠮷田 (with or without an ideographic variation selector) signs as the
same bytes on every node. Floats are refused: the protocol carries integers, strings, booleans
and null only, which serialise one way everywhere.
"""

from __future__ import annotations

import json
from typing import Any

import orjson


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
    try:
        # orjson writes exactly these bytes (sorted keys, no spaces, raw UTF-8), ten times
        # faster than the standard library; tests/unit/protocol/test_canonical.py holds the
        # two to the same output.
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:  # e.g. an integer beyond 64 bits: the slow, general path
        return _standard_bytes(value)


def _standard_bytes(value: object) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def loads(data: bytes) -> object:
    """Read JSON from the network, refusing floats, NaN and infinities (``ValueError``).

    The standard library's decoder calls the refusing hook only when it meets a float, which
    is cheaper than decoding with orjson and walking the result.
    """
    return json.loads(data.decode("utf-8"), parse_float=_refuse_float, parse_constant=_refuse_float)


def loads_trusted(data: bytes | str) -> Any:
    """Read JSON this node wrote itself (its outbox): no float walk needed."""
    return orjson.loads(data)
