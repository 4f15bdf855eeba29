"""The relay between the captions page's socket and one transcription stream.

The page speaks a small JSON-and-binary protocol with our server (never
with the service: no URL, key or signature reaches the browser)::

    page → server   {"type": "start", "sampleRate": 48000, "languageCode": "en-US",
                     "encoding": "f32"}                     first message, text
                    binary frames: mono PCM at sampleRate, little-endian
                    float32 ("f32", samples in [-1, 1]) or int16 ("s16")
                    {"type": "stop"}                        no more audio
    server → page   {"type": "ready", "languageCode": ..., "sessionId": ...}
                    {"type": "result", "id": ..., "partial": true|false,
                     "text": ..., "start": s, "end": s, "channel": ...}
                    {"type": "error", "kind": "request"|"service"|"internal",
                     "message": ...}                        then the socket closes
                    {"type": "end", "audioSeconds": s, "results": n}
                                                            then a normal close (1000)

:func:`relay` runs one exchange: it reads the start message, opens the
upstream stream with the caller's factory, resamples the page's audio to
:data:`TARGET_RATE` with :class:`audio.Resampler`, sends it on, and relays
every result.  ``stop`` flushes the resampler and ends the audio; the
finals that follow are relayed, then ``end`` and a normal close.  When the
page goes away the upstream stream is closed.  The helpers that parse and
build messages are pure and tested on their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
from collections.abc import AsyncIterator, Callable, Collection
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import websockets.exceptions

from audio import Resampler, to_pcm16
from sigv4 import SigV4Error

from ..errors import TranscribeWsError
from ..models import Result, TranscriptEvent

__all__ = [
    "ENCODINGS",
    "MAX_RATE",
    "MIN_RATE",
    "TARGET_RATE",
    "BrowserSocket",
    "RequestError",
    "StartRequest",
    "Stream",
    "decode_pcm",
    "end_message",
    "error_message",
    "parse_control",
    "parse_start",
    "ready_message",
    "relay",
    "result_message",
]

log = logging.getLogger("transcribe_ws.web")

#: the rate sent upstream (the page sends its device's rate; we resample)
TARGET_RATE = 16000
#: device rates the page may send
MIN_RATE, MAX_RATE = 8000, 192000
#: sample encodings of the page's binary frames: name → numpy dtype
ENCODINGS: dict[str, np.dtype[Any]] = {"f32": np.dtype("<f4"), "s16": np.dtype("<i2")}
#: seconds the page has to send its start message after connecting
START_TIMEOUT = 10.0
#: seconds to wait for the finals after the end of the audio
FINISH_TIMEOUT = 30.0

# close codes: normal, policy (a bad request), internal error (upstream failed)
_NORMAL, _POLICY, _FAILED = 1000, 1008, 1011


class RequestError(ValueError):
    """The page sent something this protocol does not allow."""


@dataclass(frozen=True)
class StartRequest:
    """What the page asked for in its start message."""

    sample_rate: int
    language_code: str
    encoding: str = "f32"


class BrowserSocket(Protocol):
    """The page's side of the socket (a websockets ``ServerConnection`` is one)."""

    async def recv(self) -> str | bytes: ...

    async def send(self, message: str) -> None: ...

    async def close(self, code: int = 1000, reason: str = "") -> None: ...


class Stream(Protocol):
    """The upstream stream (a :class:`transcribe_ws.TranscribeStream` is one)."""

    session_id: str

    async def send_audio(self, pcm: bytes) -> None: ...

    async def end(self) -> None: ...

    def __aiter__(self) -> AsyncIterator[TranscriptEvent]: ...


#: opens the upstream stream for a start request (``transcribe_ws.connect`` with settings)
OpenStream = Callable[[StartRequest], AbstractAsyncContextManager[Stream]]


# ------------------------------------------------------------------ messages


def _load(message: str | bytes) -> dict[str, Any]:
    if not isinstance(message, str):
        raise RequestError("expected a JSON text message, got a binary frame")
    try:
        obj = json.loads(message)
    except ValueError:
        raise RequestError("the message is not valid JSON") from None
    if not isinstance(obj, dict):
        raise RequestError("the message is not a JSON object")
    return obj


