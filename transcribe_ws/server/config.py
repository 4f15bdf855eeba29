"""What a session was asked for, read from the validated query parameters."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["SessionConfig"]


@dataclass(frozen=True)
class SessionConfig:
    """The options of one stream, from the query parameters the handshake accepted."""

    kind: str = "standard"
    language_code: str = "en-US"
    sample_rate: int = 16000
    media_encoding: str = "pcm"
    session_id: str = ""
    channels: int = 1
    channel_identification: bool = False
    stabilization: bool = False
    stability: str = "high"
    speaker_labels: bool = False
    language_options: tuple[str, ...] = ()

    @classmethod
    def from_query(cls, kind: str, query: Mapping[str, str]) -> SessionConfig:
        """The config for *query* (already checked with ``params.check_query``)."""
        identify = (
            query.get("identify-language") == "true"
            or query.get("identify-multiple-languages") == "true"
        )
        options = tuple(query["language-options"].split(",")) if identify else ()
        language = query.get("language-code") or query.get("preferred-language") or options[0]
        channel_id = query.get("enable-channel-identification") == "true"
        return cls(
            kind=kind,
            language_code=language,
            sample_rate=int(query["sample-rate"]),
            media_encoding=query.get("media-encoding", "pcm"),
            session_id=query.get("session-id") or str(uuid.uuid4()),
            channels=int(query.get("number-of-channels", "2")) if channel_id else 1,
            channel_identification=channel_id,
            stabilization=query.get("enable-partial-results-stabilization") == "true",
            stability=query.get("partial-results-stability", "high"),
            speaker_labels=query.get("show-speaker-label") == "true",
            language_options=options,
        )
