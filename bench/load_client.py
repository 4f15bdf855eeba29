"""Many concurrent real-time streams from one client process: does every one complete, and
what does the client cost?

The local server runs in another process (``transcribe-ws serve --engine synthetic``,
loopback only); this process opens N streams with ``transcribe_ws.transcribe_file`` on a
48 kHz speech file (so every 100 ms chunk is resampled, framed and sent), paced in real
time.  A stream passes when it ends normally with one final result per sentence.  Client
CPU is this process's CPU time (all threads) over the wall time of the run, as a share
of one core.  Run ``python bench/load_client.py [--streams 200] [--seconds 12]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from audio import read_wav  # noqa: E402
from sigv4 import Credentials  # noqa: E402
from transcribe_ws import transcribe_file  # noqa: E402

__all__ = ["Outcome", "main", "run"]

CREDENTIALS = Credentials("AKIDLOADTEST", "load-test-secret")  # the server runs --no-auth
TARGET_CPU = 0.5  # at most half of one core for 200 streams


@dataclass
class Outcome:
    streams: int
    completed: int
    finals_expected: int
    audio_seconds: float
    wall: float
    cpu: float
    lag_p95: float

    @property
    def cpu_share(self) -> float:
        return self.cpu / self.wall


def _speech_file(directory: Path, seconds: float) -> tuple[Path, int]:
    """The 48 kHz example repeated with 1 s pauses up to *seconds*; returns (path, sentences)."""
    import wave

    x, rate = read_wav(ROOT / "examples" / "weather-48k.wav")
    pause = np.zeros(rate, dtype=np.int16)
    pieces, sentences, total = [], 0, 0
    while total + len(x) + len(pause) <= seconds * rate or not sentences:
        pieces += [x, pause]
        sentences += 1
        total += len(x) + len(pause)
    path = directory / "load-48k.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.concatenate(pieces).astype("<i2").tobytes())
    return path, sentences


async def _stream(endpoint: str, path: Path, delay: float, lags: list[float]) -> tuple[bool, int]:
    await asyncio.sleep(delay)
    finals = 0
    start = 0.0
    try:
        async for result in transcribe_file(
            path, endpoint=endpoint, credentials=CREDENTIALS, realtime=True
        ):
            if not start:
                start = time.monotonic() - result.end_time
            if not result.is_partial:
                finals += 1
                lags.append(time.monotonic() - start - result.end_time)
    except Exception as exc:
        print(f"stream failed: {exc!r}", file=sys.stderr)
        return False, finals
    return True, finals


async def _run(endpoint: str, streams: int, path: Path, sentences: int, ramp: float) -> Outcome:
    lags: list[float] = []
    wall0, cpu0 = time.monotonic(), time.process_time()
    done = await asyncio.gather(
        *(_stream(endpoint, path, ramp * i / streams, lags) for i in range(streams))
    )
    wall, cpu = time.monotonic() - wall0, time.process_time() - cpu0
    completed = sum(1 for ok, finals in done if ok and finals >= sentences)
    lags.sort()
    x, rate = read_wav(path)
    return Outcome(
        streams,
        completed,
        sentences,
        len(x) / rate,
        wall,
        cpu,
        lags[int(0.95 * (len(lags) - 1))] if lags else float("inf"),
    )


def run(streams: int = 200, seconds: float = 12.0, ramp: float = 1.0) -> Outcome:
    """Start the server process, run the streams, stop the server (by its PID)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "transcribe_ws", "serve", "--host", "127.0.0.1"),
            *("--port", "0", "--engine", "synthetic", "--no-auth"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        if "listening on" not in line:
            raise RuntimeError(f"the server did not start: {line!r}")
        endpoint = line.split()[-1]
        with tempfile.TemporaryDirectory() as tmp:
            path, sentences = _speech_file(Path(tmp), seconds)
            return asyncio.run(
                asyncio.wait_for(_run(endpoint, streams, path, sentences, ramp), 10 * seconds + 60)
            )
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def report(o: Outcome) -> str:
    verdict = "met" if o.completed == o.streams and o.cpu_share <= TARGET_CPU else "NOT MET"
    return (
        f"{o.streams} concurrent real-time streams of {o.audio_seconds:.1f} s (48 kHz → 16 kHz), "
        f"synthetic engine in another process\n"
        f"  completed with all {o.finals_expected} finals: {o.completed}/{o.streams}\n"
        f"  wall {o.wall:.1f} s, client CPU {o.cpu:.2f} s = {o.cpu_share * 100:.1f}% of one core "
        f"(target ≤ {TARGET_CPU * 100:.0f}%: {verdict})\n"
        f"  client CPU per stream-second of audio: "
        f"{o.cpu / (o.streams * o.audio_seconds) * 1e3:.3f} ms\n"
        f"  p95 lag of finals behind the audio: {o.lag_p95:.2f} s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--streams", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=12.0, help="audio per stream")
    parser.add_argument("--ramp", type=float, default=1.0, help="seconds to start all streams")
    args = parser.parse_args(argv)
    outcome = run(args.streams, args.seconds, args.ramp)
    print(report(outcome))
    return 0 if outcome.completed == outcome.streams else 1


if __name__ == "__main__":
    raise SystemExit(main())
