"""One stream's protocol logic, sans-I/O: frames in, messages out.

The connection layer hands every WebSocket frame to :meth:`Session.receive_frame`
and sends what :meth:`Session.data_to_send` returns, one binary frame per
message.  When :attr:`Session.finished` becomes true it sends what is left and
closes the connection normally.  Timers live in the connection layer, which
calls :meth:`Session.fail` (the idle timeout, the duration limit, an injected
fault).  Recognition runs inside ``receive_frame``: the caller runs it in a
worker thread when the engine is ``blocking``.

States: ``streaming`` (audio flows) → ``done`` (end of stream: the last finals
were queued) or ``failed`` (an exception message was queued).
"""

from __future__ import annotations

import numpy as np

from audio import Resampler
from evstream import Decoder, EventStreamError

from ..models import TranscriptEvent
from ..protocol import AudioChunk, EndOfStream, ProtocolError, exception_event, transcript_event
from ..protocol import parse_client_message as parse
from .config import SessionConfig
from .engines import Engine, Recognizer, Segment
from .results import ResultBuilder

__all__ = [
    "IDLE_MESSAGE",
    "LIMIT_MESSAGE",
    "MAX_MESSAGE_SIZE",
    "PARTIAL_INTERVAL",
    "Session",
]

#: the largest event-stream message a client may send (1 s of 48 kHz stereo fits easily)
MAX_MESSAGE_SIZE = 256 * 1024
#: seconds of audio between two partial results of a segment
PARTIAL_INTERVAL = 0.2
IDLE_MESSAGE = "Your request timed out because no new audio was received for {seconds:g} seconds."
LIMIT_MESSAGE = "Your stream reached the maximum duration of {hours:g} hours."


class Session:
    """The state of one stream; see the module docstring."""

    def __init__(
        self,
        config: SessionConfig,
        engine: Engine,
        *,
        max_duration: float = 4 * 3600,
        max_message_size: int = MAX_MESSAGE_SIZE,
    ) -> None:
        self.config = config
        self.state = "streaming"
        #: how the stream ended, for the log ("end of stream", "BadRequestException: ...")
        self.outcome = ""
        self.audio_events = 0
        #: client messages that came wrapped in a signed envelope (:chunk-signature)
        self.signed_messages = 0
        self.results_sent = 0
        self._engine = engine
        self._max_duration = max_duration
        self._decoder = Decoder(max_message_size=max_message_size)
        self._out: list[bytes] = []
        self._frame_bytes = 2 * config.channels
        self._remainder = b""
        self._samples = 0  # frames (one sample per channel) received
        self._next_partial = PARTIAL_INTERVAL
        self._recognizers: list[Recognizer] = []
        self._resamplers: list[Resampler | None] = []
        self._builders = [ResultBuilder(config, c) for c in range(config.channels)]

    # ------------------------------------------------------------------ observers

    @property
    def finished(self) -> bool:
        """True once the stream is over: send what is queued, then close."""
        return self.state != "streaming"

    @property
    def audio_seconds(self) -> float:
        """Seconds of audio received."""
        return self._samples / self.config.sample_rate

    def data_to_send(self) -> list[bytes]:
        """The messages queued since the last call, each for one binary frame."""
        out, self._out = self._out, []
        return out

    # ------------------------------------------------------------------ input

    def receive_frame(self, data: bytes | str) -> None:
        """Handle one WebSocket frame (ignored once the stream is over)."""
        if self.finished:
            return
        if isinstance(data, str):
            self.fail("BadRequestException", "Text frames are not supported; send binary frames.")
            return
        if not data:
            self._end_of_stream()
            return
        try:
            messages = self._decoder.feed(data)
            for message in messages:
                if ":chunk-signature" in message.headers:
                    self.signed_messages += 1
                event = parse(message)
                if isinstance(event, AudioChunk):
                    self._audio(event.pcm)
                elif isinstance(event, EndOfStream):
                    self._end_of_stream()
                if self.finished:
                    return
        except (EventStreamError, ProtocolError) as exc:
            self.fail("BadRequestException", f"Could not decode the event stream: {exc}")

    def fail(self, exception_type: str, message: str) -> None:
        """Queue an exception message; the stream is over."""
        if self.finished:
            return
        self._out.append(exception_event(exception_type, message))
        self.state = "failed"
        self.outcome = f"{exception_type}: {message}"

    def idle_timeout(self, seconds: float) -> None:
        """No audio arrived for *seconds*: the service's BadRequestException."""
        self.fail("BadRequestException", IDLE_MESSAGE.format(seconds=seconds))

    def duration_exceeded(self) -> None:
        """The stream lasted longer than allowed."""
        self.fail("LimitExceededException", LIMIT_MESSAGE.format(hours=self._max_duration / 3600))

    def close(self) -> None:
        """Release the recognizers (call once, when the connection is gone)."""
        recognizers, self._recognizers = self._recognizers, []
        for r in recognizers:
            r.close()

    # ------------------------------------------------------------------ internals

    def _open(self) -> None:
        rate, target = self.config.sample_rate, self._engine.sample_rate
        for _ in range(self.config.channels):
            self._recognizers.append(self._engine.open())
            self._resamplers.append(Resampler(rate, target) if rate != target else None)

    def _audio(self, pcm: bytes) -> None:
        self.audio_events += 1
        if not self._recognizers:
            self._open()
        data = self._remainder + pcm
        usable = len(data) - len(data) % self._frame_bytes
        self._remainder = data[usable:]
        if not usable:
            return
        samples = np.frombuffer(data[:usable], dtype="<i2")
        frames = len(samples) // self.config.channels
        self._samples += frames
        want_partial = self.audio_seconds >= self._next_partial
        if want_partial:
            self._next_partial = self.audio_seconds + PARTIAL_INTERVAL
        channels = samples.reshape(frames, self.config.channels)
        for c, recognizer in enumerate(self._recognizers):
            mono = channels[:, c] if self.config.channels > 1 else samples
            resampler = self._resamplers[c]
            if resampler is not None:
                mono = resampler.process(mono)
            self._emit(c, recognizer.feed(mono.astype("<i2").tobytes(), partial=want_partial))
        if self.audio_seconds > self._max_duration:
            self.duration_exceeded()

    def _end_of_stream(self) -> None:
        for c, recognizer in enumerate(self._recognizers):
            resampler = self._resamplers[c]
            if resampler is not None:
                tail = resampler.flush()
                if len(tail):
                    self._emit(c, recognizer.feed(tail.astype("<i2").tobytes()))
            self._emit(c, recognizer.finish())
        self.state = "done"
        self.outcome = "end of stream"

    def _emit(self, channel: int, segments: list[Segment]) -> None:
        builder = self._builders[channel]
        for segment in segments:
            result = builder.result(segment)
            self._out.append(transcript_event(TranscriptEvent((result,))))
            self.results_sent += 1
