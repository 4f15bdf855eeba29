"""Hypothesis strategies for event-stream headers, messages and their expected decoding."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

from evstream import Int8, Int16, Int32, Int64

__all__ = ["expected_value", "header_values", "headers", "messages", "typed"]

_TZS = [timezone.utc, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))]

names = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=24).filter(
    lambda s: len(s.encode()) <= 255
)

header_values = st.one_of(
    st.booleans(),
    st.integers(-(2**7), 2**7 - 1).map(Int8),
    st.integers(-(2**15), 2**15 - 1).map(Int16),
    st.integers(-(2**31), 2**31 - 1).map(Int32),
    st.integers(-(2**63), 2**63 - 1).map(Int64),
    st.integers(-(2**63), 2**63 - 1),  # plain ints: Int32 when they fit, else Int64
    st.binary(max_size=64),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    st.datetimes(
        min_value=datetime(2, 1, 1),
        max_value=datetime(9998, 12, 31),
        timezones=st.sampled_from(_TZS),
    ).map(lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000)),
    st.uuids().map(lambda u: uuid.UUID(int=u.int)),
)

headers = st.dictionaries(names, header_values, max_size=8)
messages = st.tuples(headers, st.binary(max_size=512))


def expected_value(value: Any) -> tuple[str, Any]:
    """The (type name, value) that decoding the encoding of *value* must give."""
    if isinstance(value, bool):
        return ("bool", value)
    if type(value) is int:
        return ("Int32" if -(2**31) <= value < 2**31 else "Int64", value)
    if isinstance(value, datetime):
        return ("datetime", value.astimezone(timezone.utc))
    return (type(value).__name__, value)


def typed(headers: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """Headers as (name, type name, value) in order: equality that sees types and order."""
    return [(n, *expected_value(v)) for n, v in headers.items()]
