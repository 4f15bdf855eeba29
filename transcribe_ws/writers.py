"""Output formats for final results: plain text, JSON Lines, SRT and WebVTT.

Each writer takes results one at a time as they arrive (``add``; partial
results are ignored) and is told when the stream is over (``finish``)::

    writer = make_writer("srt", sys.stdout)
    for result in results:
        writer.add(result)
    writer.finish()

- ``text``: one line per final result, its best transcript (prefixed with the
  channel, ``ch_0: ``, when the result has one).
- ``jsonl``: one JSON object per final result: the ``Result`` fields in
  snake_case plus ``transcript``, the best alternative's text.
- ``srt`` / ``vtt``: subtitle cues built from the final results' word
  timings, at most two lines of 42 characters and 6 seconds each, split after
  sentence punctuation when a cue is already long.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any, TextIO

from .models import Item, Result

__all__ = [
    "FORMATS",
    "MAX_CUE_SECONDS",
    "MAX_LINE_CHARS",
    "Cue",
    "JsonlWriter",
    "SrtWriter",
    "TextWriter",
    "VttWriter",
    "Writer",
    "cues_for",
    "make_writer",
    "result_to_dict",
]

FORMATS = ("text", "jsonl", "srt", "vtt")
#: Subtitle limits: characters per line (two lines per cue), seconds per cue.
MAX_LINE_CHARS = 42
MAX_CUE_SECONDS = 6.0
_MIN_CUE_SECONDS = 0.3
_SENTENCE_END = (".", "?", "!")


def result_to_dict(result: Result) -> dict[str, Any]:
    """The ``jsonl`` object of a result: its fields in snake_case plus ``transcript``."""
    out = dataclasses.asdict(result)
    out["transcript"] = result.transcript
    return out


@dataclass(frozen=True)
class Cue:
    """One subtitle: times in seconds and up to two lines of text."""

    start: float
    end: float
    lines: tuple[str, ...]


def _join(words: list[Item]) -> str:
    text = ""
    for item in words:
        if item.type == "punctuation" or not text:
            text += item.content
        else:
            text += " " + item.content
    return text


def _wrap(text: str, width: int = MAX_LINE_CHARS) -> tuple[str, ...]:
    """One line if it fits, else two lines split at the space nearest the middle."""
    if len(text) <= width:
        return (text,)
    spaces = [i for i, c in enumerate(text) if c == " "]
    if not spaces:
        return (text,)
    middle = len(text) / 2
    cut = min(spaces, key=lambda i: (abs(i - middle), i))
    return (text[:cut], text[cut + 1 :])


def _items_for(result: Result) -> list[Item]:
    """Timed items of the best alternative; evenly spread words when there are none."""
    alternative = result.alternatives[0] if result.alternatives else None
    if alternative is None:
        return []
    items = [i for i in alternative.items if i.content]
    if items:
        return items
    words = alternative.transcript.split()
    if not words:
        return []
    span = max(result.end_time - result.start_time, 0.0) / len(words)
    return [
        Item(result.start_time + k * span, result.start_time + (k + 1) * span, "pronunciation", w)
        for k, w in enumerate(words)
    ]


def cues_for(
    result: Result, *, max_chars: int = 2 * MAX_LINE_CHARS, max_seconds: float = MAX_CUE_SECONDS
) -> list[Cue]:
    """Subtitle cues for one final result, split at sensible lengths."""
    items = _items_for(result)
    cues: list[Cue] = []
    group: list[Item] = []

    def flush() -> None:
        if not group:
            return
        words = [i for i in group if i.type != "punctuation"] or group
        start, end = words[0].start_time, max(i.end_time for i in group)
        cues.append(Cue(start, max(end, start + _MIN_CUE_SECONDS), _wrap(_join(group))))
        group.clear()

    for item in items:
        if group and item.type != "punctuation":
            text = _join([*group, item])
            too_long = len(text) > max_chars
            too_slow = item.end_time - group[0].start_time > max_seconds
            sentence = group[-1].content.endswith(_SENTENCE_END) and len(_join(group)) >= (
                max_chars // 2
            )
            if too_long or too_slow or sentence:
                flush()
        group.append(item)
    flush()
    # Cues never overlap the next one.
    for k in range(len(cues) - 1):
        if cues[k].end > cues[k + 1].start:
            cues[k] = Cue(cues[k].start, max(cues[k + 1].start, cues[k].start), cues[k].lines)
    return cues


def _timestamp(seconds: float, separator: str) -> str:
    ms = max(0, round(seconds * 1000))
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{ms:03d}"


class Writer:
    """Base class: ``add`` each result as it arrives, ``finish`` at the end."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.count = 0  # final results written

    def add(self, result: Result) -> None:
        """Write *result* if it is final (partial results are ignored)."""
        if result.is_partial:
            return
        self.count += 1
        self._write(result)
        self.out.flush()

    def _write(self, result: Result) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """The stream is over (flushes the output)."""
        self.out.flush()


class TextWriter(Writer):
    """One line per final result."""

    def _write(self, result: Result) -> None:
        text = result.transcript.strip()
        if not text:
            return
        prefix = f"{result.channel_id}: " if result.channel_id else ""
        self.out.write(f"{prefix}{text}\n")


class JsonlWriter(Writer):
    """One JSON object per final result (``result_to_dict``)."""

    def _write(self, result: Result) -> None:
        self.out.write(json.dumps(result_to_dict(result), ensure_ascii=False) + "\n")


class SrtWriter(Writer):
    """SubRip: numbered cues, ``00:00:01,000 --> 00:00:02,500``, blank line after each."""

    def __init__(self, out: TextIO) -> None:
        super().__init__(out)
        self.cue_count = 0

    def _write(self, result: Result) -> None:
        for cue in cues_for(result):
            self.cue_count += 1
            self.out.write(
                f"{self.cue_count}\n{_timestamp(cue.start, ',')} --> "
                f"{_timestamp(cue.end, ',')}\n" + "\n".join(cue.lines) + "\n\n"
            )


class VttWriter(Writer):
    """WebVTT: the ``WEBVTT`` header, then ``00:00:01.000 --> 00:00:02.500`` cues."""

    def __init__(self, out: TextIO) -> None:
        super().__init__(out)
        self.out.write("WEBVTT\n\n")

    def _write(self, result: Result) -> None:
        for cue in cues_for(result):
            self.out.write(
                f"{_timestamp(cue.start, '.')} --> {_timestamp(cue.end, '.')}\n"
                + "\n".join(cue.lines)
                + "\n\n"
            )


def make_writer(format: str, out: TextIO) -> Writer:
    """The writer for *format* (one of ``FORMATS``) on *out*."""
    writers: dict[str, type[Writer]] = {
        "text": TextWriter,
        "jsonl": JsonlWriter,
        "srt": SrtWriter,
        "vtt": VttWriter,
    }
    if format not in writers:
        raise ValueError(f"format {format!r} is not allowed; allowed: {', '.join(FORMATS)}")
    return writers[format](out)
