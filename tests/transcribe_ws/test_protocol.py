"""The protocol messages both ways: what the client sends, what the server answers."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from evstream import decode, encode
from transcribe_ws.errors import (
    EXCEPTION_TYPES,
    BadRequestException,
    TranscribeError,
)
from transcribe_ws.models import Alternative, Item, Result, TranscriptEvent
from transcribe_ws.protocol import (
    AudioChunk,
    EndOfStream,
    ProtocolError,
    audio_event,
    end_of_stream,
    exception_event,
    parse_client_message,
    parse_server_message,
    transcript_event,
)


def envelope(inner: bytes) -> bytes:
    """A signed envelope as the AWS SDKs send it (the signature is not checked here)."""
    return encode(
        {":date": datetime(2026, 11, 25, tzinfo=timezone.utc), ":chunk-signature": b"\x01" * 32},
        inner,
    )


def test_audio_event_wire_shape() -> None:
    m = decode(audio_event(b"\x01\x02"))
    assert m.headers == {
        ":message-type": "event",
        ":event-type": "AudioEvent",
        ":content-type": "application/octet-stream",
    }
    assert m.payload == b"\x01\x02"
    assert decode(end_of_stream()).payload == b""


def test_client_messages_in_every_accepted_form() -> None:
    assert parse_client_message(decode(audio_event(b"ab"))) == AudioChunk(b"ab")
    assert parse_client_message(decode(end_of_stream())) == EndOfStream()
    bare = encode({":message-type": "event", ":event-type": "AudioEvent"}, b"cd")
    assert parse_client_message(decode(bare)) == AudioChunk(b"cd")
    assert parse_client_message(decode(envelope(audio_event(b"ef")))) == AudioChunk(b"ef")
    assert parse_client_message(decode(envelope(end_of_stream()))) == EndOfStream()
    assert parse_client_message(decode(envelope(b""))) == EndOfStream()
    config = encode({":message-type": "event", ":event-type": "ConfigurationEvent"}, b"{}")
    assert parse_client_message(decode(config)) is None


@pytest.mark.parametrize(
    ("message", "fragment"),
    [
        (encode({":message-type": "event", ":event-type": "VideoEvent"}, b""), "unknown event"),
        (encode({":message-type": "exception"}, b""), "unexpected :message-type"),
        (encode({}, b"x"), "unexpected :message-type None"),
        (
            encode(
                {":message-type": "event", ":event-type": "AudioEvent", ":content-type": "a/b"}, b""
            ),
            "unexpected :content-type",
        ),
        (envelope(b"garbage"), "signed envelope does not hold a valid message"),
        (envelope(envelope(audio_event(b"x"))), "inside a signed envelope"),
    ],
)
def test_client_protocol_errors(message: bytes, fragment: str) -> None:
    with pytest.raises(ProtocolError, match=fragment):
        parse_client_message(decode(message))


def test_transcript_event_round_trip() -> None:
    event = TranscriptEvent(
        (
            Result(
                result_id="0b5ab7ec-96ec-4f15-a3b1-6f0a1bc1a8c2",
                start_time=0.12,
                end_time=1.5,
                is_partial=False,
                alternatives=(
                    Alternative(
                        "Hello there.",
                        (
                            Item(0.12, 0.5, "pronunciation", "Hello", confidence=0.98),
                            Item(0.6, 1.5, "pronunciation", "there", confidence=0.9, stable=True),
                            Item(1.5, 1.5, "punctuation", "."),
                        ),
                    ),
                ),
                channel_id="ch_0",
                language_code="en-US",
            ),
        )
    )
    m = decode(transcript_event(event))
    assert m.headers[":event-type"] == "TranscriptEvent"
    assert m.headers[":content-type"] == "application/json"
    body = json.loads(m.payload)
    result = body["Transcript"]["Results"][0]
    assert result["ResultId"] == "0b5ab7ec-96ec-4f15-a3b1-6f0a1bc1a8c2"
    assert result["Alternatives"][0]["Items"][1] == {
        "Content": "there",
        "EndTime": 1.5,
        "StartTime": 0.6,
        "Type": "pronunciation",
        "VocabularyFilterMatch": False,
        "Confidence": 0.9,
        "Stable": True,
    }
    assert "Speaker" not in result["Alternatives"][0]["Items"][0]
    assert parse_server_message(m) == event


def test_service_json_is_parsed() -> None:
    """A payload shaped like the service's (fields it omits are defaulted)."""
    payload = {
        "Transcript": {
            "Results": [
                {
                    "Alternatives": [
                        {
                            "Items": [
                                {
                                    "Content": "hi",
                                    "EndTime": 0.4,
                                    "StartTime": 0.1,
                                    "Type": "pronunciation",
                                    "VocabularyFilterMatch": False,
                                    "Speaker": "0",
                                }
                            ],
                            "Transcript": "hi",
                            "Entities": [
                                {
                                    "Category": "PII",
                                    "Type": "NAME",
                                    "Content": "Ann",
                                    "StartTime": 0.1,
                                    "EndTime": 0.4,
                                    "Confidence": 0.7,
                                }
                            ],
                        }
                    ],
                    "EndTime": 0.4,
                    "IsPartial": True,
                    "ResultId": "r",
                    "StartTime": 0.1,
                    "LanguageIdentification": [{"LanguageCode": "en-US", "Score": 0.9}],
                }
            ]
        }
    }
    m = encode(
        {":message-type": "event", ":event-type": "TranscriptEvent"}, json.dumps(payload).encode()
    )
    ev = parse_server_message(decode(m))
    assert ev is not None
    r = ev.results[0]
    assert r.is_partial and r.transcript == "hi"
    assert r.alternatives[0].items[0].speaker == "0"
    assert r.alternatives[0].entities[0].type == "NAME"
    assert r.language_identification[0].score == 0.9
    assert TranscriptEvent.from_json(ev.to_json()) == ev


@pytest.mark.parametrize("name", sorted(EXCEPTION_TYPES))
def test_every_exception_type_becomes_its_error(name: str) -> None:
    m = decode(exception_event(name, "it went wrong"))
    assert m.headers[":message-type"] == "exception"
    assert json.loads(m.payload) == {"Message": "it went wrong"}
    with pytest.raises(EXCEPTION_TYPES[name]) as info:
        parse_server_message(m)
    assert info.value.message == "it went wrong"
    assert str(info.value) == f"{name}: it went wrong"
    assert isinstance(info.value, TranscribeError)


def test_unknown_exception_type_and_error_messages() -> None:
    with pytest.raises(TranscribeError) as info:
        parse_server_message(decode(exception_event("TeapotException", "short and stout")))
    assert type(info.value) is TranscribeError
    assert info.value.exception_type == "TeapotException"
    error = encode(
        {
            ":message-type": "error",
            ":error-code": "BadRequestException",
            ":error-message": "nope",
        }
    )
    with pytest.raises(BadRequestException, match="nope"):
        parse_server_message(decode(error))


def test_other_server_events_are_skipped_and_garbage_refused() -> None:
    other = encode({":message-type": "event", ":event-type": "UtteranceEvent"}, b"{}")
    assert parse_server_message(decode(other)) is None
    bad = encode({":message-type": "event", ":event-type": "TranscriptEvent"}, b"not json")
    with pytest.raises(ProtocolError, match="not JSON"):
        parse_server_message(decode(bad))
    with pytest.raises(ProtocolError, match="unexpected :message-type"):
        parse_server_message(decode(encode({":message-type": "party"})))


def test_doctests() -> None:
    import doctest

    from transcribe_ws import errors, models, params, protocol

    for module in (errors, models, params, protocol):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__
