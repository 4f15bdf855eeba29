"""Transcription results as frozen dataclasses, mirroring the service's JSON.

``TranscriptEvent.from_json(obj)`` parses the payload of a ``TranscriptEvent``
message (``{"Transcript": {"Results": [...]}}``); ``to_json()`` builds it back,
omitting absent fields as the service does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Alternative",
    "Entity",
    "Item",
    "LanguageWithScore",
    "Result",
    "TranscriptEvent",
]


def _opt(obj: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        obj[key] = value


@dataclass(frozen=True)
class Item:
    """One word or punctuation mark, with its times in seconds from the stream start."""

    start_time: float
    end_time: float
    type: str  # "pronunciation" or "punctuation"
    content: str
    vocabulary_filter_match: bool = False
    confidence: float | None = None
    speaker: str | None = None
    stable: bool | None = None

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Item:
        """Parse one entry of ``Items``."""
        return cls(
            start_time=float(obj.get("StartTime", 0.0)),
            end_time=float(obj.get("EndTime", 0.0)),
            type=str(obj.get("Type", "pronunciation")),
            content=str(obj.get("Content", "")),
            vocabulary_filter_match=bool(obj.get("VocabularyFilterMatch", False)),
            confidence=obj.get("Confidence"),
            speaker=obj.get("Speaker"),
            stable=obj.get("Stable"),
        )

    def to_json(self) -> dict[str, Any]:
        """The service's JSON object for this item."""
        out: dict[str, Any] = {
            "Content": self.content,
            "EndTime": self.end_time,
            "StartTime": self.start_time,
            "Type": self.type,
            "VocabularyFilterMatch": self.vocabulary_filter_match,
        }
        _opt(out, "Confidence", self.confidence)
        _opt(out, "Speaker", self.speaker)
        _opt(out, "Stable", self.stable)
        return out


@dataclass(frozen=True)
class Entity:
    """A PII entity found in the transcript (content identification or redaction)."""

    start_time: float
    end_time: float
    category: str
    type: str
    content: str
    confidence: float | None = None

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Entity:
        """Parse one entry of ``Entities``."""
        return cls(
            start_time=float(obj.get("StartTime", 0.0)),
            end_time=float(obj.get("EndTime", 0.0)),
            category=str(obj.get("Category", "")),
            type=str(obj.get("Type", "")),
            content=str(obj.get("Content", "")),
            confidence=obj.get("Confidence"),
        )

    def to_json(self) -> dict[str, Any]:
        """The service's JSON object for this entity."""
        out: dict[str, Any] = {
            "Category": self.category,
            "Content": self.content,
            "EndTime": self.end_time,
            "StartTime": self.start_time,
            "Type": self.type,
        }
        _opt(out, "Confidence", self.confidence)
        return out


@dataclass(frozen=True)
class Alternative:
    """One hypothesis of a result: its text, its items and entities."""

    transcript: str
    items: tuple[Item, ...] = ()
    entities: tuple[Entity, ...] = ()

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Alternative:
        """Parse one entry of ``Alternatives``."""
        return cls(
            transcript=str(obj.get("Transcript", "")),
            items=tuple(Item.from_json(i) for i in obj.get("Items") or ()),
            entities=tuple(Entity.from_json(e) for e in obj.get("Entities") or ()),
        )

    def to_json(self) -> dict[str, Any]:
        """The service's JSON object for this alternative."""
        out: dict[str, Any] = {
            "Items": [i.to_json() for i in self.items],
            "Transcript": self.transcript,
        }
        if self.entities:
            out["Entities"] = [e.to_json() for e in self.entities]
        return out


@dataclass(frozen=True)
class LanguageWithScore:
    """A candidate language and its score (language identification)."""

    language_code: str
    score: float

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> LanguageWithScore:
        """Parse one entry of ``LanguageIdentification``."""
        return cls(str(obj.get("LanguageCode", "")), float(obj.get("Score", 0.0)))

    def to_json(self) -> dict[str, Any]:
        """The service's JSON object."""
        return {"LanguageCode": self.language_code, "Score": self.score}


@dataclass(frozen=True)
class Result:
    """A segment of speech: partial (it may still change) or final.

    ``result_id`` stays the same across the partial results of one segment and
    its final result.
    """

    result_id: str
    start_time: float
    end_time: float
    is_partial: bool
    alternatives: tuple[Alternative, ...] = ()
    channel_id: str | None = None
    language_code: str | None = None
    language_identification: tuple[LanguageWithScore, ...] = ()

    @property
    def transcript(self) -> str:
        """The best alternative's text ("" when there is none)."""
        return self.alternatives[0].transcript if self.alternatives else ""

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Result:
        """Parse one entry of ``Results``."""
        return cls(
            result_id=str(obj.get("ResultId", "")),
            start_time=float(obj.get("StartTime", 0.0)),
            end_time=float(obj.get("EndTime", 0.0)),
            is_partial=bool(obj.get("IsPartial", False)),
            alternatives=tuple(Alternative.from_json(a) for a in obj.get("Alternatives") or ()),
            channel_id=obj.get("ChannelId"),
            language_code=obj.get("LanguageCode"),
            language_identification=tuple(
                LanguageWithScore.from_json(x) for x in obj.get("LanguageIdentification") or ()
            ),
        )

    def to_json(self) -> dict[str, Any]:
        """The service's JSON object for this result."""
        out: dict[str, Any] = {
            "Alternatives": [a.to_json() for a in self.alternatives],
            "EndTime": self.end_time,
            "IsPartial": self.is_partial,
            "ResultId": self.result_id,
            "StartTime": self.start_time,
        }
        _opt(out, "ChannelId", self.channel_id)
        _opt(out, "LanguageCode", self.language_code)
        if self.language_identification:
            out["LanguageIdentification"] = [x.to_json() for x in self.language_identification]
        return out


@dataclass(frozen=True)
class TranscriptEvent:
    """The payload of one ``TranscriptEvent`` message.

    >>> ev = TranscriptEvent.from_json({"Transcript": {"Results": [
    ...     {"ResultId": "r1", "StartTime": 0.1, "EndTime": 0.9, "IsPartial": False,
    ...      "Alternatives": [{"Transcript": "hello", "Items": []}]}]}})
    >>> ev.results[0].transcript, TranscriptEvent.from_json(ev.to_json()) == ev
    ('hello', True)
    """

    results: tuple[Result, ...] = field(default_factory=tuple)

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> TranscriptEvent:
        """Parse ``{"Transcript": {"Results": [...]}}``."""
        transcript = obj.get("Transcript") or {}
        return cls(tuple(Result.from_json(r) for r in transcript.get("Results") or ()))

    def to_json(self) -> dict[str, Any]:
        """Build ``{"Transcript": {"Results": [...]}}``."""
        return {"Transcript": {"Results": [r.to_json() for r in self.results]}}
