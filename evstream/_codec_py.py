"""Pure-Python reference implementation of the event-stream codec.

This is the executable specification: written for clarity, not speed.  The
compiled twin (``_codec_c.pyx``) must give the same results and raise the same
exception classes for every input.

Wire format (all integers big-endian)::

    total length u32 | headers length u32 | prelude CRC u32 (over the first 8 bytes)
    headers: name length u8 | name (UTF-8) | type u8 | value
    payload
    message CRC u32 (over everything before it)

Decoding order, the same in both implementations: the prelude CRC is checked
before either length is trusted; then the lengths (``bad_lengths``); then, once
all bytes are present, the message CRC; then the headers.
"""

from __future__ import annotations

import struct
import uuid
import zlib
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from . import _errors as E
from ._types import (
    HEADERS_LIMIT,
    MESSAGE_LIMIT,
    NAME_LIMIT,
    VALUE_LIMIT,
    HeaderValue,
    Int8,
    Int16,
    Int32,
    Int64,
    Message,
    check_max_message_size,
)

__all__ = ["CRC32_KERNEL", "Decoder", "crc32", "decode", "encode"]

CRC32_KERNEL = "zlib"

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MS = timedelta(milliseconds=1)
_FIXED = ((Int8, 2, ">b"), (Int16, 3, ">h"), (Int32, 4, ">i"), (Int64, 5, ">q"))
_INT_OF_TYPE: dict[int, tuple[type[int], str, int]] = {
    2: (Int8, ">b", 1),
    3: (Int16, ">h", 2),
    4: (Int32, ">i", 4),
    5: (Int64, ">q", 8),
}


def _as_bytes(data: Any, what: str) -> bytes:
    if isinstance(data, str) or not _is_buffer(data):
        raise TypeError(f"{what} must be a bytes-like object, not {type(data).__name__}")
    return bytes(data)


def _is_buffer(obj: Any) -> bool:
    try:
        memoryview(obj)
    except TypeError:
        return False
    return True


def crc32(data: Any, value: int = 0) -> int:
    """CRC-32 of *data* continuing from *value*, equal to ``zlib.crc32``.

    >>> crc32(b"hello") == zlib.crc32(b"hello")
    True
    """
    buf = _as_bytes(data, "data")
    if not isinstance(value, int):
        raise TypeError(f"value must be an int, not {type(value).__name__}")
    return zlib.crc32(buf, value & 0xFFFFFFFF)


# --------------------------------------------------------------------------- encode


def _encode_value(name: str, value: Any) -> bytes:
    """The type byte and value bytes of one header."""
    if isinstance(value, bool):
        return b"\x00" if value else b"\x01"
    for cls, code, fmt in _FIXED:
        if isinstance(value, cls):
            return bytes([code]) + struct.pack(fmt, value)
    if isinstance(value, int):
        if -(2**31) <= value < 2**31:
            return b"\x04" + struct.pack(">i", value)
        if -(2**63) <= value < 2**63:
            return b"\x05" + struct.pack(">q", value)
        raise E.bad_value(name, f"integer {value} does not fit in 64 bits")
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        if len(raw) > VALUE_LIMIT:
            raise E.bad_value(name, f"value is {len(raw)} bytes; the limit is {VALUE_LIMIT}")
        return b"\x06" + struct.pack(">H", len(raw)) + raw
    if isinstance(value, str):
        try:
            raw = value.encode("utf-8")
        except UnicodeEncodeError:
            raise E.bad_value(name, "string value is not encodable as UTF-8") from None
        if len(raw) > VALUE_LIMIT:
            raise E.bad_value(name, f"value is {len(raw)} bytes; the limit is {VALUE_LIMIT}")
        return b"\x07" + struct.pack(">H", len(raw)) + raw
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise E.bad_value(name, "naive datetime; pass an aware one (with tzinfo)")
        ms = (value - _EPOCH) // _MS
        return b"\x08" + struct.pack(">q", ms)
    if isinstance(value, uuid.UUID):
        return b"\x09" + value.bytes
    raise E.bad_value(
        name,
        f"unsupported value type {type(value).__name__}; allowed: bool, int, Int8, Int16, "
        "Int32, Int64, bytes, str, datetime, uuid.UUID",
    )


def _encode_name(name: Any) -> bytes:
    if not isinstance(name, str):
        raise E.bad_value(repr(name), f"header name must be a str, not {type(name).__name__}")
    try:
        raw = name.encode("utf-8")
    except UnicodeEncodeError:
        raise E.bad_value(name, "header name is not encodable as UTF-8") from None
    if not 1 <= len(raw) <= NAME_LIMIT:
        raise E.bad_value(name, f"header name is {len(raw)} bytes; allowed: 1 to {NAME_LIMIT}")
    return bytes([len(raw)]) + raw


