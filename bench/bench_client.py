"""pytest-benchmark suite for the client's per-chunk work: resample + encode + send.

Each 100 ms chunk of a live source costs the client: resampling to the stream's rate
(``audio.Resampler``), int16 conversion, framing as an AudioEvent (``evstream``) and
``TranscribeStream.send_audio`` (checks, then the WebSocket frame).  The send is
measured twice: into a connection that discards (the client's own overhead) and over a
loopback WebSocket to a server that reads and drops every frame.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from websockets.asyncio.server import ServerConnection
from websockets.asyncio.server import serve as ws_serve

from audio import Resampler, to_pcm16
from sigv4 import Credentials
from transcribe_ws.client import TranscribeStream, connect
from transcribe_ws.protocol import audio_event

CHUNKS_PER_ROUND = 10
CREDENTIALS = Credentials("AKIDBENCH", "bench-secret")


def _speechlike(rate: int, seconds: float = 0.1) -> np.ndarray[Any, Any]:
    n = round(rate * seconds)
    return (np.random.default_rng(0).standard_normal(n) * 0.1).astype(np.float32)


@pytest.mark.parametrize("rate", [48000, 44100, 16000])
def test_prepare_chunk(benchmark: Any, rate: int) -> None:
    """Resample 100 ms to 16 kHz, convert to int16 and frame it."""
    resampler = Resampler(rate, 16000)
    chunk = _speechlike(rate)
    benchmark.group = "prepare one 100 ms chunk"

    def prepare() -> bytes:
        return audio_event(to_pcm16(resampler.process(chunk)))

    assert len(benchmark(prepare)) > 3000


class _Discard:
    """Stands in for the WebSocket connection: accepts and drops every message."""

    response = None
    transport = None

    async def send(self, message: bytes) -> None:
        pass

    def __aiter__(self) -> _Discard:
        return self

    async def __anext__(self) -> bytes:
        await asyncio.Event().wait()
        raise StopAsyncIteration


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def test_send_audio_overhead(benchmark: Any, loop: asyncio.AbstractEventLoop) -> None:
    """send_audio's own work (checks + AudioEvent) for 10 chunks, no network."""
    pcm = bytes(3200)

    async def make() -> TranscribeStream:
        return TranscribeStream(
            _Discard(),  # type: ignore[arg-type]
            session_id="bench",
            sample_rate=16000,
            channels=1,
            pcm=True,
            keepalive=None,
        )

    stream = loop.run_until_complete(make())

    async def round_() -> None:
        for _ in range(CHUNKS_PER_ROUND):
            await stream.send_audio(pcm)

    benchmark.group = f"send {CHUNKS_PER_ROUND} chunks"
    benchmark(lambda: loop.run_until_complete(round_()))
    stream._reader.cancel()


async def _sink(ws: ServerConnection) -> None:
    async for _ in ws:
        pass


def test_resample_encode_send_loopback(benchmark: Any, loop: asyncio.AbstractEventLoop) -> None:
    """48 kHz source → 16 kHz AudioEvents over a loopback WebSocket, 10 chunks per round."""
    chunk = _speechlike(48000)
    resampler = Resampler(48000, 16000)

    async def open_stream() -> tuple[Any, Any, TranscribeStream]:
        server = await ws_serve(_sink, "127.0.0.1", 0, compression=None)
        port = server.sockets[0].getsockname()[1]
        opener = connect(endpoint=f"ws://127.0.0.1:{port}", credentials=CREDENTIALS)
        return server, opener, await opener.__aenter__()

    server, opener, stream = loop.run_until_complete(open_stream())

    async def round_() -> None:
        for _ in range(CHUNKS_PER_ROUND):
            await stream.send_audio(to_pcm16(resampler.process(chunk)))

    benchmark.group = f"send {CHUNKS_PER_ROUND} chunks"
    benchmark(lambda: loop.run_until_complete(round_()))

    async def close() -> None:
        await opener.__aexit__(None, None, None)
        server.close()
        await server.wait_closed()

    loop.run_until_complete(close())