def parse_start(message: str | bytes, languages: Collection[str]) -> StartRequest:
    """The page's first message, checked; raises :class:`RequestError` naming what is wrong.

    >>> parse_start('{"type": "start", "sampleRate": 48000, "languageCode": "en-US"}', ["en-US"])
    StartRequest(sample_rate=48000, language_code='en-US', encoding='f32')
    """
    obj = _load(message)
    if obj.get("type") != "start":
        raise RequestError(f"expected a start message first, got type {obj.get('type')!r}")
    rate = obj.get("sampleRate")
    if isinstance(rate, float) and rate.is_integer():
        rate = int(rate)
    if isinstance(rate, bool) or not isinstance(rate, int) or not MIN_RATE <= rate <= MAX_RATE:
        raise RequestError(f"sampleRate {rate!r} is not allowed; allowed: {MIN_RATE}-{MAX_RATE}")
    language = obj.get("languageCode")
    if language not in languages:
        raise RequestError(
            f"languageCode {language!r} is not offered; offered: {', '.join(sorted(languages))}"
        )
    encoding = obj.get("encoding", "f32")
    if encoding not in ENCODINGS:
        raise RequestError(f"encoding {encoding!r} is not allowed; allowed: f32, s16")
    return StartRequest(sample_rate=rate, language_code=str(language), encoding=str(encoding))


def parse_control(message: str) -> str:
    """The type of a control message sent while audio flows (only ``stop`` is known)."""
    kind = _load(message).get("type")
    if kind != "stop":
        raise RequestError(f"unexpected message type {kind!r} while streaming; expected stop")
    return "stop"


def decode_pcm(frame: bytes, encoding: str) -> np.ndarray[Any, Any]:
    """A binary frame as samples (float32 in [-1, 1] or int16); checks the frame's size.

    Non-finite floats (NaN, infinity) become silence rather than noise.
    """
    dtype = ENCODINGS[encoding]
    if len(frame) % dtype.itemsize:
        raise RequestError(
            f"a binary frame of {len(frame)} bytes is not a whole number of {encoding} samples"
        )
    samples: np.ndarray[Any, Any] = np.frombuffer(frame, dtype=dtype)
    if dtype.kind == "f":
        samples = samples.astype(np.float32)
        if not np.isfinite(samples).all():
            samples = np.nan_to_num(samples, nan=0.0, posinf=0.0, neginf=0.0)
    return samples


