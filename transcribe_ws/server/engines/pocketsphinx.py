"""Real offline speech recognition with PocketSphinx (its US English model ships in the wheel).

Each recognizer holds one decoder and one ``Endpointer`` (PocketSphinx's voice
activity detector with hysteresis): speech found by the endpointer is decoded
as one utterance; the end of the utterance is a pause, whose final segment
lists the words with times from the decoder's segmentation.  Loading a decoder
takes a few hundred milliseconds, so decoders are kept in a pool and reused.
Decoding holds the GIL but is cut into small calls (one 30 ms frame at a
time), so a worker thread never blocks the event loop for long.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Any

from . import Engine, Recognizer, Segment, Word

__all__ = ["PocketsphinxEngine", "PocketsphinxRecognizer"]

_FRAME_RATE = 100  # decoder frames per second (PocketSphinx's default -frate)


def _clean(word: str) -> str | None:
    """The dictionary word without its variant number, or None for fillers and silence."""
    if not word or word[0] in "<[+":
        return None
    base, sep, _ = word.partition("(")
    return base if sep else word


class PocketsphinxRecognizer(Recognizer):
    """One channel: endpointer → decoder; see the module docstring."""

    def __init__(self, engine: PocketsphinxEngine, decoder: Any, *, preroll: float = 0.3) -> None:
        from pocketsphinx import Endpointer

        self._engine = engine
        self._decoder: Any = decoder
        self._ep = Endpointer(sample_rate=engine.sample_rate)
        self._frame_bytes: int = self._ep.frame_bytes
        self._buf = bytearray()
        self._in_utt = False
        self._utt_start = 0.0
        # the latest frames fed, by index: the endpointer's speech starts a little after the
        # first phone, so the utterance begins *preroll* seconds before its speech_start
        self._frame_length = float(self._ep.frame_length)
        self._preroll_frames = round(preroll / self._frame_length)
        self._history: deque[bytes] = deque(
            maxlen=self._preroll_frames + round(1 / self._frame_length)
        )
        self._index = 0  # frames fed to the endpointer

    def _words(self, final: bool) -> Segment | None:
        words: list[Word] = []
        for seg in self._decoder.seg() or ():
            text = _clean(seg.word)
            if text is None:
                continue
            start = self._utt_start + seg.start_frame / _FRAME_RATE
            end = self._utt_start + (seg.end_frame + 1) / _FRAME_RATE
            confidence = min(1.0, max(0.0, float(seg.prob)))
            words.append(Word(text, round(start, 3), round(end, 3), round(confidence, 4)))
        if not words:
            return None
        return Segment(tuple(words), words[0].start, words[-1].end, final)

    def _end_utt(self, out: list[Segment]) -> None:
        self._decoder.end_utt()
        self._in_utt = False
        seg = self._words(final=True)
        if seg is not None:
            out.append(seg)

    def _speech(self, frame: bytes, speech: bytes | None, out: list[Segment]) -> None:
        self._history.append(frame)
        self._index += 1
        if speech is None:
            return
        if not self._in_utt:
            self._decoder.start_utt()
            self._in_utt = True
            first = round(float(self._ep.speech_start) / self._frame_length)
            # history[k] is frame number index - len(history) + k
            base = self._index - len(self._history)
            lo = max(first - self._preroll_frames, base)
            before = b"".join(self._history[k - base] for k in range(lo, max(lo, first)))
            self._utt_start = lo * self._frame_length
            if before:
                self._decoder.process_raw(before, False, False)
        self._decoder.process_raw(speech, False, False)
        if not self._ep.in_speech:
            self._end_utt(out)

    def feed(self, pcm: bytes, *, partial: bool = False) -> list[Segment]:
        """Finals of the pauses the endpointer found, then a partial when asked."""
        out: list[Segment] = []
        self._buf += pcm
        n = self._frame_bytes
        whole = len(self._buf) - len(self._buf) % n
        ep = self._ep
        view = memoryview(self._buf)
        for i in range(0, whole, n):
            frame = bytes(view[i : i + n])
            self._speech(frame, ep.process(frame), out)
        view.release()
        del self._buf[:whole]
        if partial and self._in_utt:
            seg = self._words(final=False)
            if seg is not None:
                out.append(seg)
        return out

    def finish(self) -> list[Segment]:
        """Flush the endpointer and end the open utterance."""
        out: list[Segment] = []
        tail = bytes(self._buf)
        self._buf.clear()
        if tail:
            self._speech(tail, self._ep.end_stream(tail), out)
        if self._in_utt:
            self._end_utt(out)
        return out

    def close(self) -> None:
        """Give the decoder back to the engine's pool."""
        decoder, self._decoder = self._decoder, None
        if decoder is None:
            return
        if self._in_utt:
            decoder.end_utt()
            self._in_utt = False
        self._engine.release(decoder)


class PocketsphinxEngine(Engine):
    """PocketSphinx with its default US English model; decoders pooled across sessions."""

    name = "pocketsphinx"
    sample_rate = 16000
    blocking = True

    def __init__(self, *, pool_size: int = 64, **config: Any) -> None:
        import pocketsphinx  # noqa: F401 - fail early when the package is missing

        # no second (flat-lexicon) pass: the same words on our fixtures for less CPU
        self._config = {"loglevel": "FATAL", "fwdflat": False, **config}
        self._pool: list[Any] = []
        self._pool_size = pool_size
        self._lock = threading.Lock()

    def _decoder(self) -> Any:
        with self._lock:
            if self._pool:
                return self._pool.pop()
        from pocketsphinx import Decoder

        return Decoder(**self._config)

    def release(self, decoder: Any) -> None:
        """Return *decoder* to the pool (dropped when the pool is full)."""
        with self._lock:
            if len(self._pool) < self._pool_size:
                self._pool.append(decoder)

    def warm(self, count: int = 1) -> None:
        """Load *count* decoders ahead of the first sessions."""
        decoders = [self._decoder() for _ in range(count)]
        for d in decoders:
            self.release(d)

    def open(self) -> Recognizer:
        """A recognizer with a decoder from the pool (loaded when the pool is empty)."""
        return PocketsphinxRecognizer(self, self._decoder())

    def close(self) -> None:
        """Drop the pooled decoders."""
        with self._lock:
            self._pool.clear()
