"""encode / decode: round trips, the header type mapping, limits and errors (both twins)."""

from __future__ import annotations

import struct
import uuid
import zlib
from datetime import datetime, timedelta, timezone
from types import ModuleType

import pytest
from evstream_strategies import header_values, messages, names, typed
from evstream_support import frame, with_crcs
from hypothesis import given, settings
from hypothesis import strategies as st

import evstream
from evstream import (
    ChecksumMismatch,
    Int8,
    Int16,
    Int32,
    Int64,
    InvalidHeaderValue,
    InvalidMessage,
    Message,
    MessageChecksumMismatch,
    MessageTooLarge,
    PreludeChecksumMismatch,
    TruncatedMessage,
)

UTC = timezone.utc


@given(messages)
def test_round_trip_encode_then_decode(impl: ModuleType, msg: tuple[dict, bytes]) -> None:
    headers, payload = msg
    decoded = impl.decode(impl.encode(headers, payload))
    assert decoded == Message(headers, payload)
    assert typed(decoded.headers) == typed(headers)  # types and wire order too
    assert decoded.payload == payload


@given(messages)
def test_round_trip_decode_then_encode_is_byte_exact(
    impl: ModuleType, msg: tuple[dict, bytes]
) -> None:
    wire = impl.encode(*msg)
    m = impl.decode(wire)
    assert impl.encode(m.headers, m.payload) == wire


@pytest.mark.parametrize(
    ("value", "code", "decoded_type"),
    [
        (True, 0, bool),
        (False, 1, bool),
        (Int8(-3), 2, Int8),
        (Int16(1000), 3, Int16),
        (Int32(-70000), 4, Int32),
        (7, 4, Int32),
        (2**31 - 1, 4, Int32),
        (-(2**31), 4, Int32),
        (2**31, 5, Int64),
        (Int64(5), 5, Int64),
        (b"\x00\xff", 6, bytes),
        (bytearray(b"ab"), 6, bytes),
        ("héllo", 7, str),
        (datetime(2026, 11, 25, 12, 0, 0, 123000, tzinfo=UTC), 8, datetime),
        (uuid.UUID(int=0x0102030405060708090A0B0C0D0E0F10), 9, uuid.UUID),
    ],
)
def test_wire_type_of_each_value(
    impl: ModuleType, value: object, code: int, decoded_type: type
) -> None:
    wire = impl.encode({"h": value})
    # prelude (12) + name length (1) + name (1) → type byte
    assert wire[14] == code
    got = impl.decode(wire).headers["h"]
    assert type(got) is decoded_type
    assert got == value


def test_header_layout_is_exact(impl: ModuleType) -> None:
    wire = impl.encode(
        {"s": "ab", "i": Int16(-2), "t": datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC)}, b"P"
    )
    block = b"\x01s\x07\x00\x02ab" + b"\x01i\x03\xff\xfe" + b"\x01t\x08" + struct.pack(">q", 1000)
    assert wire == frame(block, b"P")


def test_timestamp_is_whole_milliseconds_utc(impl: ModuleType) -> None:
    tz = timezone(timedelta(hours=2))
    t = datetime(2026, 1, 2, 3, 4, 5, 678999, tzinfo=tz)
    got = impl.decode(impl.encode({"t": t})).headers["t"]
    assert got == t.replace(microsecond=678000)
    assert got.tzinfo == UTC
    before_epoch = datetime(1969, 12, 31, 23, 59, 59, 999500, tzinfo=UTC)
    wire = impl.encode({"t": before_epoch})
    assert wire[15:23] == struct.pack(">q", -1)  # rounded down, not toward zero


def test_empty_message(impl: ModuleType) -> None:
    wire = impl.encode({})
    assert len(wire) == 16
    assert impl.decode(wire) == Message({}, b"")


def test_payload_accepts_any_bytes_like(impl: ModuleType) -> None:
    expected = impl.encode({"a": "b"}, b"xyz")
    assert impl.encode({"a": "b"}, bytearray(b"xyz")) == expected
    assert impl.encode({"a": "b"}, memoryview(b"_x_y_z")[1::2]) == expected


# --------------------------------------------------------------------------- encode errors


