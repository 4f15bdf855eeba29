"""evstream beside botocore's EventStreamBuffer, amazon-transcribe's codec (if installed),
a naive encoder and zlib.crc32."""

from __future__ import annotations

import importlib
import zlib
from collections.abc import Callable
from typing import Any

from _timing import Row, per_call
from evstream_cases import (
    AUDIO_HEADERS,
    AUDIO_PAYLOAD,
    TRANSCRIPT_HEADERS,
    TRANSCRIPT_PAYLOAD,
    naive_encode,
)

import evstream._codec_py as py

TITLE = "evstream (ratio = peer time / our time; higher is better)"


def _buffer_decoder(module: str, wire: bytes) -> Callable[[], None]:
    """Feed one *wire* into a reused EventStreamBuffer of *module* and drain it."""
    buf = importlib.import_module(module).EventStreamBuffer()

    def run() -> None:
        buf.add_data(wire)
        for _ in buf:
            pass

    return run


def _optional(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def rows() -> list[Row]:
    c = importlib.import_module("evstream._codec_c")
    at = _optional("amazon_transcribe.eventstream")
    out: list[Row] = []
    cases = [
        ("audio event", AUDIO_HEADERS, AUDIO_PAYLOAD),
        ("transcript event", TRANSCRIPT_HEADERS, TRANSCRIPT_PAYLOAD),
    ]
    for label, headers, payload in cases:
        wire = c.encode(headers, payload)
        assert wire == naive_encode(headers, payload)
        dec, ref = c.Decoder(), py.Decoder()
        ours = per_call(lambda d=dec, w=wire: d.feed(w))
        what = f"decode {label}, 1/feed"
        out.append(
            Row(what, ours, "botocore", per_call(_buffer_decoder("botocore.eventstream", wire)), 20)
        )
        if at is not None:
            peer = per_call(_buffer_decoder("amazon_transcribe.eventstream", wire))
            out.append(Row(what, ours, "amazon-transcribe", peer))
        out.append(Row(what, ours, "our reference twin", per_call(lambda d=ref, w=wire: d.feed(w))))

        big = wire * (2**20 // len(wire))
        ours = per_call(lambda b=big: c.Decoder().feed(b))
        peer = per_call(_buffer_decoder("botocore.eventstream", big), min_time=1.0)
        out.append(Row(f"decode {label}, 1 MiB/feed", ours, "botocore", peer))

        ours = per_call(lambda h=headers, p=payload: c.encode(h, p))
        peer = per_call(lambda h=headers, p=payload: naive_encode(h, p))
        out.append(Row(f"encode {label}", ours, "naive struct+zlib", peer, 3))
        if at is not None:
            ser = at.EventStreamMessageSerializer()
            assert ser.serialize(headers, payload) == wire
            peer = per_call(lambda s=ser, h=headers, p=payload: s.serialize(h, p))
            out.append(Row(f"encode {label}", ours, "amazon-transcribe", peer))

    data = (bytes(range(256)) * 13)[:3300]
    ours, peer = per_call(lambda: c.crc32(data)), per_call(lambda: zlib.crc32(data))
    out.append(Row(f"crc32 3.3 KB ({c.CRC32_KERNEL})", ours, "zlib.crc32", peer, 2.5))
    out.extend(_kernel_options(c, data))
    return out


def _kernel_options(c: Any, data: bytes) -> list[Row]:
    """The CRC32 kernels this CPU can run, each inside the same binding and decoder."""
    default = c.CRC32_KERNEL
    wire = c.encode(AUDIO_HEADERS, AUDIO_PAYLOAD)
    botocore = per_call(_buffer_decoder("botocore.eventstream", wire))
    zlib_time = per_call(lambda: zlib.crc32(data))
    out = []
    try:
        for name in c._crc32_kernels():
            c._use_crc32_kernel(name)
            out.append(
                Row(
                    f"  option: crc32 3.3 KB, {name}",
                    per_call(lambda: c.crc32(data)),
                    "zlib.crc32",
                    zlib_time,
                )
            )
            d = c.Decoder()
            out.append(
                Row(
                    f"  option: decode audio, {name}",
                    per_call(lambda d=d: d.feed(wire)),
                    "botocore",
                    botocore,
                )
            )
    finally:
        c._use_crc32_kernel(default)
    return out
