"""Recognition engines behind one small interface.

An :class:`Engine` is shared by every session of a server; ``open()`` gives a
session its own :class:`Recognizer`.  A recognizer takes mono int16 PCM at the
engine's ``sample_rate`` and returns :class:`Segment` updates:

- ``feed(pcm, partial=...)`` returns the final segment of every pause found in
  this audio, in order, then (when *partial* is true and speech is going on)
  one partial segment with the words heard so far;
- ``finish()`` returns the final segment of the speech still open;
- ``close()`` gives back what the recognizer holds (a decoder to a pool).

Times are seconds from the first sample fed.  ``blocking`` engines take long
enough per call that the server runs them off the event loop.

``make_engine(name)`` builds ``"pocketsphinx"`` or ``"synthetic"``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

__all__ = ["ENGINES", "Engine", "Recognizer", "Segment", "Word", "make_engine"]

#: engine names accepted by ``make_engine`` and ``--engine``
ENGINES = ("pocketsphinx", "synthetic")


@dataclass(frozen=True)
class Word:
    """A recognized word: its text, times in seconds and confidence in [0, 1]."""

    content: str
    start: float
    end: float
    confidence: float


@dataclass(frozen=True)
class Segment:
    """Speech between two pauses: the words so far (partial) or for good (final)."""

    words: tuple[Word, ...]
    start: float
    end: float
    final: bool


class Recognizer(ABC):
    """One session's (one channel's) recognition state."""

    @abstractmethod
    def feed(self, pcm: bytes, *, partial: bool = False) -> list[Segment]:
        """Recognize *pcm*; finals of the pauses found, then a partial if asked for."""

    @abstractmethod
    def finish(self) -> list[Segment]:
        """The end of the audio: the final of the speech still open (or nothing)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release what the recognizer holds; it is not used afterwards."""


class Engine(ABC):
    """A recognizer factory shared by the sessions of one server."""

    name: str = "engine"
    #: the rate, in Hz, of the mono int16 PCM its recognizers take
    sample_rate: int = 16000
    #: True when calls may take long enough that they belong in a worker thread
    blocking: bool = False

    @abstractmethod
    def open(self) -> Recognizer:
        """A new recognizer for one channel of one session."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release shared resources when the server stops."""


def make_engine(name: str) -> Engine:
    """The engine called *name* (one of :data:`ENGINES`)."""
    if name == "synthetic":
        from .synthetic import SyntheticEngine

        return SyntheticEngine()
    if name == "pocketsphinx":
        from .pocketsphinx import PocketsphinxEngine

        return PocketsphinxEngine()
    raise ValueError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")
