"""pytest-benchmark suites for the local server: one second of audio through a session.

The capacity figures (concurrent real-time sessions) come from ``bench/cmp_server.py``
(``python bench/compare.py server``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cmp_server import CHUNK, _speech

from transcribe_ws.protocol import audio_event
from transcribe_ws.server import Session, make_engine
from transcribe_ws.server.config import SessionConfig

FRAMES = [audio_event(c) for c in (_speech()[i : i + CHUNK] for i in range(0, 32000 * 4, CHUNK))]


def _run(engine_name: str):  # type: ignore[no-untyped-def]
    engine = make_engine(engine_name)

    def once() -> int:
        session = Session(SessionConfig(), engine)
        for frame in FRAMES:
            session.receive_frame(frame)
        session.receive_frame(b"")
        session.close()
        return len(session.data_to_send())

    return once


def test_four_seconds_synthetic(benchmark) -> None:  # type: ignore[no-untyped-def]
    benchmark.group = "server session (4 s of speech)"
    assert benchmark(_run("synthetic")) > 0


def test_four_seconds_pocketsphinx(benchmark) -> None:  # type: ignore[no-untyped-def]
    benchmark.group = "server session (4 s of speech)"
    assert benchmark.pedantic(_run("pocketsphinx"), rounds=3, warmup_rounds=1) > 0
