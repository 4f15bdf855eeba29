"""The client's per-chunk work beside what the peers do for the same 100 ms of audio.

- framing: our AudioEvent (``evstream``) beside amazon-transcribe's (the AWS Python SDK
  for streaming): its event serializer, and its full per-event path, which over HTTP/2
  also signs every event and wraps it in a signed envelope;
- resampling 48 kHz float to 16 kHz int16: our streaming ``Resampler`` beside
  ``scipy.signal.resample_poly`` per chunk (stateless, so it also edges every chunk);
- the whole chunk, resample + frame, each side's way.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import numpy as np
from _timing import Row, per_call

from audio import Resampler, to_pcm16
from transcribe_ws.protocol import audio_event

TITLE = "client, per 100 ms chunk (ratio = peer time / our time; higher is better)"


def _optional(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def _sdk_event(pcm_of: Callable[[], bytes]) -> tuple[Callable[[], bytes], Callable[[], bytes]]:
    """amazon-transcribe's framing: serializer only, and serialize + sign + envelope."""
    from amazon_transcribe.auth import Credentials
    from amazon_transcribe.eventstream import EventSigner, EventStreamMessageSerializer
    from amazon_transcribe.model import AudioEvent
    from amazon_transcribe.serialize import AudioEventSerializer

    events, frames = AudioEventSerializer(), EventStreamMessageSerializer()
    signer = EventSigner("transcribe", "us-east-1")
    creds = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    prior = [b"\x00" * 32]

    def serialize() -> bytes:
        headers, payload = events.serialize(AudioEvent(audio_chunk=pcm_of()))
        return frames.serialize(headers, payload)

    def signed() -> bytes:
        body = serialize()
        headers = signer.sign(body, prior[0], creds)
        prior[0] = headers[":chunk-signature"]  # type: ignore[assignment]
        return frames.serialize(headers, body)

    return serialize, signed


def rows() -> list[Row]:
    rng = np.random.default_rng(0)
    chunk48 = (rng.standard_normal(4800) * 0.1).astype(np.float32)
    pcm = to_pcm16(Resampler(48000, 16000).process(chunk48))
    out: list[Row] = []

    ours_frame = per_call(lambda: audio_event(pcm))
    if _optional("amazon_transcribe") is not None:
        serialize, signed = _sdk_event(lambda: pcm)
        assert serialize() == audio_event(pcm)
        out.append(Row("AudioEvent, 3200 B", ours_frame, "amazon-transcribe", per_call(serialize)))
        out.append(
            Row(
                "  same, the SDK's full per-event path",
                ours_frame,
                "amazon-transcribe + sign",
                per_call(signed),
                10,
            )
        )

    resampler = Resampler(48000, 16000)
    ours_resample = per_call(lambda: to_pcm16(resampler.process(chunk48)))
    signal = _optional("scipy.signal")
    if signal is not None:

        def scipy_resample() -> bytes:
            y = signal.resample_poly(chunk48, 1, 3)
            return bytes(np.clip(np.round(y * 32767), -32768, 32767).astype("<i2").tobytes())

        out.append(
            Row(
                "48 kHz float → 16 kHz int16",
                ours_resample,
                "scipy resample_poly",
                per_call(scipy_resample),
                3,
            )
        )
        if _optional("amazon_transcribe") is not None:
            sdk_pcm = [b""]
            _, sdk_signed = _sdk_event(lambda: sdk_pcm[0])

            def sdk_chunk() -> bytes:
                sdk_pcm[0] = scipy_resample()
                return sdk_signed()

            out.append(
                Row(
                    "resample + frame a chunk",
                    per_call(lambda: audio_event(to_pcm16(resampler.process(chunk48)))),
                    "scipy + amazon-transcribe",
                    per_call(sdk_chunk),
                    5,
                )
            )
    return out


if __name__ == "__main__":
    from _timing import print_table

    print_table(TITLE, rows())
