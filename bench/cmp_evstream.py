"""evstream beside botocore's EventStreamBuffer, a naive encoder and zlib.crc32."""

from __future__ import annotations

import importlib
import zlib

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


def _botocore_decoder(wire: bytes):  # type: ignore[no-untyped-def]
    from botocore.eventstream import EventStreamBuffer

    buf = EventStreamBuffer()

    def run() -> None:
        buf.add_data(wire)
        for _ in buf:
            pass

    return run


def _amazon_transcribe_decoder(wire: bytes):  # type: ignore[no-untyped-def]
    mod = importlib.import_module("amazon_transcribe.eventstream")
    buf = mod.EventStreamBuffer()

    def run() -> None:
        buf.add_data(wire)
        for _ in buf:
            pass

    return run


def rows() -> list[Row]:
    c = importlib.import_module("evstream._codec_c")
    out: list[Row] = []
    cases = [
        ("audio event", AUDIO_HEADERS, AUDIO_PAYLOAD),
        ("transcript event", TRANSCRIPT_HEADERS, TRANSCRIPT_PAYLOAD),
    ]
    for label, headers, payload in cases:
        wire = c.encode(headers, payload)
        assert wire == naive_encode(headers, payload)
        dec = c.Decoder()
        ours = per_call(lambda d=dec, w=wire: d.feed(w))
        out.append(
            Row(f"decode {label}, 1/feed", ours, "botocore", per_call(_botocore_decoder(wire)), 20)
        )
        try:
            peer = per_call(_amazon_transcribe_decoder(wire))
            out.append(Row(f"decode {label}, 1/feed", ours, "amazon-transcribe", peer))
        except ImportError:
            pass
        pyd = py.Decoder()
        out.append(
            Row(
                f"decode {label}, 1/feed",
                ours,
                "our reference twin",
                per_call(lambda d=pyd, w=wire: d.feed(w)),
            )
        )
        big = wire * (2**20 // len(wire))
        out.append(
            Row(
                f"decode {label}, 1 MiB/feed",
                per_call(lambda b=big: c.Decoder().feed(b)),
                "botocore",
                per_call(_botocore_decoder(big), min_time=1.0),
            )
        )
        out.append(
            Row(
                f"encode {label}",
                per_call(lambda h=headers, p=payload: c.encode(h, p)),
                "naive struct+zlib",
                per_call(lambda h=headers, p=payload: naive_encode(h, p)),
                3,
            )
        )
    data = (bytes(range(256)) * 13)[:3300]
    out.append(
        Row(
            f"crc32 3.3 KB ({c.CRC32_KERNEL})",
            per_call(lambda: c.crc32(data)),
            "zlib.crc32",
            per_call(lambda: zlib.crc32(data)),
            2.5,
        )
    )
    return out
