"""Helpers shared by the server tests: a minimal client, presigned URLs, fixtures, WER."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import websockets
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from audio import read_wav
from evstream import Decoder, Message, encode
from sigv4 import Credentials, presign_url
from transcribe_ws.models import Result, TranscriptEvent
from transcribe_ws.protocol import audio_event, end_of_stream

__all__ = [
    "CREDS",
    "DATA",
    "TEXTS",
    "Outcome",
    "fixture_pcm",
    "handshake",
    "presigned",
    "run_stream",
    "signed_envelope",
    "wer",
]

DATA = Path(__file__).resolve().parents[2] / "data"
TEXTS: dict[str, str] = json.loads((DATA / "texts.json").read_text())
CREDS = Credentials("AKIDLOCALTEST", "local/test/secret+key")
PATH = "/stream-transcription-websocket"
BASE = {"language-code": "en-US", "media-encoding": "pcm", "sample-rate": "16000"}


def fixture_pcm(name: str) -> bytes:
    """The fixture's samples as int16 little-endian bytes (16 kHz mono)."""
    samples, rate = read_wav(DATA / name)
    assert rate == 16000
    return samples.astype("<i2").tobytes()


def presigned(
    base_url: str,
    *,
    path: str = PATH,
    params: dict[str, str] | None = None,
    creds: Credentials = CREDS,
    now: float | None = None,
    expires: int = 300,
) -> str:
    """``base_url + path`` with *params* (default: en-US pcm 16 kHz), presigned."""
    query = dict(BASE if params is None else params)
    return presign_url(
        f"{base_url}{path}?{urlencode(query)}",
        credentials=creds,
        region="us-east-1",
        service="transcribe",
        expires=expires,
        now=time.time() if now is None else now,
    )


async def handshake(url: str) -> tuple[int, str]:
    """The HTTP status and body the server answers the upgrade with (101, "" when accepted)."""
    try:
        async with connect(url, compression=None):
            return 101, ""
    except InvalidStatus as exc:
        return exc.response.status_code, exc.response.body.decode()


@dataclass
class Outcome:
    """What came back from one stream."""

    messages: list[Message] = field(default_factory=list)
    close_code: int | None = None
    dropped: bool = False

    @property
    def results(self) -> list[Result]:
        out: list[Result] = []
        for m in self.messages:
            if m.headers.get(":event-type") == "TranscriptEvent":
                out.extend(TranscriptEvent.from_json(json.loads(m.payload)).results)
        return out

    @property
    def finals(self) -> list[Result]:
        return [r for r in self.results if not r.is_partial]

    @property
    def exceptions(self) -> list[tuple[str, str]]:
        return [
            (str(m.headers[":exception-type"]), json.loads(m.payload)["Message"])
            for m in self.messages
            if m.headers.get(":message-type") == "exception"
        ]

    def transcript(self, channel: str | None = None) -> str:
        return " ".join(
            r.transcript for r in self.finals if channel is None or r.channel_id == channel
        )


def signed_envelope(inner: bytes) -> bytes:
    """*inner* wrapped as the SDKs' message signer does (``:date`` + ``:chunk-signature``)."""
    from datetime import datetime, timezone

    return encode(
        {":date": datetime.now(timezone.utc), ":chunk-signature": bytes(32)},
        inner,
    )


async def run_stream(
    url: str,
    frames: Sequence[bytes | str],
    *,
    end: str | None = "event",
) -> Outcome:
    """Send *frames*, then the end of stream (``"event"``, ``"frame"`` or None), and collect.

    Returns everything the server sent until it closed.
    """
    out = Outcome()
    decoder = Decoder()
    async with connect(url, compression=None, max_size=None) as ws:
        try:
            for frame in frames:
                await ws.send(frame)
            if end == "event":
                await ws.send(end_of_stream())
            elif end == "frame":
                await ws.send(b"")
            async for data in ws:
                assert isinstance(data, bytes)
                out.messages.extend(decoder.feed(data))
        except ConnectionClosed:
            pass
        await ws.wait_closed()
        out.close_code = ws.close_code
        out.dropped = ws.close_code is None or ws.close_code == 1006
    return out


def chunks(pcm: bytes, size: int = 3200) -> list[bytes]:
    """*pcm* as audio events of *size* bytes (100 ms at 16 kHz mono)."""
    return [audio_event(pcm[i : i + size]) for i in range(0, len(pcm), size)]


def wer(reference: str, hypothesis: str) -> tuple[int, int]:
    """(word edits, reference words) after lower-casing and dropping punctuation."""

    def words(text: str) -> list[str]:
        return "".join(c if c.isalnum() or c in " '" else " " for c in text.lower()).split()

    ref, hyp = words(reference), words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            cur = min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
            prev, row[j] = row[j], cur
    return row[len(hyp)], len(ref)


_ = websockets  # the package, for its version in failure reports
