"""The AWS binary event-stream codec (``application/vnd.amazon.eventstream``).

>>> from evstream import encode, decode, Decoder
>>> wire = encode({":message-type": "event", ":event-type": "AudioEvent"}, b"\\x00\\x00")
>>> decode(wire).headers[":event-type"]
'AudioEvent'
>>> [m.payload for m in Decoder().feed(wire + wire)]
[b'\\x00\\x00', b'\\x00\\x00']

``IMPLEMENTATION`` says which twin is in use: ``"cython"`` or ``"python"``.
"""

from __future__ import annotations

from ._codec import CRC32_KERNEL, IMPLEMENTATION, Decoder, crc32, decode, encode
from ._errors import (
    ChecksumMismatch,
    EventStreamError,
    InvalidHeaderValue,
    InvalidMessage,
    MessageChecksumMismatch,
    MessageTooLarge,
    PreludeChecksumMismatch,
    TruncatedMessage,
)
from ._types import HeaderValue, Int8, Int16, Int32, Int64, Message

__all__ = [
    "CRC32_KERNEL",
    "IMPLEMENTATION",
    "ChecksumMismatch",
    "Decoder",
    "EventStreamError",
    "HeaderValue",
    "Int8",
    "Int16",
    "Int32",
    "Int64",
    "InvalidHeaderValue",
    "InvalidMessage",
    "Message",
    "MessageChecksumMismatch",
    "MessageTooLarge",
    "PreludeChecksumMismatch",
    "TruncatedMessage",
    "crc32",
    "decode",
    "encode",
]
