"""Differential: what we encode, botocore's event-stream decoder reads the same way."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from types import ModuleType
from typing import Any

from botocore.eventstream import EventStreamBuffer
from evstream_strategies import messages
from hypothesis import given
from hypothesis import strategies as st

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def as_botocore(value: Any) -> Any:
    """How botocore represents a decoded header value."""
    if isinstance(value, datetime):
        return (value - EPOCH) // (datetime(1970, 1, 1, 0, 0, 0, 1000, tzinfo=timezone.utc) - EPOCH)
    if isinstance(value, uuid.UUID):
        return value.bytes
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    return value


@given(st.lists(messages, min_size=1, max_size=4))
def test_botocore_decodes_what_we_encode(impl: ModuleType, msgs: list) -> None:
    buf = EventStreamBuffer()
    buf.add_data(b"".join(impl.encode(h, p) for h, p in msgs))
    got = list(buf)
    assert len(got) == len(msgs)
    for message, (headers, payload) in zip(got, msgs, strict=True):
        assert message.payload == payload
        assert list(message.headers.items()) == [(n, as_botocore(v)) for n, v in headers.items()]


@given(messages)
def test_we_decode_what_botocore_validates(impl: ModuleType, msg: tuple) -> None:
    """botocore checks our CRCs and lengths; we then decode its view of the bytes back."""
    wire = impl.encode(*msg)
    buf = EventStreamBuffer()
    buf.add_data(wire)
    (message,) = list(buf)
    ours = impl.decode(wire)
    assert [(n, as_botocore(v)) for n, v in ours.headers.items()] == list(message.headers.items())
    assert ours.payload == message.payload