@pytest.mark.parametrize(
    ("headers", "fragment"),
    [
        ({"n" * 256: "v"}, "header name is 256 bytes; allowed: 1 to 255"),
        ({"": "v"}, "header name is 0 bytes"),
        ({"big": "v" * 32768}, "value is 32768 bytes; the limit is 32767"),
        ({"big": b"v" * 32768}, "value is 32768 bytes; the limit is 32767"),
        ({"bad": "\ud800"}, "not encodable as UTF-8"),
        ({"\udfff": "v"}, "header name is not encodable as UTF-8"),
        ({"f": 1.5}, "unsupported value type float"),
        ({"n": None}, "unsupported value type NoneType"),
        ({"huge": 2**63}, "does not fit in 64 bits"),
        ({"naive": datetime(2026, 1, 1)}, "naive datetime"),
        ({3: "v"}, "header name must be a str, not int"),
    ],
)
def test_encode_refuses_with_a_named_error(impl: ModuleType, headers: dict, fragment: str) -> None:
    with pytest.raises(InvalidHeaderValue) as info:
        impl.encode(headers)
    assert fragment in str(info.value)
    name = next(iter(headers))
    assert repr(name)[:20] in str(info.value)


def test_encode_value_at_the_limits_is_accepted(impl: ModuleType) -> None:
    m = impl.decode(impl.encode({"n" * 255: "v" * 32767}))
    assert m.headers == {"n" * 255: "v" * 32767}


def test_encode_refuses_headers_over_128_kib(impl: ModuleType) -> None:
    headers = {f"h{i}": "x" * 30000 for i in range(5)}
    with pytest.raises(InvalidHeaderValue, match="limit is 131072"):
        impl.encode(headers)


def test_encode_refuses_message_over_16_mib(impl: ModuleType) -> None:
    with pytest.raises(MessageTooLarge, match="limit is 16777216"):
        impl.encode({}, bytes(16 * 2**20 - 15))
    assert len(impl.encode({}, bytes(16 * 2**20 - 16))) == 16 * 2**20


def test_encode_misuse_is_a_type_error(impl: ModuleType) -> None:
    with pytest.raises(TypeError, match="headers must be a mapping"):
        impl.encode([("a", "b")])
    with pytest.raises(TypeError, match="payload must be a bytes-like object, not str"):
        impl.encode({}, "text")


def test_fixed_width_ints_check_their_range() -> None:
    with pytest.raises(ValueError, match=r"Int8 value 128 is out of range -128\.\.127"):
        Int8(128)
    with pytest.raises(ValueError, match="Int16"):
        Int16(-(2**15) - 1)
    with pytest.raises(ValueError, match="Int32"):
        Int32(2**31)
    with pytest.raises(ValueError, match="Int64"):
        Int64(2**63)
    assert repr(Int64(-1)) == "Int64(-1)"


# --------------------------------------------------------------------------- decode errors


def test_decode_checks_prelude_crc_before_lengths(impl: ModuleType) -> None:
    # A prelude claiming 4 GiB with a wrong CRC must be a checksum error, not a size error.
    data = struct.pack(">III", 0xFFFFFFFF, 0, 0xDEADBEEF) + bytes(4)
    with pytest.raises(PreludeChecksumMismatch) as info:
        impl.decode(data)
    computed = zlib.crc32(data[:8])
    assert str(info.value) == (
        f"message at offset 0: prelude checksum 0xdeadbeef does not match computed 0x{computed:08x}"
    )


def test_decode_message_crc(impl: ModuleType) -> None:
    wire = bytearray(impl.encode({"a": "b"}, b"payload"))
    wire[-5] ^= 1
    with pytest.raises(MessageChecksumMismatch, match="message checksum 0x"):
        impl.decode(bytes(wire))


@pytest.mark.parametrize(
    ("total", "hlen", "error", "fragment"),
    [
        (15, 0, InvalidMessage, "total length 15 is less than the minimum 16"),
        (16 * 2**20 + 1, 0, MessageTooLarge, "exceeds the limit of 16777216"),
        (100, 85, InvalidMessage, "headers length 85 does not fit in total length 100"),
        (200000, 140000, InvalidMessage, "headers length 140000 exceeds the limit of 131072"),
    ],
)
def test_decode_bad_lengths(
    impl: ModuleType, total: int, hlen: int, error: type, fragment: str
) -> None:
    prelude8 = struct.pack(">II", total, hlen)
    data = prelude8 + struct.pack(">I", zlib.crc32(prelude8)) + bytes(4)
    with pytest.raises(error, match=fragment):
        impl.decode(data)


def test_decode_truncated_and_trailing(impl: ModuleType) -> None:
    wire = impl.encode({"a": "b"}, b"xyz")
    with pytest.raises(TruncatedMessage, match="input ended after 5 of 12 bytes"):
        impl.decode(wire[:5])
    with pytest.raises(TruncatedMessage, match=f"input ended after 20 of {len(wire)} bytes"):
        impl.decode(wire[:20])
    with pytest.raises(InvalidMessage, match="3 bytes after the end of the message"):
        impl.decode(wire + b"abc")
    with pytest.raises(TypeError, match="data must be a bytes-like object, not str"):
        impl.decode("text")


