"""WAV reading shared by both twins (stdlib only: the RIFF chunks are parsed here).

Python's ``wave`` module reads only integer PCM with the plain format tag;
this reader also understands 32/64-bit IEEE float and WAVE_FORMAT_EXTENSIBLE.
"""

from __future__ import annotations

import os
import struct
from typing import Any

import numpy as np

__all__ = ["read_wav"]

_PCM, _FLOAT, _EXTENSIBLE = 0x0001, 0x0003, 0xFFFE
_GUID_TAIL = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
_KNOWN_CODECS = {
    0x0002: "Microsoft ADPCM",
    0x0006: "A-law",
    0x0007: "mu-law",
    0x0011: "IMA ADPCM",
    0x0031: "GSM 6.10",
    0x0050: "MPEG",
    0x0055: "MP3",
    0x0161: "WMA",
    0x1610: "AAC",
    0xF1AC: "FLAC",
}
_UNKNOWN_SIZE = (0, 0xFFFFFFFF)  # sizes written by streaming encoders that never seek back


def _fail(path: str, problem: str) -> ValueError:
    return ValueError(f"{path}: {problem}")


def read_wav(path: str | os.PathLike[str]) -> tuple[np.ndarray[Any, Any], int]:
    """Read a WAV file: returns ``(samples, rate)``.

    *samples* is ``(frames,)`` for mono and ``(frames, channels)`` otherwise:
    int16 for 8- and 16-bit PCM (8-bit is re-centred and scaled by 256),
    float32 in [-1, 1) for 24-bit PCM and 32-bit float, float64 for 32-bit
    PCM and 64-bit float.  Raises ``ValueError`` naming the file for
    compressed formats, truncated files and files that are not WAV.
    """
    name = os.fspath(path)
    with open(name, "rb") as f:
        data = f.read()
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        kind = "RF64 (64-bit RIFF)" if data[:4] in (b"RF64", b"BW64") else "no RIFF/WAVE header"
        raise _fail(name, f"not a WAV file ({kind})")
    fmt: bytes | None = None
    body: bytes | None = None
    pos = 12
    while pos + 8 <= len(data):
        cid, size = data[pos : pos + 4], struct.unpack_from("<I", data, pos + 4)[0]
        start = pos + 8
        if cid == b"data":
            if size in _UNKNOWN_SIZE:
                size = len(data) - start
            elif start + size > len(data):
                raise _fail(
                    name,
                    f"truncated: the data chunk declares {size} bytes but only "
                    f"{len(data) - start} are present",
                )
            body = data[start : start + size]
            if fmt is not None:
                break
        elif cid == b"fmt ":
            if start + size > len(data):
                raise _fail(name, "truncated inside the fmt chunk")
            fmt = data[start : start + size]
        pos = start + size + (size & 1)
    if fmt is None:
        raise _fail(name, "no fmt chunk" + (" (truncated?)" if body is None else ""))
    if body is None:
        raise _fail(name, "no data chunk (truncated?)")
    if len(fmt) < 16:
        raise _fail(name, f"fmt chunk is {len(fmt)} bytes; at least 16 are required")
    tag, channels, rate, _, align, bits = struct.unpack_from("<HHIIHH", fmt)
    if tag == _EXTENSIBLE:
        if len(fmt) < 40:
            raise _fail(name, "WAVE_FORMAT_EXTENSIBLE fmt chunk shorter than 40 bytes")
        if fmt[26:40] != _GUID_TAIL:
            raise _fail(name, "WAVE_FORMAT_EXTENSIBLE with an unknown sub-format GUID")
        tag = struct.unpack_from("<H", fmt, 24)[0]
    if tag not in (_PCM, _FLOAT):
        what = _KNOWN_CODECS.get(tag, "unknown codec")
        raise _fail(
            name,
            f"compressed or unsupported format (tag 0x{tag:04X}, {what}); only PCM "
            "8/16/24/32-bit and 32/64-bit float are supported",
        )
    if channels < 1:
        raise _fail(name, "the fmt chunk says 0 channels")
    if rate < 1:
        raise _fail(name, "the fmt chunk says 0 Hz")
    width = bits // 8 if bits % 8 == 0 else 0
    allowed = (1, 2, 3, 4) if tag == _PCM else (4, 8)
    if width not in allowed:
        kind = "PCM" if tag == _PCM else "float"
        raise _fail(name, f"{bits}-bit {kind} samples are not supported")
    if align != width * channels:
        raise _fail(name, f"block align {align} does not match {channels} x {bits}-bit samples")
    if len(body) % align:
        raise _fail(
            name, f"truncated: {len(body)} data bytes is not a whole number of {align}-byte frames"
        )
    samples = _decode(body, tag, width)
    if channels > 1:
        samples = samples.reshape(-1, channels)
    return samples, int(rate)


def _decode(body: bytes, tag: int, width: int) -> np.ndarray[Any, Any]:
    if tag == _FLOAT:
        return np.frombuffer(body, dtype="<f4" if width == 4 else "<f8").astype(
            np.float32 if width == 4 else np.float64
        )
    if width == 1:
        u8 = np.frombuffer(body, dtype=np.uint8)
        return ((u8.astype(np.int16) - 128) * 256).astype(np.int16)
    if width == 2:
        return np.frombuffer(body, dtype="<i2").astype(np.int16)
    if width == 3:
        b = np.frombuffer(body, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        v = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        v = np.where(v >= 1 << 23, v - (1 << 24), v)
        f24: np.ndarray[Any, Any] = v.astype(np.float32) / np.float32(1 << 23)
        return f24
    v32 = np.frombuffer(body, dtype="<i4")
    out: np.ndarray[Any, Any] = v32.astype(np.float64) / float(1 << 31)
    return out
