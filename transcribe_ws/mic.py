"""Microphone capture for live transcription (needs the ``[mic]`` extra: sounddevice).

``microphone(sample_rate)`` is an async iterator of int16 PCM chunks at
*sample_rate*, captured at the device's own rate and resampled::

    async with connect(sample_rate=16000) as stream:
        async for chunk in microphone(16000, stop=stop_event):
            await stream.send_audio(chunk)
        await stream.end()

PortAudio calls the capture callback on its own thread; the callback only
hands each block to the event loop (``loop.call_soon_threadsafe``), where
it is resampled and yielded.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Any

import numpy as np

from audio import Resampler, to_pcm16

from .errors import TranscribeWsError

__all__ = ["MicrophoneError", "list_devices", "microphone"]


class MicrophoneError(TranscribeWsError):
    """No microphone: sounddevice, PortAudio or an input device is missing."""


def _sounddevice() -> Any:
    try:
        import sounddevice
    except ImportError:
        raise MicrophoneError(
            "the microphone needs sounddevice: pip install 'transcribe-ws[mic]'"
        ) from None
    except OSError as exc:  # sounddevice is there but the PortAudio library is not
        raise MicrophoneError(
            f"sounddevice cannot load PortAudio ({exc}); install libportaudio2"
        ) from None
    return sounddevice


def _input_device(sd: Any, device: int | str | None) -> dict[str, Any]:
    try:
        info = sd.query_devices(device, kind="input")
    except (ValueError, sd.PortAudioError) as exc:
        which = "no default input device" if device is None else f"input device {device!r}"
        raise MicrophoneError(
            f"{which}: {exc} (list the devices with: transcribe-ws mic --list-devices)"
        ) from None
    if int(info.get("max_input_channels", 0)) < 1:
        raise MicrophoneError(f"device {info.get('name', device)!r} has no input channels")
    return dict(info)


def list_devices() -> str:
    """The audio devices, as sounddevice describes them."""
    return str(_sounddevice().query_devices())


async def microphone(
    sample_rate: int = 16000,
    *,
    device: int | str | None = None,
    chunk_seconds: float = 0.1,
    stop: asyncio.Event | None = None,
) -> AsyncGenerator[bytes, None]:
    """Mono int16 PCM chunks of about *chunk_seconds* at *sample_rate*, until *stop* is set.

    Raises :class:`MicrophoneError` with a clear message when sounddevice,
    PortAudio or the input device is missing.
    """
    sd = _sounddevice()
    info = _input_device(sd, device)
    device_rate = int(info.get("default_samplerate") or sample_rate)
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[np.ndarray[Any, Any] | None] = asyncio.Queue()
    resampler = Resampler(device_rate, sample_rate)

    def callback(indata: Any, frames: int, time: Any, status: Any) -> None:
        # On PortAudio's thread: copy the block and hand it to the loop.
        loop.call_soon_threadsafe(queue.put_nowait, np.array(indata[:, 0], dtype=np.float32))

    stopper: asyncio.Task[None] | None = None
    if stop is not None:

        async def wait_stop() -> None:
            await stop.wait()
            queue.put_nowait(None)

        stopper = asyncio.create_task(wait_stop())
    try:
        stream = sd.InputStream(
            samplerate=device_rate,
            channels=1,
            dtype="float32",
            blocksize=max(1, round(device_rate * chunk_seconds)),
            device=device,
            callback=callback,
        )
    except sd.PortAudioError as exc:
        raise MicrophoneError(
            f"cannot open {info.get('name', 'the input device')!r}: {exc}"
        ) from None
    try:
        with stream:
            while True:
                block = await queue.get()
                if block is None:
                    break
                out = resampler.process(block)
                if len(out):
                    yield to_pcm16(out)
        tail = resampler.flush()
        if len(tail):
            yield to_pcm16(tail)
    finally:
        if stopper is not None:
            stopper.cancel()
