"""The Transcribe streaming protocol on top of the event-stream codec, sans-I/O.

Messages the client sends (``audio_event``, ``end_of_stream``) and the server
sends (``transcript_event``, ``exception_event``), and the parsers for both
directions.  The client and the local server both use this module, so the
shapes live once.

>>> from evstream import decode
>>> parse_client_message(decode(audio_event(b"\\x01\\x00")))
AudioChunk(pcm=b'\\x01\\x00')
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from evstream import EventStreamError, Message, decode, encode

from .errors import error_for
from .models import TranscriptEvent

__all__ = [
    "AUDIO_HEADERS",
    "AudioChunk",
    "EndOfStream",
    "ProtocolError",
    "audio_event",
    "end_of_stream",
    "exception_event",
    "parse_client_message",
    "parse_server_message",
    "transcript_event",
]

AUDIO_HEADERS = {
    ":message-type": "event",
    ":event-type": "AudioEvent",
    ":content-type": "application/octet-stream",
}
_TRANSCRIPT_HEADERS = {
    ":message-type": "event",
    ":event-type": "TranscriptEvent",
    ":content-type": "application/json",
}


class ProtocolError(ValueError):
    """A message does not follow the protocol (the server answers BadRequestException)."""


@dataclass(frozen=True)
class AudioChunk:
    """PCM audio sent by the client (int16 little-endian, channels interleaved)."""

    pcm: bytes


@dataclass(frozen=True)
class EndOfStream:
    """The client has no more audio (an empty audio event or an empty frame)."""


def audio_event(pcm: bytes) -> bytes:
    """One AudioEvent message carrying *pcm*."""
    return encode(AUDIO_HEADERS, pcm)


def end_of_stream() -> bytes:
    """The empty AudioEvent that ends the audio stream."""
    return encode(AUDIO_HEADERS, b"")


def transcript_event(event: TranscriptEvent) -> bytes:
    """A TranscriptEvent message with the service's JSON payload."""
    payload = json.dumps(event.to_json(), separators=(",", ":"), ensure_ascii=False)
    return encode(_TRANSCRIPT_HEADERS, payload.encode())


def exception_event(exception_type: str, message: str) -> bytes:
    """An exception message, as the service sends before closing."""
    headers = {
        ":message-type": "exception",
        ":exception-type": exception_type,
        ":content-type": "application/json",
    }
    return encode(headers, json.dumps({"Message": message}).encode())


def _unwrap_envelope(message: Message) -> Message | None:
    """The inner message of a signed envelope (``:date`` + ``:chunk-signature``).

    Returns None for an envelope with an empty payload (the signed end of stream).
    """
    if not message.payload:
        return None
    try:
        return decode(message.payload)
    except EventStreamError as exc:
        raise ProtocolError(f"the signed envelope does not hold a valid message: {exc}") from None


def parse_client_message(message: Message) -> AudioChunk | EndOfStream | None:
    """What a client message means to the server.

    Audio events with or without ``:content-type``; events wrapped in a signed
    envelope; an empty audio event or envelope ends the stream.  Returns None
    for events the server accepts and ignores (a call-analytics
    ConfigurationEvent).  Raises ProtocolError otherwise.
    """
    headers = message.headers
    if ":chunk-signature" in headers and ":message-type" not in headers:
        inner = _unwrap_envelope(message)
        if inner is None:
            return EndOfStream()
        if ":chunk-signature" in inner.headers:
            raise ProtocolError("a signed envelope inside a signed envelope")
        return parse_client_message(inner)
    message_type = headers.get(":message-type")
    if message_type != "event":
        raise ProtocolError(f"unexpected :message-type {message_type!r}; expected 'event'")
    event_type = headers.get(":event-type")
    if event_type == "AudioEvent":
        content_type = headers.get(":content-type", "application/octet-stream")
        if content_type != "application/octet-stream":
            raise ProtocolError(
                f"unexpected :content-type {content_type!r} for AudioEvent; "
                "expected 'application/octet-stream'"
            )
        return AudioChunk(message.payload) if message.payload else EndOfStream()
    if event_type == "ConfigurationEvent":
        return None
    raise ProtocolError(f"unknown event type {event_type!r}; expected 'AudioEvent'")


def parse_server_message(message: Message) -> TranscriptEvent | None:
    """A transcript event from the server; raises the typed error for an exception.

    Returns None for events the client does not model (they are skipped).
    """
    headers = message.headers
    message_type = headers.get(":message-type")
    if message_type == "event":
        if headers.get(":event-type") != "TranscriptEvent":
            return None
        return TranscriptEvent.from_json(_json(message.payload))
    if message_type == "exception":
        body = _json(message.payload) if message.payload else {}
        text = str(body.get("Message") or body.get("message") or "")
        raise error_for(str(headers.get(":exception-type", "TranscribeError")), text)
    if message_type == "error":
        raise error_for(
            str(headers.get(":error-code", "TranscribeError")),
            str(headers.get(":error-message", "")),
        )
    raise ProtocolError(f"unexpected :message-type {message_type!r} from the server")


def _json(payload: bytes) -> dict[str, Any]:
    try:
        obj = json.loads(payload)
    except ValueError as exc:
        raise ProtocolError(f"payload is not JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise ProtocolError("payload is not a JSON object")
    return obj
