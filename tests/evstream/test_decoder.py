"""Decoder: arbitrary chunking, limits, errors, and the no-early-allocation rule (both twins)."""

from __future__ import annotations

import struct
import tracemalloc
import zlib
from itertools import pairwise
from types import ModuleType

import pytest
from evstream_strategies import messages
from hypothesis import given
from hypothesis import strategies as st

from evstream import (
    InvalidMessage,
    MessageChecksumMismatch,
    MessageTooLarge,
    PreludeChecksumMismatch,
    TruncatedMessage,
)


def split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    bounds = [0, *points, len(data)]
    return [data[a:b] for a, b in pairwise(bounds)]


@given(st.lists(messages, max_size=6), st.lists(st.integers(0, 10**6), max_size=20))
def test_any_chunking_yields_the_same_messages(
    impl: ModuleType, msgs: list, cuts: list[int]
) -> None:
    wires = [impl.encode(h, p) for h, p in msgs]
    stream = b"".join(wires)
    expected = [impl.decode(w) for w in wires]
    d = impl.Decoder()
    got = []
    for chunk in split(stream, cuts):
        got.extend(d.feed(chunk))
    d.close()
    assert got == expected
    assert d.pending == 0


def test_one_byte_at_a_time(impl: ModuleType) -> None:
    wires = [impl.encode({"n": i, ":event-type": "AudioEvent"}, bytes(i)) for i in range(20)]
    stream = b"".join(wires)
    d = impl.Decoder()
    got = []
    for i in range(len(stream)):
        got.extend(d.feed(stream[i : i + 1]))
        assert d.pending == (i + 1) - sum(len(w) for w in wires[: len(got)])
    assert [m.headers["n"] for m in got] == list(range(20))


def test_feed_accepts_bytes_like_and_empty(impl: ModuleType) -> None:
    wire = impl.encode({"a": "b"}, b"xyz")
    d = impl.Decoder()
    assert d.feed(b"") == []
    assert len(d.feed(bytearray(wire))) == 1
    assert len(d.feed(memoryview(wire + wire)[: len(wire)])) == 1
    assert len(d.feed(memoryview(bytes(x for b in wire for x in (b, 0)))[::2])) == 1
    with pytest.raises(TypeError, match="data must be a bytes-like object, not str"):
        d.feed("text")


def test_oversized_message_fails_as_soon_as_the_prelude_arrives(impl: ModuleType) -> None:
    d = impl.Decoder(max_message_size=1000)
    prelude8 = struct.pack(">II", 1001, 0)
    prelude = prelude8 + struct.pack(">I", zlib.crc32(prelude8))
    assert d.feed(prelude[:11]) == []
    with pytest.raises(MessageTooLarge, match="total length 1001 exceeds the limit of 1000"):
        d.feed(prelude[11:])


def test_claimed_length_is_not_allocated_before_the_bytes_arrive(impl: ModuleType) -> None:
    d = impl.Decoder()
    prelude8 = struct.pack(">II", 16 * 2**20, 0)
    prelude = prelude8 + struct.pack(">I", zlib.crc32(prelude8))
    tracemalloc.start()
    try:
        d.feed(prelude)
        d.feed(bytes(100))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert d.pending == 112
    assert peak < 1 << 20, f"{peak} bytes allocated for a 16 MiB claim with 112 bytes fed"


def test_prelude_crc_is_checked_before_the_length_is_trusted(impl: ModuleType) -> None:
    d = impl.Decoder()
    with pytest.raises(PreludeChecksumMismatch):
        d.feed(struct.pack(">III", 0xFFFFFFFF, 0, 0))


def test_good_messages_before_a_bad_one_are_delivered_first(impl: ModuleType) -> None:
    good = impl.encode({"a": "b"}, b"1")
    bad = bytearray(impl.encode({"a": "b"}, b"2"))
    bad[-1] ^= 0xFF
    d = impl.Decoder()
    out = d.feed(good + good + bytes(bad))
    assert [m.payload for m in out] == [b"1", b"1"]
    with pytest.raises(MessageChecksumMismatch) as info:
        d.feed(b"")
    assert info.value.offset == 2 * len(good)
    # a failed decoder stays failed
    with pytest.raises(MessageChecksumMismatch):
        d.feed(good)
    with pytest.raises(MessageChecksumMismatch):
        d.close()


def test_error_offsets_are_stream_offsets(impl: ModuleType) -> None:
    good = impl.encode({}, b"")
    d = impl.Decoder()
    d.feed(good * 3)
    with pytest.raises(PreludeChecksumMismatch, match="message at offset 48") as info:
        d.feed(b"\x00" * 12)
    assert info.value.offset == 48


def test_close(impl: ModuleType) -> None:
    wire = impl.encode({"a": "b"}, b"xyz")
    d = impl.Decoder()
    d.feed(wire)
    d.close()  # nothing pending: fine
    with pytest.raises(RuntimeError, match="closed"):
        d.feed(wire)

    d = impl.Decoder()
    d.feed(wire[:7])
    with pytest.raises(TruncatedMessage, match="input ended after 7 of 12 bytes"):
        d.close()
    d = impl.Decoder()
    d.feed(wire[:-1])
    with pytest.raises(TruncatedMessage, match=f"after {len(wire) - 1} of {len(wire)} bytes"):
        d.close()


def test_constructor_checks_its_argument(impl: ModuleType) -> None:
    assert impl.Decoder().max_message_size == 16 * 2**20
    with pytest.raises(ValueError, match="between 16 and 4294967295, got 15"):
        impl.Decoder(max_message_size=15)
    with pytest.raises(ValueError, match="got 4294967296"):
        impl.Decoder(max_message_size=2**32)
    with pytest.raises(TypeError, match="must be an int, not str"):
        impl.Decoder(max_message_size="big")
    with pytest.raises(TypeError):
        impl.Decoder(max_message_size=True)


def test_many_messages_in_one_buffer_is_linear(impl: ModuleType) -> None:
    """10 000 messages in one feed and the same in 7-byte chunks all arrive."""
    wire = impl.encode({":message-type": "event", ":event-type": "AudioEvent"}, bytes(64))
    stream = wire * 10_000
    assert len(impl.Decoder().feed(stream)) == 10_000
    d = impl.Decoder()
    n = sum(len(d.feed(stream[i : i + 7])) for i in range(0, len(stream) // 10, 7))
    assert n == 1_000


def test_large_message_across_chunks(impl: ModuleType) -> None:
    payload = bytes(range(256)) * 40_000  # ~10 MB
    wire = impl.encode({"big": True}, payload)
    d = impl.Decoder()
    out = []
    for i in range(0, len(wire), 65_536):
        out += d.feed(wire[i : i + 65_536])
    assert len(out) == 1 and out[0].payload == payload


def test_invalid_message_after_checksums_pass(impl: ModuleType) -> None:
    from evstream_support import frame

    d = impl.Decoder()
    with pytest.raises(InvalidMessage, match="unknown value type 96"):
        d.feed(frame(b"\x01a\x60"))
