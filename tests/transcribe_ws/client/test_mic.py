"""The microphone source with a stand-in sounddevice (no audio hardware in the tests)."""

from __future__ import annotations

import sys
import threading
import types
from typing import Any

import numpy as np
import pytest
from client_support import CREDS, fixture_pcm

import transcribe_ws
from transcribe_ws.cli import main
from transcribe_ws.mic import MicrophoneError, microphone
from transcribe_ws.server import Server


class FakePortAudioError(Exception):
    pass


def fake_sounddevice(
    signal: np.ndarray | None = None, rate: int = 48000, devices: bool = True
) -> types.ModuleType:
    """A sounddevice look-alike whose input stream plays *signal* from its own thread."""
    sd = types.ModuleType("sounddevice")
    sd.PortAudioError = FakePortAudioError  # type: ignore[attr-defined]

    def query_devices(device: Any = None, kind: str | None = None) -> Any:
        if not devices:
            raise FakePortAudioError("Error querying device -1")
        if kind is None:
            return "  0 Fake Mic, ALSA (1 in, 0 out)"
        return {"name": "Fake Mic", "max_input_channels": 1, "default_samplerate": rate}

    class InputStream:
        def __init__(self, *, samplerate: int, blocksize: int, callback: Any, **kw: Any) -> None:
            self.blocksize, self.callback = blocksize, callback
            self.thread = threading.Thread(target=self.play)

        def play(self) -> None:
            assert signal is not None
            for start in range(0, len(signal), self.blocksize):
                block = signal[start : start + self.blocksize].reshape(-1, 1)
                self.callback(block, len(block), None, None)

        def __enter__(self) -> InputStream:
            self.thread.start()
            return self

        def __exit__(self, *exc: object) -> None:
            self.thread.join()

    sd.query_devices = query_devices  # type: ignore[attr-defined]
    sd.InputStream = InputStream  # type: ignore[attr-defined]
    return sd


def speech_48k() -> np.ndarray:
    pcm = np.frombuffer(fixture_pcm("weather.wav"), dtype="<i2")
    return transcribe_ws._file.Resampler(16000, 48000).process(pcm).astype(np.float32) / 32768


async def test_missing_sounddevice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sounddevice", None)
    with pytest.raises(MicrophoneError, match=r"pip install 'transcribe-ws\[mic\]'"):
        async for _ in microphone():
            pass


async def test_missing_device(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sounddevice", fake_sounddevice(devices=False))
    with pytest.raises(MicrophoneError, match="no default input device"):
        async for _ in microphone():
            pass


def test_cli_one_line_when_the_microphone_is_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "sounddevice", None)
    assert main(["mic", "--endpoint", "ws://127.0.0.1:9"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "sounddevice" in err


async def test_microphone_to_the_server(synthetic: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    signal = speech_48k()
    monkeypatch.setitem(sys.modules, "sounddevice", fake_sounddevice(signal))
    stop = transcribe_ws.mic.asyncio.Event()
    captured = 0
    async with transcribe_ws.connect(endpoint=synthetic.url, credentials=CREDS) as stream:
        async for chunk in microphone(16000, stop=stop):
            captured += len(chunk)
            await stream.send_audio(chunk)
            if captured >= len(signal) // 3 * 2 - 3200:
                stop.set()
        await stream.end()
        events = [e async for e in stream]
    assert abs(captured - len(signal) // 3 * 2) <= 3200
    assert any(not r.is_partial for e in events for r in e.results)