def encode(headers: Mapping[str, HeaderValue], payload: Any = b"") -> bytes:
    """Encode one message.

    Header values map to wire types as DESIGN.md lists: ``bool``, ``Int8``,
    ``Int16``, ``Int32`` (or an ``int`` that fits), ``Int64`` (or a larger
    ``int``), ``bytes``, ``str``, an aware ``datetime`` (sent as whole
    milliseconds since the epoch, rounded down) and ``uuid.UUID``.

    >>> wire = encode({":message-type": "event"}, b"hi")
    >>> len(wire), decode(wire) == Message({":message-type": "event"}, b"hi")
    (40, True)
    """
    if not isinstance(headers, Mapping):
        raise TypeError(f"headers must be a mapping, not {type(headers).__name__}")
    body = _as_bytes(payload, "payload")
    block = b"".join(_encode_name(n) + _encode_value(n, v) for n, v in headers.items())
    if len(block) > HEADERS_LIMIT:
        raise E.InvalidHeaderValue(f"headers take {len(block)} bytes; the limit is {HEADERS_LIMIT}")
    total = 16 + len(block) + len(body)
    if total > MESSAGE_LIMIT:
        raise E.MessageTooLarge(
            f"message would be {total} bytes; the limit is {MESSAGE_LIMIT} bytes"
        )
    prelude = struct.pack(">II", total, len(block))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    message = prelude + block + body
    return message + struct.pack(">I", zlib.crc32(message))


# --------------------------------------------------------------------------- decode


def _check_prelude(buf: bytes | bytearray, start: int, at: int, limit: int) -> tuple[int, int]:
    """Validate the 12-byte prelude at *start*; return (total, headers length)."""
    total, hlen, stated = struct.unpack_from(">III", buf, start)
    computed = zlib.crc32(buf[start : start + 8])
    if stated != computed:
        raise E.prelude_mismatch(at, stated, computed)
    if total < 16 or total > limit or hlen > total - 16 or hlen > HEADERS_LIMIT:
        raise E.bad_lengths(at, total, hlen, limit)
    return total, hlen


def _parse_message(buf: bytes | bytearray, start: int, total: int, hlen: int, at: int) -> Message:
    """Check the message CRC and parse the message occupying buf[start:start+total]."""
    end = start + total - 4
    (stated,) = struct.unpack_from(">I", buf, end)
    computed = zlib.crc32(buf[start:end])
    if stated != computed:
        raise E.message_mismatch(at, stated, computed)
    headers = _parse_headers(bytes(buf[start + 12 : start + 12 + hlen]), at)
    return Message(headers, bytes(buf[start + 12 + hlen : end]))


def _parse_headers(block: bytes, at: int) -> dict[str, HeaderValue]:
    headers: dict[str, HeaderValue] = {}
    pos = 0
    while pos < len(block):
        here = 12 + pos  # offset of this header within the message
        name_len = block[pos]
        if name_len == 0:
            raise E.bad_header(at, here, "header name is empty")
        pos += 1
        if pos + name_len + 1 > len(block):
            raise E.bad_header(at, here, "header runs past the end of the header block")
        try:
            name = block[pos : pos + name_len].decode("utf-8")
        except UnicodeDecodeError:
            raise E.bad_header(at, here, "header name is not valid UTF-8") from None
        pos += name_len
        kind = block[pos]
        pos += 1
        value: HeaderValue
        if kind in (0, 1):
            value = kind == 0
        elif kind in _INT_OF_TYPE:
            cls, fmt, size = _INT_OF_TYPE[kind]
            if pos + size > len(block):
                raise E.bad_header(at, here, f"header {name!r} value runs past the header block")
            value = cls(struct.unpack_from(fmt, block, pos)[0])
            pos += size
        elif kind in (6, 7):
            if pos + 2 > len(block):
                raise E.bad_header(at, here, f"header {name!r} value runs past the header block")
            (size,) = struct.unpack_from(">H", block, pos)
            pos += 2
            if size > VALUE_LIMIT:
                raise E.bad_header(
                    at, here, f"header {name!r} value is {size} bytes; the limit is {VALUE_LIMIT}"
                )
            if pos + size > len(block):
                raise E.bad_header(at, here, f"header {name!r} value runs past the header block")
            raw = block[pos : pos + size]
            pos += size
            if kind == 6:
                value = raw
            else:
                try:
                    value = raw.decode("utf-8")
                except UnicodeDecodeError:
                    raise E.bad_header(
                        at, here, f"header {name!r} string value is not valid UTF-8"
                    ) from None
        elif kind == 8:
            if pos + 8 > len(block):
                raise E.bad_header(at, here, f"header {name!r} value runs past the header block")
            (ms,) = struct.unpack_from(">q", block, pos)
            pos += 8
            try:
                value = _EPOCH + ms * _MS
            except OverflowError:
                raise E.bad_header(
                    at, here, f"header {name!r} timestamp {ms} ms is out of datetime's range"
                ) from None
        elif kind == 9:
            if pos + 16 > len(block):
                raise E.bad_header(at, here, f"header {name!r} value runs past the header block")
            value = uuid.UUID(bytes=block[pos : pos + 16])
            pos += 16
        else:
            raise E.bad_header(at, here, f"header {name!r} has unknown value type {kind}")
        if name in headers:
            raise E.bad_header(at, here, f"duplicate header {name!r}")
        headers[name] = value
    return headers