@pytest.mark.parametrize(
    ("block", "fragment"),
    [
        (b"\x00", "header at byte 12: header name is empty"),
        (b"\x05ab", "header runs past the end of the header block"),
        (b"\x02\xff\xfe\x07\x00\x00", "header name is not valid UTF-8"),
        (b"\x01a\x0a", "header 'a' has unknown value type 10"),
        (b"\x01a\x07\x00", "header 'a' value runs past the header block"),
        (b"\x01a\x07\x00\x05abc", "header 'a' value runs past the header block"),
        (b"\x01a\x07\x80\x00", "header 'a' value is 32768 bytes; the limit is 32767"),
        (b"\x01a\x07\x00\x02\xc3\x28", "header 'a' string value is not valid UTF-8"),
        (b"\x01a\x04\x00\x00", "header 'a' value runs past the header block"),
        (b"\x01a\x09" + bytes(15), "header 'a' value runs past the header block"),
        (b"\x01a\x00\x01a\x01", "header at byte 15: duplicate header 'a'"),
        (b"\x01a\x08" + struct.pack(">q", 2**62), "timestamp 4611686018427387904 ms is out of"),
    ],
)
def test_decode_malformed_headers(impl: ModuleType, block: bytes, fragment: str) -> None:
    with pytest.raises(InvalidMessage) as info:
        impl.decode(frame(block, b"p"))
    assert fragment in str(info.value)
    assert info.value.offset == 0


def test_every_single_bit_flip_is_rejected(impl: ModuleType) -> None:
    wire = impl.encode(
        {":message-type": "event", ":event-type": "AudioEvent", "n": Int8(1)}, b"\x01\x02\x03"
    )
    for i in range(len(wire) * 8):
        bad = bytearray(wire)
        bad[i // 8] ^= 1 << (i % 8)
        with pytest.raises(ChecksumMismatch):
            impl.decode(bytes(bad))


def test_rewritten_lengths_with_recomputed_prelude_crc(impl: ModuleType) -> None:
    wire = impl.encode({"a": "b"}, b"xyz")
    # Total length one byte short, prelude CRC fixed: the message CRC is read from the
    # wrong place and does not match.
    shorter = struct.pack(">II", len(wire) - 1, 6)
    shorter += struct.pack(">I", zlib.crc32(shorter)) + wire[12:-1]
    with pytest.raises(MessageChecksumMismatch):
        impl.decode(shorter)
    # Headers length one byte longer with both CRCs fixed: the header block now ends
    # inside a value.
    longer = with_crcs(struct.pack(">II", len(wire), 7), wire[12:-4])
    with pytest.raises(InvalidMessage, match="runs past"):
        impl.decode(longer)


def test_message_is_frozen_and_compares_by_value() -> None:
    m = Message({"a": "b"}, b"x")
    with pytest.raises(AttributeError):
        m.payload = b"y"  # type: ignore[misc]
    assert m == Message({"a": "b"}, bytearray(b"x"))
    assert m != Message({"a": "c"}, b"x")
    assert m != ({"a": "b"}, b"x")
    assert "payload=b'x' (1 bytes)" in repr(m)
    with pytest.raises(TypeError):
        hash(m)


def test_decoded_headers_are_independent_copies(impl: ModuleType) -> None:
    wire = impl.encode({":event-type": "AudioEvent"}, b"1")
    first = impl.decode(wire)
    first.headers[":event-type"] = "changed"
    assert impl.decode(wire).headers == {":event-type": "AudioEvent"}
    d = impl.Decoder()
    a, b = d.feed(wire + wire)
    a.headers.clear()
    assert b.headers == {":event-type": "AudioEvent"}


def test_public_names_match_the_design() -> None:
    for name in (
        "encode",
        "decode",
        "Decoder",
        "Message",
        "Int8",
        "Int16",
        "Int32",
        "Int64",
        "crc32",
        "IMPLEMENTATION",
        "EventStreamError",
        "PreludeChecksumMismatch",
        "MessageChecksumMismatch",
        "ChecksumMismatch",
        "InvalidMessage",
        "TruncatedMessage",
        "MessageTooLarge",
        "InvalidHeaderValue",
    ):
        assert name in evstream.__all__
    assert issubclass(evstream.EventStreamError, ValueError)
    assert evstream.IMPLEMENTATION in ("cython", "python")


@settings(max_examples=25)
@given(st.dictionaries(names, header_values, max_size=3), st.binary(max_size=24))
def test_every_single_bit_flip_of_any_message_is_rejected(
    impl: ModuleType, headers: dict, payload: bytes
) -> None:
    wire = impl.encode(headers, payload)
    for i in range(len(wire) * 8):
        bad = bytearray(wire)
        bad[i // 8] ^= 1 << (i % 8)
        with pytest.raises(ChecksumMismatch):
            impl.decode(bytes(bad))
