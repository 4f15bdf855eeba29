"""Shared inputs for the evstream benchmarks: realistic Transcribe messages and a naive encoder."""

from __future__ import annotations

import json
import struct
import zlib

__all__ = [
    "AUDIO_HEADERS",
    "AUDIO_PAYLOAD",
    "TRANSCRIPT_HEADERS",
    "TRANSCRIPT_PAYLOAD",
    "naive_encode",
]

AUDIO_HEADERS = {
    ":message-type": "event",
    ":event-type": "AudioEvent",
    ":content-type": "application/octet-stream",
}
AUDIO_PAYLOAD = bytes(range(256)) * 12 + bytes(128)  # 100 ms of 16 kHz int16 = 3200 bytes

TRANSCRIPT_HEADERS = {
    ":message-type": "event",
    ":event-type": "TranscriptEvent",
    ":content-type": "application/json",
}
_words = "the quick brown fox jumps over the lazy dog".split() * 3
TRANSCRIPT_PAYLOAD = json.dumps(
    {
        "Transcript": {
            "Results": [
                {
                    "Alternatives": [
                        {
                            "Transcript": " ".join(_words),
                            "Items": [
                                {
                                    "Content": w,
                                    "EndTime": 0.5 + i / 2,
                                    "StartTime": i / 2,
                                    "Type": "pronunciation",
                                    "VocabularyFilterMatch": False,
                                }
                                for i, w in enumerate(_words[:14])
                            ],
                        }
                    ],
                    "EndTime": 7.5,
                    "IsPartial": True,
                    "ResultId": "c2e5b4a1-34a5-4d39-9d4e-5f6a7b8c9d0e",
                    "StartTime": 0.0,
                }
            ]
        }
    }
).encode()


def naive_encode(headers: dict[str, str], payload: bytes) -> bytes:
    """What a hand-written encoder does: struct.pack per header, zlib.crc32 twice."""
    block = b""
    for name, value in headers.items():
        n, v = name.encode(), value.encode()
        block += struct.pack(">B", len(n)) + n + struct.pack(">BH", 7, len(v)) + v
    total = 16 + len(block) + len(payload)
    prelude = struct.pack(">II", total, len(block))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    message = prelude + block + payload
    return message + struct.pack(">I", zlib.crc32(message))
