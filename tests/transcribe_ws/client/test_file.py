"""transcribe_file: any WAV through read_wav, downmix, the resampler and the local server."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import numpy as np
import pytest
from client_support import CREDS, DATA, EXAMPLE, TEXTS, wer, write_wav

import audio
import transcribe_ws
from transcribe_ws import _file
from transcribe_ws.server import Server


async def finals(path: Path, server: Server, **options: object) -> list[transcribe_ws.Result]:
    return [
        r
        async for r in transcribe_ws.transcribe_file(
            path, endpoint=server.url, credentials=CREDS, **options
        )
        if not r.is_partial
    ]


async def test_48k_example(server: Server) -> None:
    results = await finals(EXAMPLE, server)
    assert results
    if server.engine.name == "pocketsphinx":
        text = " ".join(r.transcript for r in results)
        assert wer(EXAMPLE.with_suffix(".txt").read_text(), text) <= 0.1, text


async def test_stereo_44k_is_downmixed(server: Server, tmp_path: Path) -> None:
    x, rate = audio.read_wav(DATA / "report.wav")
    y = audio.resample(x, rate, 44100)
    stereo = write_wav(tmp_path / "stereo.wav", np.stack([y, y // 2], axis=1), 44100)
    results = await finals(stereo, server, sample_rate=16000)
    assert results and all(r.channel_id is None for r in results)
    if server.engine.name == "pocketsphinx":
        text = " ".join(r.transcript for r in results)
        assert wer(TEXTS["report.wav"], text) <= 0.25, text


async def test_channel_identification_keeps_both_channels(
    synthetic: Server, tmp_path: Path
) -> None:
    x, _ = audio.read_wav(DATA / "weather.wav")
    stereo = write_wav(tmp_path / "left.wav", np.stack([x, np.zeros_like(x)], axis=1), 16000)
    results = await finals(stereo, synthetic, enable_channel_identification=True)
    assert results and {r.channel_id for r in results} == {"ch_0"}


async def test_channel_identification_needs_two_channels(synthetic: Server) -> None:
    with pytest.raises(ValueError, match="needs 2 channels; the file has 1"):
        await finals(DATA / "weather.wav", synthetic, enable_channel_identification=True)


async def test_file_problems_come_before_any_connection(tmp_path: Path) -> None:
    nowhere = "ws://127.0.0.1:9"
    with pytest.raises(FileNotFoundError):
        async for _ in transcribe_ws.transcribe_file(
            tmp_path / "missing.wav", endpoint=nowhere, credentials=CREDS
        ):
            pass
    (tmp_path / "text.wav").write_text("not audio")
    with pytest.raises(ValueError, match="not a WAV file"):
        async for _ in transcribe_ws.transcribe_file(
            tmp_path / "text.wav", endpoint=nowhere, credentials=CREDS
        ):
            pass


def test_chunks_are_100_ms_and_hold_the_whole_signal() -> None:
    x, rate = audio.read_wav(EXAMPLE)
    pieces = list(_file.pcm_chunks(x, rate, 16000))
    # The first chunk is short by the filter's look-ahead, which the flush gives back.
    assert {len(p) for p in pieces[1:-2]} == {3200} and 3000 < len(pieces[0]) <= 3200
    assert b"".join(pieces) == audio.to_pcm16(audio.resample(x, rate, 16000))


async def test_progress_reaches_the_whole_duration(synthetic: Server) -> None:
    seen: list[float] = []
    await finals(DATA / "weather.wav", synthetic, progress=seen.append)
    x, rate = audio.read_wav(DATA / "weather.wav")
    assert seen == sorted(seen)
    assert seen[-1] == pytest.approx(len(x) / rate, abs=1e-3)


async def test_realtime_pacing(synthetic: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """No chunk leaves before its start time in the audio (on a fake clock)."""
    clock = [1000.0]
    sent_at: list[tuple[float, float]] = []  # (clock, seconds of audio sent before)
    real_sleep = asyncio.sleep

    async def fake_sleep(delay: float) -> None:
        clock[0] += max(delay, 0.0)
        await real_sleep(0)

    monkeypatch.setattr(_file, "_clock", lambda: clock[0])
    monkeypatch.setattr(_file, "_sleep", fake_sleep)

    def progress(seconds: float) -> None:
        sent_at.append((clock[0] - 1000.0, seconds))

    results = await finals(DATA / "weather.wav", synthetic, realtime=True, progress=progress)
    assert results
    previous = 0.0
    for at, seconds in sent_at:
        assert at >= previous - 1e-9  # the chunk ending at *seconds* began at *previous*
        previous = seconds
    assert sent_at[-1][0] >= sent_at[-1][1] - 0.2


async def test_stopping_early_closes_the_stream(synthetic: Server) -> None:
    results = transcribe_ws.transcribe_file(
        DATA / "two_sentences.wav", endpoint=synthetic.url, credentials=CREDS, realtime=True
    )
    async with contextlib.aclosing(results):
        async for _first in results:
            break
    assert [t for t in asyncio.all_tasks() if "file sender" in t.get_name()] == []


async def test_a_failing_source_ends_the_iteration(
    synthetic: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        yield bytes(3200)
        raise OSError("the disk went away")

    monkeypatch.setattr(_file, "pcm_chunks", broken)
    with pytest.raises(OSError, match="the disk went away"):
        await finals(DATA / "weather.wav", synthetic)
