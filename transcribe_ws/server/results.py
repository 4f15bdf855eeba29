"""Engine segments turned into the service's results (one builder per channel).

The builder gives every segment a ``ResultId`` (a UUID) when its first
partial goes out and keeps it until the final, capitalises the first word,
ends finals with a full stop (a punctuation item, as the service does), and
marks items ``Stable`` when partial-results stabilisation is on.
"""

from __future__ import annotations

import uuid

from ..models import Alternative, Item, LanguageWithScore, Result
from .config import SessionConfig
from .engines import Segment

__all__ = ["ResultBuilder"]

#: words at the end of a partial that may still change, by partial-results-stability
_UNSTABLE_TAIL = {"high": 3, "medium": 2, "low": 1}


class ResultBuilder:
    """Results for one channel of one session."""

    def __init__(self, config: SessionConfig, channel: int) -> None:
        self._config = config
        self._channel_id = f"ch_{channel}" if config.channel_identification else None
        self._result_id: str | None = None

    def result(self, segment: Segment) -> Result:
        """The result for *segment*; a final ends the segment (the next gets a new id)."""
        if self._result_id is None:
            self._result_id = str(uuid.uuid4())
        result_id = self._result_id
        if segment.final:
            self._result_id = None
        cfg = self._config
        unstable = _UNSTABLE_TAIL.get(cfg.stability, 3)
        n = len(segment.words)
        items: list[Item] = []
        for i, word in enumerate(segment.words):
            content = word.content
            if i == 0:
                content = content[:1].upper() + content[1:]
            if content == "i" or content.startswith("i'"):
                content = "I" + content[1:]
            stable: bool | None = None
            if cfg.stabilization:
                stable = segment.final or i < n - unstable
            items.append(
                Item(
                    start_time=word.start,
                    end_time=word.end,
                    type="pronunciation",
                    content=content,
                    confidence=word.confidence,
                    speaker="0" if cfg.speaker_labels else None,
                    stable=stable,
                )
            )
        if segment.final and items:
            last = items[-1].end_time
            items.append(
                Item(
                    start_time=last,
                    end_time=last,
                    type="punctuation",
                    content=".",
                    stable=True if cfg.stabilization else None,
                )
            )
        transcript = " ".join(i.content for i in items if i.type == "pronunciation")
        if segment.final and transcript:
            transcript += "."
        identification: tuple[LanguageWithScore, ...] = ()
        if cfg.language_options and segment.final:
            identification = tuple(
                LanguageWithScore(code, 1.0 if code == cfg.language_code else 0.0)
                for code in cfg.language_options
            )
        return Result(
            result_id=result_id,
            start_time=round(segment.start, 3),
            end_time=round(segment.end, 3),
            is_partial=not segment.final,
            alternatives=(Alternative(transcript, tuple(items)),),
            channel_id=self._channel_id,
            language_code=cfg.language_code,
            language_identification=identification,
        )