def decode(data: Any) -> Message:
    """Decode exactly one whole message.

    Raises :class:`TruncatedMessage` when *data* is shorter than the message
    and :class:`InvalidMessage` when bytes follow it.

    >>> decode(encode({"a": 1}, b"x")).headers
    {'a': Int32(1)}
    """
    buf = _as_bytes(data, "data")
    if len(buf) < 12:
        raise E.truncated(0, len(buf), 12)
    total, hlen = _check_prelude(buf, 0, 0, MESSAGE_LIMIT)
    if len(buf) < total:
        raise E.truncated(0, len(buf), total)
    if len(buf) > total:
        raise E.trailing(0, len(buf) - total)
    return _parse_message(buf, 0, total, hlen, 0)


class Decoder:
    """Incremental (sans-I/O) decoder: feed bytes in any chunks, get whole messages.

    ``feed(data)`` returns the messages completed so far, in order.  When a
    message is invalid, the error is raised; if messages completed earlier in
    the same ``feed`` call, they are returned first and the error is raised by
    the next ``feed`` or ``close``.  A decoder that raised stays failed and
    drops what it had buffered (``pending`` is then 0).  ``close()`` raises
    :class:`TruncatedMessage` if bytes of an unfinished message remain.

    >>> d = Decoder()
    >>> wire = encode({"n": 1}, b"a") * 2
    >>> len(d.feed(wire[:5])), len(d.feed(wire[5:])), d.pending
    (0, 2, 0)
    """

    def __init__(self, max_message_size: int = MESSAGE_LIMIT) -> None:
        self._limit = check_max_message_size(max_message_size)
        self._buf = bytearray()
        self._start = 0  # read position in _buf
        self._offset = 0  # stream offset of _buf[_start]
        self._prelude: tuple[int, int] | None = None  # validated (total, hlen) at _start
        self._error: E.EventStreamError | None = None
        self._closed = False

    @property
    def max_message_size(self) -> int:
        """The largest message accepted, in bytes."""
        return self._limit

    @property
    def pending(self) -> int:
        """Bytes buffered that do not yet form a whole message."""
        return len(self._buf) - self._start

    def _raise_error(self) -> None:
        assert self._error is not None
        err = self._error
        raise type(err)(str(err), err.offset)

    def feed(self, data: Any) -> list[Message]:
        """Add *data* to the stream; return the messages it completed."""
        if self._closed:
            raise RuntimeError("feed() called on a closed Decoder")
        chunk = _as_bytes(data, "data")
        if self._error is not None:
            self._raise_error()
        self._buf += chunk
        out: list[Message] = []
        try:
            while True:
                avail = len(self._buf) - self._start
                if self._prelude is None:
                    if avail < 12:
                        break
                    self._prelude = _check_prelude(
                        self._buf, self._start, self._offset, self._limit
                    )
                total, hlen = self._prelude
                if avail < total:
                    break
                out.append(_parse_message(self._buf, self._start, total, hlen, self._offset))
                self._start += total
                self._offset += total
                self._prelude = None
        except E.EventStreamError as exc:
            self._error = exc  # the stream is unusable from here: drop what is buffered
            self._buf = bytearray()
            self._start = 0
            if not out:
                raise
        if self._start > len(self._buf) // 2:
            del self._buf[: self._start]
            self._start = 0
        return out

    def close(self) -> None:
        """Declare the end of the stream; raise if it ended inside a message."""
        self._closed = True
        if self._error is not None:
            self._raise_error()
        avail = len(self._buf) - self._start
        if avail:
            need = self._prelude[0] if self._prelude is not None else 12
            self._error = E.truncated(self._offset, avail, need)
            self._raise_error()

    def __repr__(self) -> str:
        return f"<Decoder pending={self.pending} max_message_size={self._limit}>"
