"""Helpers for the live-captions tests: fakes for the relay, HTTP, WER and the browser."""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import re
import shutil
import sys
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import websockets.exceptions
from websockets.frames import Close

from transcribe_ws.models import Alternative, Result, TranscriptEvent

DATA = Path(__file__).resolve().parents[2] / "data"
TEXTS: dict[str, str] = json.loads((DATA / "texts.json").read_text())
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: launch flags for a quiet, loopback-only headless chromium
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def words(text: str) -> list[str]:
    return "".join(c if c.isalnum() or c in " '" else " " for c in text.lower()).split()


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate after lower-casing and dropping punctuation."""
    ref, hyp = words(reference), words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            cur = min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
            prev, row[j] = row[j], cur
    return row[len(hyp)] / max(1, len(ref))


def result(text: str, *, partial: bool, rid: str = "r1", start: float = 0.0) -> Result:
    return Result(
        result_id=rid,
        start_time=start,
        end_time=start + 1.0,
        is_partial=partial,
        alternatives=(Alternative(transcript=text, items=(), entities=()),),
    )


def event(*results: Result) -> TranscriptEvent:
    return TranscriptEvent(results=tuple(results))


def _closed(code: int = 1001) -> websockets.exceptions.ConnectionClosedOK:
    return websockets.exceptions.ConnectionClosedOK(Close(code, ""), None)


class FakeBrowser:
    """The page's socket: scripted incoming messages; records what the relay sends.

    ``incoming`` items are delivered in order; ``None`` means the page left
    (``recv`` raises ConnectionClosed); when the script runs out, ``recv``
    waits (until ``leave()``).
    """

    def __init__(self, incoming: Sequence[str | bytes | None] = ()) -> None:
        self.queue: asyncio.Queue[str | bytes | None] = asyncio.Queue()
        for item in incoming:
            self.queue.put_nowait(item)
        self.sent: list[dict[str, Any]] = []
        self.close_code: int | None = None
        self.gone = False

    def push(self, item: str | bytes | None) -> None:
        self.queue.put_nowait(item)

    def leave(self) -> None:
        self.gone = True
        self.queue.put_nowait(None)

    async def recv(self) -> str | bytes:
        if self.close_code is not None:
            raise _closed(self.close_code)
        item = await self.queue.get()
        if item is None:
            self.gone = True
            raise _closed()
        return item

    async def send(self, message: str) -> None:
        if self.gone or self.close_code is not None:
            raise _closed()
        self.sent.append(json.loads(message))

    async def close(self, code: int = 1000, reason: str = "") -> None:
        if self.close_code is None:
            self.close_code = code

    def types(self) -> list[str]:
        return [m["type"] for m in self.sent]


@dataclass
class FakeStream:
    """The upstream stream: records audio; yields scripted events, then ends or fails.

    Events are released once the audio has ended (``end()``), unless
    ``early`` is set; ``fail`` is raised by the iteration after the events.
    """

    events: Sequence[TranscriptEvent] = ()
    fail: BaseException | None = None
    early: bool = False
    session_id: str = "fake-session"
    audio: bytearray = field(default_factory=bytearray)
    sends: int = 0
    ended: bool = False
    _end: asyncio.Event = field(default_factory=asyncio.Event)

    async def send_audio(self, pcm: bytes) -> None:
        if self.fail is not None and self.early:
            raise self.fail
        self.audio += pcm
        self.sends += 1

    async def end(self) -> None:
        self.ended = True
        self._end.set()

    async def _events(self) -> AsyncIterator[TranscriptEvent]:
        if not self.early:
            await self._end.wait()
        for ev in self.events:
            yield ev
        if self.fail is not None:
            raise self.fail

    def __aiter__(self) -> AsyncIterator[TranscriptEvent]:
        return self._events()


class Opener:
    """An ``open_stream`` factory handing out one FakeStream (or raising on open)."""

    def __init__(self, stream: FakeStream | None = None, error: BaseException | None = None):
        self.stream = stream or FakeStream()
        self.error = error
        self.starts: list[Any] = []
        self.exited = False

    @contextlib.asynccontextmanager
    async def __call__(self, start: Any) -> AsyncIterator[FakeStream]:
        self.starts.append(start)
        if self.error is not None:
            raise self.error
        try:
            yield self.stream
        finally:
            self.exited = True


def http_get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """A plain GET (no proxies): status, headers (lower-case names), body."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        conn.request("GET", parts.path or "/", headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


# ------------------------------------------------------------------ browser


@contextlib.asynccontextmanager
async def chromium(
    playwright: Any,
    profile_dir: Path,
    *,
    fake_ui: bool = True,
    audio_file: Path | None = None,
    extra_args: Sequence[str] = (),
) -> AsyncIterator[Any]:
    """Headless chromium with a fake microphone and a fresh profile; yields its context.

    *fake_ui* grants the microphone without a prompt; without it, prompts are
    denied.  *audio_file* (a WAV) is what the fake microphone hears, once
    (silence after it); without one it hears a beep.
    """
    assert CHROMIUM is not None
    args = [*CHROMIUM_ARGS, "--use-fake-device-for-media-stream", *extra_args]
    args.append("--use-fake-ui-for-media-stream" if fake_ui else "--deny-permission-prompts")
    if audio_file is not None:
        args.append(f"--use-file-for-fake-audio-capture={audio_file}%noloop")
    context = await playwright.chromium.launch_persistent_context(
        str(profile_dir),
        executable_path=CHROMIUM,
        headless=True,
        args=args,
        viewport={"width": 960, "height": 540},
    )
    try:
        context.set_default_timeout(30_000)
        yield context
    finally:
        await context.close()


@contextlib.asynccontextmanager
async def web_command(
    *args: str, cwd: Path
) -> AsyncIterator[tuple[str, asyncio.subprocess.Process]]:
    """``transcribe-ws web ARGS --port 0`` in a subprocess; yields (page URL, process).

    On leaving, the process gets SIGTERM (it must exit 0 on its own; it is
    killed after 30 s).
    """
    root = Path(__file__).resolve().parents[3]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH")) if p)
    env["HOME"] = str(cwd)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "transcribe_ws", "web", *args, "--port", "0",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env, cwd=cwd,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), 60)).decode()
        match = re.search(r"http://127\.0\.0\.1:\d+/", line)
        if match is None:
            err = b"" if proc.stderr is None else await proc.stderr.read()
            raise AssertionError(f"no URL from transcribe-ws web: {line!r} {err.decode()!r}")
        yield match.group(0), proc
        proc.terminate()
        await asyncio.wait_for(proc.wait(), 30)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