def _num(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else round(value, 3)


def result_message(result: Result) -> str:
    """One result as the page's JSON (best alternative's text; partial or final)."""
    return json.dumps(
        {
            "type": "result",
            "id": result.result_id,
            "partial": result.is_partial,
            "text": result.transcript,
            "start": _num(result.start_time),
            "end": _num(result.end_time),
            "channel": result.channel_id,
        }
    )


def ready_message(start: StartRequest, session_id: str) -> str:
    """Sent once the upstream stream is open: the page may send audio."""
    return json.dumps(
        {"type": "ready", "languageCode": start.language_code, "sessionId": session_id}
    )


def error_message(kind: str, message: str) -> str:
    """An error for the page's banner: ``request``, ``service`` or ``internal``."""
    return json.dumps({"type": "error", "kind": kind, "message": message})


def end_message(audio_seconds: float, results: int) -> str:
    """The stream ended normally; every result was relayed."""
    return json.dumps({"type": "end", "audioSeconds": round(audio_seconds, 3), "results": results})


# --------------------------------------------------------------------- relay


@dataclass
class _Counts:
    samples_in: int = 0
    results: int = 0


async def relay(
    browser: BrowserSocket,
    open_stream: OpenStream,
    *,
    languages: Collection[str],
    start_timeout: float = START_TIMEOUT,
    finish_timeout: float = FINISH_TIMEOUT,
) -> str:
    """Run one page's exchange (see the module docstring); returns how it ended.

    The return value is ``"end"`` (normal end, the page was told), ``"gone"``
    (the page left first), ``"request"`` (the page broke the protocol) or
    ``"service"`` (the upstream stream could not be opened or failed, and the
    page was told why).  Nothing is raised for those; a bug raises.
    """
    try:
        first = await asyncio.wait_for(browser.recv(), start_timeout)
    except asyncio.TimeoutError:
        await _fail(browser, "request", "no start message arrived in time", _POLICY)
        return "request"
    except websockets.exceptions.ConnectionClosed:
        return "gone"
    try:
        start = parse_start(first, languages)
    except RequestError as exc:
        await _fail(browser, "request", str(exc), _POLICY)
        return "request"

    counts = _Counts()
    try:
        async with open_stream(start) as stream:
            return await _run(browser, stream, start, counts, finish_timeout)
    except (TranscribeWsError, SigV4Error, OSError, ValueError) as exc:
        # Opening failed (refused, unreachable, no credentials), or the stream
        # failed after the page was told it was ready.
        log.info("stream failed: %s", exc)
        await _fail(browser, "service", _describe(exc), _FAILED)
        return "service"
    except websockets.exceptions.ConnectionClosed:
        return "gone"


async def _run(
    browser: BrowserSocket,
    stream: Stream,
    start: StartRequest,
    counts: _Counts,
    finish_timeout: float,
) -> str:
    await browser.send(ready_message(start, stream.session_id))
    results = asyncio.create_task(_forward_results(stream, browser, counts))
    audio = asyncio.create_task(_forward_audio(browser, stream, start, counts))
    try:
        await asyncio.wait({results, audio}, return_when=asyncio.FIRST_COMPLETED)
        if audio.done():
            error = audio.exception()
            if isinstance(error, websockets.exceptions.ConnectionClosed):
                return "gone"  # the page left: the upstream stream is closed on exit
            if isinstance(error, RequestError):
                await _fail(browser, "request", str(error), _POLICY)
                return "request"
            if error is not None and not isinstance(error, TranscribeWsError):
                raise error
            # The audio ended (stop), or sending failed because the stream
            # failed: the results task reports how, after every result before it.
            try:
                await asyncio.wait_for(asyncio.shield(results), finish_timeout)
            except asyncio.TimeoutError:
                await _fail(
                    browser, "service", "the service did not finish the stream in time", _FAILED
                )
                return "service"
        results.result()  # raises the stream's error, if it failed
        await browser.send(end_message(counts.samples_in / start.sample_rate, counts.results))
        with contextlib.suppress(websockets.exceptions.ConnectionClosed):
            await browser.close(_NORMAL, "end of stream")
        return "end"
    finally:
        for task in (audio, results):
            task.cancel()
        for task in (audio, results):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


async def _forward_audio(
    browser: BrowserSocket, stream: Stream, start: StartRequest, counts: _Counts
) -> None:
    """Page audio → resampler → stream, until ``stop``; then the tail and the end."""
    resampler = Resampler(start.sample_rate, TARGET_RATE)
    while True:
        message = await browser.recv()
        if isinstance(message, str):
            parse_control(message)
            break
        samples = decode_pcm(message, start.encoding)
        counts.samples_in += samples.size
        pcm = resampler.process(samples)
        if pcm.size:
            await stream.send_audio(to_pcm16(pcm))
    tail = resampler.flush()
    if tail.size:
        await stream.send_audio(to_pcm16(tail))
    await stream.end()


async def _forward_results(stream: Stream, browser: BrowserSocket, counts: _Counts) -> None:
    """Every result of every event, as the page's JSON, until the stream ends."""
    async for event in stream:
        for result in event.results:
            counts.results += 1
            try:
                await browser.send(result_message(result))
            except websockets.exceptions.ConnectionClosed:
                return  # the page left; the audio task notices too


async def _fail(browser: BrowserSocket, kind: str, message: str, code: int) -> None:
    """Tell the page what went wrong, then close; a page that already left is fine."""
    with contextlib.suppress(websockets.exceptions.ConnectionClosed):
        await browser.send(error_message(kind, message))
        await browser.close(code, kind)


def _describe(exc: BaseException) -> str:
    """An error's one-line description for the page (it never holds a secret)."""
    text = str(exc) or type(exc).__name__
    if isinstance(exc, SigV4Error) and not isinstance(exc, TranscribeWsError):
        return f"no usable AWS credentials on the server: {text}"
    return text
