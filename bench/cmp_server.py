"""The local server's capacity: concurrent real-time sessions it sustains, and CPU per session.

The server runs as its own process (``transcribe-ws serve``); one client process
opens N streams at once over loopback and feeds each a speech fixture at
real-time pace (100 ms events every 100 ms).  A level is sustained when every
stream ends normally and its last results arrive within 1 s of its end of
stream (a server that falls behind real time builds a backlog that shows there).
The p95 lag of results (wall time since the stream started minus the result's
end time in the audio; it includes the pause the endpointer waits for) is shown.
CPU per session is the server process's CPU time over N × the audio seconds.
Bounded: a few levels per engine, ``SECONDS`` of audio each.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from _timing import Row

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from audio import read_wav  # noqa: E402
from evstream import Decoder  # noqa: E402
from transcribe_ws.protocol import audio_event, end_of_stream  # noqa: E402

TITLE = "server capacity (real-time sessions on loopback; printed as its own table)"
SECONDS = float(os.environ.get("BENCH_SERVER_SECONDS", "8"))
LEVELS = {"synthetic": (100, 200, 300), "pocketsphinx": (4, 8, 12)}
#: server processes per engine: recognition holds the GIL, so pocketsphinx gets one per core
WORKERS = {"synthetic": 1, "pocketsphinx": os.cpu_count() or 1}
TARGETS = {"synthetic": 200, "pocketsphinx": 4 * (os.cpu_count() or 1)}
QUERY = urlencode({"language-code": "en-US", "media-encoding": "pcm", "sample-rate": "16000"})
CHUNK = 3200  # 100 ms at 16 kHz mono


def _speech() -> bytes:
    samples, _ = read_wav(ROOT / "tests" / "data" / "two_sentences.wav")
    pcm = samples.astype("<i2").tobytes()
    need = int(SECONDS * 32000)
    return (pcm * (need // len(pcm) + 1))[:need]


@dataclass
class Level:
    engine: str
    sessions: int
    ok: int
    p95_lag: float
    tail: float  # longest wait from the end of stream to the close
    cpu_per_session: float  # server CPU seconds per second of audio per session

    @property
    def sustained(self) -> bool:
        return self.ok == self.sessions and self.tail < 1.0


def _cpu_seconds(pid: int) -> float:
    """CPU time of *pid* and its child processes (the other workers)."""
    total = 0.0
    kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    for p in [pid, *map(int, kids)]:
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


async def _one(url: str, pcm: bytes, lags: list[float], tails: list[float]) -> bool:
    from websockets.asyncio.client import connect

    decoder = Decoder()
    async with connect(url, compression=None, max_size=None, open_timeout=30) as ws:
        t0 = time.monotonic()

        async def reader() -> None:
            async for data in ws:
                assert isinstance(data, bytes)
                now = time.monotonic() - t0
                for m in decoder.feed(data):
                    if m.headers.get(":message-type") != "event":
                        raise RuntimeError(m.payload.decode())
                    for r in json.loads(m.payload)["Transcript"]["Results"]:
                        lags.append(now - r["EndTime"])

        task = asyncio.create_task(reader())
        for i in range(0, len(pcm), CHUNK):
            delay = t0 + i / 32000 - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            await ws.send(audio_event(pcm[i : i + CHUNK]))
        await ws.send(end_of_stream())
        ended = time.monotonic()
        await asyncio.wait_for(task, 30)
        tails.append(time.monotonic() - ended)
        return ws.close_code == 1000


async def _level(url: str, sessions: int, pcm: bytes) -> tuple[int, list[float], list[float]]:
    lags: list[float] = []
    tails: list[float] = []

    async def staggered(i: int) -> bool:
        await asyncio.sleep(i * 0.1 / max(1, sessions))  # spread the starts over 100 ms
        try:
            return await _one(url, pcm, lags, tails)
        except Exception:
            return False

    done = await asyncio.gather(*(staggered(i) for i in range(sessions)))
    return sum(done), lags, tails


def measure(engine: str, levels: tuple[int, ...]) -> list[Level]:
    """Start a server with *engine* and run each level of concurrent sessions against it."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "transcribe_ws", "serve", "--port", "0", "--engine", engine,
         "--no-auth", "--log-level", "WARNING", "--workers", str(WORKERS[engine])],
        stdout=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    out: list[Level] = []
    try:
        assert proc.stdout is not None
        base = proc.stdout.readline().split()[-1]
        url = f"{base}/stream-transcription-websocket?{QUERY}"
        pcm = _speech()
        # warm-up: load the decoders the largest level needs (they are pooled)
        asyncio.run(_level(url, max(levels), pcm[:32000]))
        for n in levels:
            cpu0 = _cpu_seconds(proc.pid)
            ok, lags, tails = asyncio.run(_level(url, n, pcm))
            cpu = _cpu_seconds(proc.pid) - cpu0
            lags.sort()
            p95 = lags[int(0.95 * (len(lags) - 1))] if lags else float("inf")
            tail = max(tails, default=float("inf"))
            out.append(Level(engine, n, ok, p95, tail, cpu / (n * SECONDS)))
            if not out[-1].sustained:
                break
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return out


def print_levels(levels: list[Level]) -> None:
    """The capacity table, then each engine's verdict against its target."""
    print(f"\n## {TITLE}")
    print(
        f"{'engine':<13} {'sessions':>8} {'ended ok':>8} {'p95 lag':>8} {'end wait':>8}"
        f" {'CPU/session':>12}  real time"
    )
    for lv in levels:
        verdict = "sustained" if lv.sustained else "NOT sustained"
        print(
            f"{lv.engine:<13} {lv.sessions:>8} {lv.ok:>8} {lv.p95_lag:>7.2f}s {lv.tail:>7.2f}s"
            f" {lv.cpu_per_session * 100:>11.1f}%  {verdict}"
        )
    for engine, target in TARGETS.items():
        ran = [lv for lv in levels if lv.engine == engine]
        if not ran:
            continue
        best = max((lv.sessions for lv in ran if lv.sustained), default=0)
        verdict = "met" if best >= target else "NOT MET"
        print(
            f"{engine} ({WORKERS[engine]} worker process(es)): {best} concurrent real-time "
            f"sessions sustained; target >= {target} {verdict}"
        )


def rows() -> list[Row]:
    """Print the capacity table (no peer to compare with, so no Rows)."""
    levels: list[Level] = []
    for engine, steps in LEVELS.items():
        levels += measure(engine, steps)
    print_levels(levels)
    return []


if __name__ == "__main__":
    rows()
