"""Transcribing a WAV file: read, downmix, resample, chunk, stream, collect results."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncGenerator, Callable, Iterator
from typing import Any

import numpy as np

from audio import Resampler, downmix, read_wav, to_pcm16

from .client import TranscribeStream, connect
from .errors import TranscribeWsError
from .models import Result

__all__ = ["CHUNK_SECONDS", "load_audio", "pcm_chunks", "send_chunks", "transcribe_file"]

#: Audio goes out in chunks of this length (the service recommends 50-200 ms).
CHUNK_SECONDS = 0.1

# The pacing clock (replaceable in tests without touching the event loop's).
_clock = time.monotonic
_sleep = asyncio.sleep


def load_audio(
    path: str | os.PathLike[str], *, channels: int = 1
) -> tuple[np.ndarray[Any, Any], int]:
    """``read_wav`` and shape for the stream: mono (downmixed), or exactly *channels* channels.

    Raises ``FileNotFoundError`` and, for a file that is not a usable WAV,
    ``ValueError`` naming it.
    """
    samples, rate = read_wav(path)
    if channels == 1:
        if samples.ndim == 2:
            samples = downmix(samples)
        return samples, rate
    have = 1 if samples.ndim == 1 else samples.shape[1]
    if have != channels:
        raise ValueError(
            f"{os.fspath(path)}: channel identification needs {channels} channels; "
            f"the file has {have}"
        )
    return samples, rate


def pcm_chunks(
    samples: np.ndarray[Any, Any],
    rate: int,
    sample_rate: int,
    *,
    channels: int = 1,
    chunk_seconds: float = CHUNK_SECONDS,
) -> Iterator[bytes]:
    """int16 little-endian chunks of *chunk_seconds* at *sample_rate* (the last one shorter).

    The resampler's tail is included, so the chunks hold the whole signal.
    """
    resampler = Resampler(rate, sample_rate, channels)
    step = max(1, round(rate * chunk_seconds))
    for start in range(0, len(samples), step):
        out = resampler.process(samples[start : start + step])
        if len(out):
            yield to_pcm16(out)
    tail = resampler.flush()
    if len(tail):
        yield to_pcm16(tail)


async def send_chunks(
    stream: TranscribeStream,
    chunks: Iterator[bytes],
    *,
    bytes_per_second: int,
    realtime: bool = False,
    progress: Callable[[float], None] | None = None,
) -> None:
    """Send every chunk, then end the stream; with *realtime*, no faster than it plays.

    *progress* is called with the seconds of audio sent so far.
    """
    sent = 0
    start = _clock()
    for chunk in chunks:
        if realtime:
            delay = start + sent / bytes_per_second - _clock()
            if delay > 0:
                await _sleep(delay)
        await stream.send_audio(chunk)
        sent += len(chunk)
        if progress is not None:
            progress(sent / bytes_per_second)
        if not realtime:
            await asyncio.sleep(0)  # let results be read while the file goes out
    await stream.end()


async def transcribe_file(
    path: str | os.PathLike[str],
    *,
    sample_rate: int = 16000,
    realtime: bool = False,
    progress: Callable[[float], None] | None = None,
    **options: Any,
) -> AsyncGenerator[Result, None]:
    """Transcribe a WAV file; yields every Result, partial ones included.

    Any rate and channel count: the audio is downmixed to mono (unless
    ``enable_channel_identification=True``, which needs a two-channel file)
    and resampled to *sample_rate*, then streamed in 100 ms chunks, as fast
    as the connection takes them or, with *realtime*, at the pace it plays.
    *progress* is called with the seconds of audio sent so far.  Every other
    keyword goes to :func:`transcribe_ws.connect`.  Filter finals with
    ``not result.is_partial``.  The file is read before connecting, so a
    missing or unreadable file raises before any network traffic.

    Use ``contextlib.aclosing`` when you may stop iterating early, so that
    the connection closes at once.
    """
    identification = options.get("enable_channel_identification") is True
    if identification and options.get("number_of_channels") is None:
        options["number_of_channels"] = 2
    channels = int(options["number_of_channels"]) if identification else 1
    samples, rate = load_audio(path, channels=channels)
    chunks = pcm_chunks(samples, rate, sample_rate, channels=channels)
    async with connect(sample_rate=sample_rate, **options) as stream:
        sender = asyncio.create_task(
            send_chunks(
                stream,
                chunks,
                bytes_per_second=sample_rate * 2 * channels,
                realtime=realtime,
                progress=progress,
            ),
            name="transcribe-ws file sender",
        )

        def sender_done(task: asyncio.Task[None]) -> None:
            if task.cancelled():
                return
            exc = task.exception()
            # The stream's own failures reach the iteration from the reader.
            if exc is not None and not isinstance(exc, TranscribeWsError):
                stream._fail(exc)

        sender.add_done_callback(sender_done)
        try:
            async for event in stream:
                for result in event.results:
                    yield result
        finally:
            if not sender.done():
                sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, TranscribeWsError):
                await sender
