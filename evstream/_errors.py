"""Errors of the event-stream codec.

Hierarchy::

    ValueError
     └── EventStreamError             the peer sent something that is not a valid stream
          ├── ChecksumMismatch
          │    ├── PreludeChecksumMismatch
          │    └── MessageChecksumMismatch
          ├── InvalidMessage           bad lengths, unknown header type, truncated header,
          │                            bad UTF-8, duplicate header, trailing bytes
          ├── TruncatedMessage         the input ended inside a message
          ├── MessageTooLarge          a message (or a payload to encode) over the limit
          └── InvalidHeaderValue       encode() was given a header it cannot represent

Decoding errors carry ``offset``: the byte offset in the input (for a
:class:`Decoder`, in the whole stream fed so far) where the offending message
starts.  Messages never contain payload bytes or header values beyond their
names, so nothing secret leaks through them.

Misuse of the API (a ``str`` where bytes are needed, feeding a closed
decoder) raises ``TypeError`` / ``RuntimeError`` instead.
"""

from __future__ import annotations

__all__ = [
    "ChecksumMismatch",
    "EventStreamError",
    "InvalidHeaderValue",
    "InvalidMessage",
    "MessageChecksumMismatch",
    "MessageTooLarge",
    "PreludeChecksumMismatch",
    "TruncatedMessage",
]


class EventStreamError(ValueError):
    """Base class of every codec error."""

    offset: int | None

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.offset = offset


class ChecksumMismatch(EventStreamError):
    """A CRC32 in the message does not match the bytes it covers."""


class PreludeChecksumMismatch(ChecksumMismatch):
    """The prelude CRC (over the two length fields) is wrong."""


class MessageChecksumMismatch(ChecksumMismatch):
    """The message CRC (over everything before it) is wrong."""


class InvalidMessage(EventStreamError):
    """The message is structurally invalid."""


class TruncatedMessage(EventStreamError):
    """The input ended before the message did."""


class MessageTooLarge(EventStreamError):
    """A message is larger than the limit in force."""


class InvalidHeaderValue(EventStreamError):
    """A header passed to ``encode`` cannot be represented on the wire."""


# Error constructors shared by both implementations, so that their messages are
# identical.  ``at`` is the offset of the message in the input.


def prelude_mismatch(at: int, stated: int, computed: int) -> PreludeChecksumMismatch:
    return PreludeChecksumMismatch(
        f"message at offset {at}: prelude checksum 0x{stated:08x} does not match "
        f"computed 0x{computed:08x}",
        at,
    )


def message_mismatch(at: int, stated: int, computed: int) -> MessageChecksumMismatch:
    return MessageChecksumMismatch(
        f"message at offset {at}: message checksum 0x{stated:08x} does not match "
        f"computed 0x{computed:08x}",
        at,
    )


def bad_lengths(at: int, total: int, headers: int, limit: int) -> EventStreamError:
    """The error for a prelude whose CRC is right but whose lengths are not."""
    where = f"message at offset {at}"
    if total < 16:
        return InvalidMessage(f"{where}: total length {total} is less than the minimum 16", at)
    if total > limit:
        return MessageTooLarge(
            f"{where}: total length {total} exceeds the limit of {limit} bytes", at
        )
    if headers > total - 16:
        return InvalidMessage(
            f"{where}: headers length {headers} does not fit in total length {total}", at
        )
    return InvalidMessage(
        f"{where}: headers length {headers} exceeds the limit of 131072 bytes", at
    )


def bad_header(at: int, pos: int, what: str) -> InvalidMessage:
    return InvalidMessage(f"message at offset {at}: header at byte {pos}: {what}", at)


def truncated(at: int, have: int, need: int) -> TruncatedMessage:
    return TruncatedMessage(f"message at offset {at}: input ended after {have} of {need} bytes", at)


def trailing(at: int, extra: int) -> InvalidMessage:
    return InvalidMessage(f"message at offset {at}: {extra} bytes after the end of the message", at)


def bad_value(name: str, what: str) -> InvalidHeaderValue:
    return InvalidHeaderValue(f"header {name!r}: {what}")
