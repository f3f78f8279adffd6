"""Canonical bytes: one serialisation per value, whatever the node or the dict order."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jukinet.protocol.canonical import canonical_bytes, loads

IVS = "\U000e0100"

texts = st.lists(
    st.characters(codec="utf-8")
    | st.sampled_from(["髙", "﨑", "\U00020bb7", "葛" + IVS, "\u3000"]),
    max_size=12,
).map("".join)
scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**63) | texts
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(texts, children, max_size=4),
    max_leaves=20,
)


def reversed_order(value: Any) -> Any:
    """The same value with every object's keys inserted in the opposite order."""
    if isinstance(value, dict):
        return {key: reversed_order(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [reversed_order(item) for item in value]
    return value


@settings(max_examples=100, deadline=None)
@given(value=json_values)
def test_key_order_does_not_change_the_bytes(value: Any) -> None:
    assert canonical_bytes(reversed_order(value)) == canonical_bytes(value)


@settings(max_examples=100, deadline=None)
@given(value=json_values)
def test_canonical_bytes_load_back_to_the_same_value(value: Any) -> None:
    assert loads(canonical_bytes(value)) == value


@settings(max_examples=100, deadline=None)
@given(value=json_values)
def test_canonical_bytes_are_a_fixed_point(value: Any) -> None:
    once = canonical_bytes(value)
    assert canonical_bytes(loads(once)) == once


printable = st.lists(
    st.characters(
        codec="utf-8",
        exclude_categories=["Cc"],  # JSON must escape control characters
        exclude_characters='"\\',
    )
    | st.sampled_from(["\U00020bb7", "葛" + IVS]),
    max_size=20,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(text=printable)
def test_text_travels_as_raw_utf8(text: str) -> None:
    assert canonical_bytes(text) == b'"' + text.encode("utf-8") + b'"'


def test_names_with_variant_glyphs_are_not_escaped() -> None:
    raw = canonical_bytes({"family_name": "𠮷田", "given_name": "葛" + IVS, "x": "髙﨑"})
    assert b"\\u" not in raw
    assert "𠮷田".encode() in raw
    assert ("葛" + IVS).encode() in raw


def test_no_insignificant_whitespace_and_sorted_keys() -> None:
    assert canonical_bytes({"b": [1, 2], "a": {"d": None, "c": True}}) == (
        b'{"a":{"c":true,"d":null},"b":[1,2]}'
    )


@pytest.mark.parametrize("raw", [b"1.5", b'{"a": 1e3}', b"[0.0]", b'{"a": -2.5E-3}'])
def test_floats_on_the_wire_are_refused(raw: bytes) -> None:
    with pytest.raises(ValueError, match="floats are not allowed"):
        loads(raw)


def test_integers_stay_integers() -> None:
    assert loads(b'{"n": 12345678901234567890}') == {"n": 12345678901234567890}


def test_invalid_utf8_is_refused() -> None:
    with pytest.raises(UnicodeDecodeError):
        loads(b'"\xff"')


@pytest.mark.parametrize("raw", [b"NaN", b'{"a": Infinity}', b"[-Infinity]"])
def test_non_finite_constants_are_refused_like_floats(raw: bytes) -> None:
    with pytest.raises(ValueError, match="not allowed"):
        loads(raw)


def test_floats_cannot_be_signed() -> None:
    with pytest.raises(ValueError, match="not allowed"):
        canonical_bytes({"a": 1.5})


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(_json_values)
def test_the_fast_encoder_writes_the_same_bytes_as_the_standard_library(value: object) -> None:
    from jukinet.protocol.canonical import _standard_bytes

    assert canonical_bytes(value) == _standard_bytes(value)


def test_integers_beyond_64_bits_still_encode() -> None:
    assert canonical_bytes({"n": 2**70}) == b'{"n":1180591620717411303424}'
