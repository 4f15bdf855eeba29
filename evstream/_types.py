"""Value types shared by both codec implementations: fixed-width ints and Message."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from operator import itemgetter
from typing import Any, ClassVar

__all__ = [
    "HEADERS_LIMIT",
    "MESSAGE_LIMIT",
    "NAME_LIMIT",
    "VALUE_LIMIT",
    "HeaderValue",
    "Int8",
    "Int16",
    "Int32",
    "Int64",
    "Message",
    "check_max_message_size",
]

MESSAGE_LIMIT = 16 * 2**20  # bytes in a whole message
HEADERS_LIMIT = 128 * 2**10  # bytes in the header block
NAME_LIMIT = 255  # bytes in a header name (UTF-8)
VALUE_LIMIT = 32767  # bytes in a string or byte-array header value


def check_max_message_size(value: Any) -> int:
    """Validate a ``Decoder(max_message_size=...)`` argument (shared by both twins)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"max_message_size must be an int, not {type(value).__name__}")
    if not 16 <= value <= 0xFFFFFFFF:
        raise ValueError(f"max_message_size must be between 16 and {0xFFFFFFFF}, got {value}")
    return value


class _FixedInt(int):
    """An ``int`` that pins a header's wire width; construction checks the range."""

    bits: ClassVar[int] = 64

    def __new__(cls, value: Any = 0) -> _FixedInt:
        v = int.__new__(cls, value)
        lo, hi = -(1 << (cls.bits - 1)), (1 << (cls.bits - 1)) - 1
        if not lo <= v <= hi:
            raise ValueError(f"{cls.__name__} value {int(v)} is out of range {lo}..{hi}")
        return v

    def __repr__(self) -> str:
        return f"{type(self).__name__}({int(self)})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (int(self),))


class Int8(_FixedInt):
    """A header value sent as a signed 8-bit integer (wire type 2).

    >>> Int8(-5)
    Int8(-5)
    """

    bits = 8


class Int16(_FixedInt):
    """A header value sent as a signed 16-bit integer (wire type 3)."""

    bits = 16


class Int32(_FixedInt):
    """A header value sent as a signed 32-bit integer (wire type 4)."""

    bits = 32


class Int64(_FixedInt):
    """A header value sent as a signed 64-bit integer (wire type 5)."""

    bits = 64


HeaderValue = bool | int | bytes | str | datetime | uuid.UUID

_headers_of = itemgetter(0)
_payload_of = itemgetter(1)


class Message(tuple):  # type: ignore[type-arg]
    """One event-stream message: ``headers`` (a dict in wire order) and ``payload``.

    Immutable: the fields cannot be reassigned.  Two messages are equal when
    their headers and payloads are.

    >>> m = Message({":event-type": "AudioEvent"}, b"\\x00\\x01")
    >>> m.headers[":event-type"], m.payload
    ('AudioEvent', b'\\x00\\x01')
    """

    __slots__ = ()

    def __new__(
        cls, headers: Mapping[str, HeaderValue] | None = None, payload: bytes = b""
    ) -> Message:
        return tuple.__new__(cls, (dict(headers or {}), bytes(payload)))

    @property
    def headers(self) -> dict[str, HeaderValue]:
        """The headers, in wire order."""
        return _headers_of(self)  # type: ignore[no-any-return]

    @property
    def payload(self) -> bytes:
        """The payload bytes."""
        return _payload_of(self)  # type: ignore[no-any-return]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Message):
            return tuple.__eq__(self, other)
        # a plain tuple with the same items is not a Message
        return False if isinstance(other, tuple) else NotImplemented

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        p = self.payload
        shown = repr(p[:64]) + ("…" if len(p) > 64 else "")
        return f"Message(headers={self.headers!r}, payload={shown} ({len(p)} bytes))"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Message, (self.headers, self.payload))

    def __getnewargs__(self) -> tuple[Any, ...]:
        return (self.headers, self.payload)
