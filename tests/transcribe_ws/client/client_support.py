"""Shared helpers of the client tests (imported by name; conftest.py only holds fixtures)."""

from __future__ import annotations

import json
import os
import re
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from sigv4 import Credentials
from transcribe_ws import Alternative, Item, Result

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"
EXAMPLE = ROOT / "examples" / "weather-48k.wav"
TEXTS: dict[str, str] = json.loads((DATA / "texts.json").read_text())

CREDS = Credentials("AKIDCLIENTTEST", "client-test-secret-key")
SERVER_CREDENTIALS = {CREDS.access_key: CREDS.secret_key}
ENGINES = ("synthetic", "pocketsphinx")


def words(text: str) -> list[str]:
    """Lower-case words without punctuation."""
    return re.findall(r"[a-z0-9']+", text.lower())


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate: word-level edit distance over the reference length."""
    ref, hyp = words(reference), words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[len(hyp)] / max(1, len(ref))


def fixture_pcm(name: str = "weather.wav") -> bytes:
    """A 16 kHz mono fixture's PCM bytes."""
    with wave.open(os.fspath(DATA / name)) as w:
        assert w.getframerate() == 16000 and w.getnchannels() == 1
        return w.readframes(w.getnframes())


def chunks(pcm: bytes, size: int = 3200) -> Iterator[bytes]:
    """*pcm* cut in chunks of *size* bytes (100 ms at 16 kHz)."""
    for start in range(0, len(pcm), size):
        yield pcm[start : start + size]


def write_wav(path: Path, samples: np.ndarray, rate: int) -> Path:
    """Write int16 *samples* ((frames,) or (frames, channels)) as a WAV file."""
    data = np.asarray(samples, dtype="<i2")
    with wave.open(os.fspath(path), "wb") as w:
        w.setnchannels(1 if data.ndim == 1 else data.shape[1])
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(data.tobytes())
    return path


def item(start: float, end: float, content: str, kind: str = "pronunciation") -> Item:
    return Item(start, end, kind, content)


def final(
    result_id: str, start: float, end: float, *items: Item, text: str | None = None
) -> Result:
    """A final result whose transcript is its items joined (or *text*)."""
    if text is None:
        text = ""
        for i in items:
            text += i.content if i.type == "punctuation" or not text else " " + i.content
    return Result(result_id, start, end, False, (Alternative(text, tuple(items)),))


#: Two fixed final results and a partial one, for the writers.
FIXED = [
    Result("r0", 0.0, 0.5, True, (Alternative("hello"),)),
    final(
        "r0",
        0.25,
        1.9,
        item(0.25, 0.6, "Hello"),
        item(0.6, 0.6, ",", "punctuation"),
        item(0.7, 1.2, "world"),
        item(1.2, 1.2, ".", "punctuation"),
    ),
    final(
        "r1",
        3600.0,
        3601.5,
        item(3600.0, 3600.5, "One"),
        item(3600.6, 3601.5, "more"),
    ),
]
