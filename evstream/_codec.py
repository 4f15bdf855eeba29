"""Chooses the codec implementation: compiled unless told otherwise or unavailable.

``TRANSCRIBE_WS_PURE_PYTHON=1`` forces the pure-Python reference.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

__all__ = ["CRC32_KERNEL", "IMPLEMENTATION", "Decoder", "crc32", "decode", "encode"]

IMPLEMENTATION: str

if TYPE_CHECKING:
    from ._codec_py import CRC32_KERNEL, Decoder, crc32, decode, encode
elif os.environ.get("TRANSCRIBE_WS_PURE_PYTHON", "") not in ("", "0"):
    from ._codec_py import CRC32_KERNEL, Decoder, crc32, decode, encode

    IMPLEMENTATION = "python"
else:
    try:
        from ._codec_c import CRC32_KERNEL, Decoder, crc32, decode, encode

        IMPLEMENTATION = "cython"
    except ImportError:
        from ._codec_py import CRC32_KERNEL, Decoder, crc32, decode, encode

        IMPLEMENTATION = "python"
