"""The compiled and the reference codec agree on every input (hypothesis)."""

from __future__ import annotations

import struct
import zlib
from itertools import pairwise
from typing import Any

import pytest
from evstream_strategies import header_values, headers, messages
from hypothesis import given
from hypothesis import strategies as st
from twins import assert_twins_agree, load, outcome

C = P = None  # set per module below


@pytest.fixture(scope="module", autouse=True)
def _twins() -> None:
    global C, P
    C, P = load("evstream", "cython"), load("evstream", "python")


def typed_message(m: Any) -> Any:
    return [(n, type(v).__name__, v) for n, v in m.headers.items()], m.payload


def run_decoder(impl: Any, chunks: list[bytes]) -> list[Any]:
    """Every feed's result (typed) or exception class, then close's."""
    d = impl.Decoder()
    log = []
    for chunk in chunks:
        o = outcome(d.feed, chunk)
        log.append(o.exc_type or [typed_message(m) for m in o.value])
    o = outcome(d.close)
    log.append(o.exc_type or "closed")
    log.append(d.pending)
    return log


@st.composite
def mutated(draw: Any) -> bytes:
    """A valid message (or two), then damaged in a way a peer could."""
    wire = P.encode(*draw(messages))
    if draw(st.booleans()):
        wire += P.encode(*draw(messages))
    kind = draw(st.sampled_from(["flip", "truncate", "lengths", "header-byte", "extend", "none"]))
    b = bytearray(wire)
    if kind == "flip":
        i = draw(st.integers(0, len(b) * 8 - 1))
        b[i // 8] ^= 1 << (i % 8)
    elif kind == "truncate":
        del b[draw(st.integers(0, len(b) - 1)) :]
    elif kind == "lengths":
        total = draw(st.one_of(st.integers(0, 2**32 - 1), st.integers(0, len(b) + 8)))
        hlen = draw(st.one_of(st.integers(0, 2**32 - 1), st.integers(0, len(b))))
        b[0:8] = struct.pack(">II", total, hlen)
        b[8:12] = struct.pack(">I", zlib.crc32(bytes(b[0:8])))
    elif kind == "header-byte":
        # damage inside the header block, then fix both CRCs so header parsing is reached
        total, hlen = struct.unpack(">II", b[:8])
        if hlen:
            i = 12 + draw(st.integers(0, hlen - 1))
            b[i] = draw(st.integers(0, 255))
            b[total - 4 : total] = struct.pack(">I", zlib.crc32(bytes(b[: total - 4])))
    elif kind == "extend":
        b += draw(st.binary(min_size=1, max_size=20))
    return bytes(b)


@given(st.binary(max_size=300))
def test_decode_agrees_on_arbitrary_bytes(data: bytes) -> None:
    assert_twins_agree(C.decode, P.decode, data, normalize=typed_message)


@given(mutated())
def test_decode_agrees_on_mutated_messages(data: bytes) -> None:
    assert_twins_agree(C.decode, P.decode, data, normalize=typed_message)


@given(mutated(), st.lists(st.integers(0, 400), max_size=6), st.integers(16, 600))
def test_decoder_agrees_on_mutated_streams(data: bytes, cuts: list[int], limit: int) -> None:
    points = sorted({c % (len(data) + 1) for c in cuts})
    bounds = [0, *points, len(data)]
    chunks = [data[a:b] for a, b in pairwise(bounds)]
    assert run_decoder(C, chunks) == run_decoder(P, chunks)
    dc, dp = C.Decoder(max_message_size=limit), P.Decoder(max_message_size=limit)
    assert_twins_agree(dc.feed, dp.feed, data, normalize=lambda ms: [typed_message(m) for m in ms])


@given(headers, st.binary(max_size=64))
def test_encode_agrees_on_valid_input(h: dict, payload: bytes) -> None:
    assert_twins_agree(C.encode, P.encode, h, payload)


weird_values = st.one_of(
    header_values,
    st.none(),
    st.floats(),
    st.integers(),
    st.text(max_size=5),  # surrogates allowed: not encodable
    st.binary(min_size=32760, max_size=32770),
    st.lists(st.integers(), max_size=2),
    st.datetimes(),  # naive
)
weird_names = st.one_of(st.text(max_size=300), st.integers(), st.binary(max_size=3))


@given(
    st.dictionaries(weird_names, weird_values, max_size=4),
    st.one_of(st.binary(max_size=8), st.text(max_size=3), st.none()),
)
def test_encode_agrees_on_arbitrary_input(h: dict, payload: Any) -> None:
    assert_twins_agree(C.encode, P.encode, h, payload)


@given(
    st.one_of(st.binary(max_size=5000), st.text(max_size=3), st.none()),
    st.one_of(st.integers(), st.none(), st.floats()),
)
def test_crc32_agrees(data: Any, value: Any) -> None:
    assert_twins_agree(C.crc32, P.crc32, data, value)


@given(st.one_of(st.integers(-(2**40), 2**40), st.text(max_size=3), st.booleans(), st.none()))
def test_decoder_constructor_agrees(limit: Any) -> None:
    assert_twins_agree(lambda: repr(C.Decoder(limit)), lambda: repr(P.Decoder(limit)))
