"""A cheap, deterministic engine: made-up words from the voiced parts of the audio.

Audio is cut into 20 ms frames; a frame is voiced when its RMS reaches a
threshold.  Runs of voiced frames (gaps shorter than ``word_gap`` join runs)
are cut into words of at most ``longest_word`` seconds, whose text is picked
from a fixed list by the word's number and length, so the same audio always
gives the same words.  ``pause`` seconds
of silence after speech end the segment.  No model, a few numpy operations per
chunk: for protocol and load tests.
"""

from __future__ import annotations

import numpy as np

from . import Engine, Recognizer, Segment, Word

__all__ = ["SyntheticEngine", "SyntheticRecognizer"]

WORDS = (
    "alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike "
    "november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu"
).split()


class SyntheticRecognizer(Recognizer):
    """Voiced-run words; see the module docstring."""

    def __init__(
        self,
        sample_rate: int,
        *,
        frame: float = 0.02,
        threshold: float = 500.0,
        word_gap: float = 0.1,
        pause: float = 0.5,
        longest_word: float = 0.3,
    ) -> None:
        self._n = max(1, round(sample_rate * frame))
        self._frame = self._n / sample_rate
        self._threshold = threshold
        self._gap = max(1, round(word_gap / self._frame))
        self._pause = max(self._gap + 1, round(pause / self._frame))
        self._longest = max(1, round(longest_word / self._frame))
        self._tail = np.zeros(0, dtype=np.int16)
        self._index = 0  # frames seen
        self._words: list[tuple[int, int]] = []  # closed voiced runs of the open segment
        self._run: tuple[int, int] | None = None  # the voiced run going on (start, last voiced)
        self._count = 0  # words made so far (picks the text)

    def _word(self, run: tuple[int, int], number: int) -> Word:
        start, last = run
        length = last - start + 1
        text = WORDS[(number * 7 + length) % len(WORDS)]
        confidence = 0.5 + ((number * 13 + length) % 50) / 100
        start_s, end_s = round(start * self._frame, 3), round((last + 1) * self._frame, 3)
        return Word(text, start_s, end_s, round(confidence, 2))

    def _segment(self, final: bool) -> Segment:
        runs = list(self._words)
        if self._run is not None:
            runs.append(self._run)
        pieces = [
            (s, min(s + self._longest, last) - 1 if s + self._longest <= last else last)
            for start, last in runs
            for s in range(start, last + 1, self._longest)
        ]
        words = tuple(self._word(r, self._count + i) for i, r in enumerate(pieces))
        return Segment(words, words[0].start, words[-1].end, final)

    def _close_segment(self) -> Segment:
        seg = self._segment(final=True)
        self._count += len(seg.words)
        self._words = []
        self._run = None
        return seg

    def feed(self, pcm: bytes, *, partial: bool = False) -> list[Segment]:
        """Finals of the pauses in *pcm*, then a partial when asked and speaking."""
        samples = np.concatenate((self._tail, np.frombuffer(pcm, dtype="<i2")))
        whole = len(samples) // self._n
        self._tail = samples[whole * self._n :].copy()
        out: list[Segment] = []
        if whole:
            frames = samples[: whole * self._n].reshape(whole, self._n).astype(np.float32)
            voiced = np.sqrt(np.mean(frames * frames, axis=1)) >= self._threshold
            for v in voiced.tolist():
                i = self._index
                self._index += 1
                if v:
                    if self._run is not None and i - self._run[1] <= self._gap:
                        self._run = (self._run[0], i)
                    else:
                        if self._run is not None:
                            self._words.append(self._run)
                        self._run = (i, i)
                elif self._run is not None and i - self._run[1] >= self._pause:
                    out.append(self._close_segment())
        if partial and self._run is not None:
            out.append(self._segment(final=False))
        return out

    def finish(self) -> list[Segment]:
        """The final of the open segment, if any."""
        return [self._close_segment()] if self._run is not None else []


class SyntheticEngine(Engine):
    """Deterministic words from voiced segments; cheap enough to run inline."""

    name = "synthetic"
    sample_rate = 16000
    blocking = False

    def open(self) -> Recognizer:
        """A new recognizer."""
        return SyntheticRecognizer(self.sample_rate)
