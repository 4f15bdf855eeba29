"""Helpers for building raw event-stream frames in tests."""

from __future__ import annotations

import struct
import zlib

__all__ = ["frame", "with_crcs"]


def with_crcs(prelude8: bytes, rest: bytes) -> bytes:
    """Assemble a message from its two length fields and the bytes after the prelude,
    computing both CRCs (``rest`` excludes the trailing message CRC)."""
    prelude = prelude8 + struct.pack(">I", zlib.crc32(prelude8))
    body = prelude + rest
    return body + struct.pack(">I", zlib.crc32(body))


def frame(header_block: bytes, payload: bytes = b"") -> bytes:
    """A message with correct lengths and CRCs around an arbitrary header block."""
    total = 16 + len(header_block) + len(payload)
    return with_crcs(struct.pack(">II", total, len(header_block)), header_block + payload)
