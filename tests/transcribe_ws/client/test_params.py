"""Every query option as a keyword: refused before connecting, accepted by the server when valid."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from client_support import CREDS

import transcribe_ws
from sigv4 import verify_presigned_url
from transcribe_ws import ParameterError, TranscriptEvent
from transcribe_ws.client import build_url
from transcribe_ws.params import PARAMS
from transcribe_ws.server import Server

#: Where nothing listens: a ParameterError proves the check came before connecting.
NOWHERE = "ws://127.0.0.1:9"

LANGUAGE_ID = {"language_code": None, "identify_language": True}
MEDICAL = {"kind": "medical", "specialty": "PRIMARYCARE", "type": "CONVERSATION"}

#: parameter → (keywords with a bad value, the name the error must give)
BAD: dict[str, tuple[dict[str, Any], str]] = {
    "language-code": ({"language_code": "xx-XX"}, "language-code"),
    "media-encoding": ({"media_encoding": "mp3"}, "media-encoding"),
    "sample-rate": ({"sample_rate": 4000}, "sample-rate"),
    "session-id": ({"session_id": "not-a-uuid"}, "session-id"),
    "vocabulary-name": ({"vocabulary_name": "bad name!"}, "vocabulary-name"),
    "vocabulary-names": ({"vocabulary_names": []}, "vocabulary-names"),
    "vocabulary-filter-name": ({"vocabulary_filter_name": "a b"}, "vocabulary-filter-name"),
    "vocabulary-filter-names": ({"vocabulary_filter_names": ["f1", ""]}, "vocabulary-filter-names"),
    "vocabulary-filter-method": (
        {"vocabulary_filter_name": "f1", "vocabulary_filter_method": "hide"},
        "vocabulary-filter-method",
    ),
    "language-model-name": ({"language_model_name": "m/1"}, "language-model-name"),
    "show-speaker-label": ({"show_speaker_label": "yes"}, "show-speaker-label"),
    "enable-channel-identification": (
        {"enable_channel_identification": 1, "number_of_channels": 2},
        "enable-channel-identification",
    ),
    "number-of-channels": (
        {"enable_channel_identification": True, "number_of_channels": 3},
        "number-of-channels",
    ),
    "enable-partial-results-stabilization": (
        {"enable_partial_results_stabilization": "true"},
        "enable-partial-results-stabilization",
    ),
    "partial-results-stability": (
        {"enable_partial_results_stabilization": True, "partial_results_stability": "highest"},
        "partial-results-stability",
    ),
    "content-identification-type": (
        {"content_identification_type": "PHI"},
        "content-identification-type",
    ),
    "content-redaction-type": ({"content_redaction_type": "PHI"}, "content-redaction-type"),
    "pii-entity-types": (
        {"content_redaction_type": "PII", "pii_entity_types": ["NAME", "PASSPORT"]},
        "pii-entity-types",
    ),
    "identify-language": ({"language_code": None, "identify_language": "on"}, "identify-language"),
    "identify-multiple-languages": (
        {"language_code": None, "identify_multiple_languages": 1},
        "identify-multiple-languages",
    ),
    "language-options": ({**LANGUAGE_ID, "language_options": ["en-US"]}, "language-options"),
    "preferred-language": (
        {**LANGUAGE_ID, "language_options": ["en-US", "es-US"], "preferred_language": "fr-FR"},
        "preferred-language",
    ),
    "specialty": ({**MEDICAL, "specialty": "DENTISTRY"}, "specialty"),
    "type": ({**MEDICAL, "type": "CHAT"}, "type"),
}

#: parameter → keywords with a valid value (the server must accept the handshake)
GOOD: dict[str, dict[str, Any]] = {
    "language-code": {"language_code": "es-US"},
    "media-encoding": {"media_encoding": "pcm"},
    "sample-rate": {"sample_rate": 8000},
    "session-id": {"session_id": uuid.uuid4()},
    "vocabulary-name": {"vocabulary_name": "my-vocabulary"},
    "vocabulary-names": {"vocabulary_names": ["v1", "v2"]},
    "vocabulary-filter-name": {"vocabulary_filter_name": "filter_1"},
    "vocabulary-filter-names": {"vocabulary_filter_names": "f1,f2"},
    "vocabulary-filter-method": {"vocabulary_filter_name": "f1", "vocabulary_filter_method": "tag"},
    "language-model-name": {"language_model_name": "model.1"},
    "show-speaker-label": {"show_speaker_label": True},
    "enable-channel-identification": {
        "enable_channel_identification": True,
        "number_of_channels": 2,
    },
    "number-of-channels": {"enable_channel_identification": True, "number_of_channels": 2},
    "enable-partial-results-stabilization": {"enable_partial_results_stabilization": False},
    "partial-results-stability": {
        "enable_partial_results_stabilization": True,
        "partial_results_stability": "low",
    },
    "content-identification-type": {"content_identification_type": "PII"},
    "content-redaction-type": {"content_redaction_type": "PII"},
    "pii-entity-types": {"content_identification_type": "PII", "pii_entity_types": ["NAME", "SSN"]},
    "identify-language": {**LANGUAGE_ID, "language_options": ["en-US", "es-US"]},
    "identify-multiple-languages": {
        "language_code": None,
        "identify_multiple_languages": True,
        "language_options": "en-US,fr-FR,de-DE",
    },
    "language-options": {**LANGUAGE_ID, "language_options": ("en-GB", "en-US")},
    "preferred-language": {
        **LANGUAGE_ID,
        "language_options": ["en-US", "es-US"],
        "preferred_language": "es-US",
    },
    "specialty": {**MEDICAL, "specialty": "CARDIOLOGY"},
    "type": {**MEDICAL, "type": "DICTATION"},
}


def test_every_parameter_is_covered() -> None:
    assert set(BAD) == set(PARAMS) == set(GOOD)


@pytest.mark.parametrize("name", sorted(BAD))
async def test_bad_value_refused_before_connecting(name: str) -> None:
    keywords, parameter = BAD[name]
    with pytest.raises(ParameterError) as info:
        async with transcribe_ws.connect(endpoint=NOWHERE, credentials=CREDS, **keywords):
            pytest.fail("connected")
    assert info.value.parameter == parameter
    assert isinstance(info.value, ValueError)
    assert str(info.value).startswith(f"{parameter}: ")


@pytest.mark.parametrize("name", sorted(GOOD))
async def test_valid_value_accepted_by_the_server(synthetic: Server, name: str) -> None:
    async with transcribe_ws.connect(
        endpoint=synthetic.url, credentials=CREDS, **GOOD[name]
    ) as stream:
        await stream.send_audio(bytes(640 * (2 if "number_of_channels" in GOOD[name] else 1)))
        await stream.end()
        events = [e async for e in stream]
    assert all(isinstance(e, TranscriptEvent) for e in events)


@pytest.mark.parametrize(
    "keywords, parameter",
    [
        ({"colour": "blue"}, "colour"),
        ({"specialty": "CARDIOLOGY"}, "specialty"),  # medical only
        ({"kind": "dictation"}, "kind"),
        ({"expires": 301}, "X-Amz-Expires"),
        ({"expires": 0}, "X-Amz-Expires"),
        ({"keepalive": 20.0}, "keepalive"),
        ({"endpoint": "http://127.0.0.1:9"}, "endpoint"),
        ({"endpoint": "ws://127.0.0.1:9/?a=1"}, "endpoint"),
        ({"endpoint": "ws://127.0.0.1:9/other-path"}, "endpoint"),
        ({"endpoint": None}, "region"),  # no endpoint and no region anywhere
        ({"endpoint": None, "region": "eu west 1"}, "region"),
        ({"kind": "call-analytics", "language_code": "ja-JP"}, "language-code"),
    ],
)
async def test_other_refusals(keywords: dict[str, Any], parameter: str) -> None:
    arguments: dict[str, Any] = {"endpoint": NOWHERE, "credentials": CREDS, **keywords}
    with pytest.raises(ParameterError) as info:
        async with transcribe_ws.connect(**arguments):
            pytest.fail("connected")
    assert info.value.parameter == parameter


@pytest.mark.parametrize(
    "kind, path",
    [
        ("standard", "/stream-transcription-websocket"),
        ("medical", "/medical-stream-transcription-websocket"),
        ("call-analytics", "/call-analytics-stream-transcription-websocket"),
    ],
)
def test_region_endpoints_and_signature(
    monkeypatch: pytest.MonkeyPatch, kind: str, path: str
) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-west-2")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", CREDS.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", CREDS.secret_key)
    monkeypatch.setenv("AWS_SESSION_TOKEN", "session-token/+=")
    extra = MEDICAL if kind == "medical" else {"kind": kind}
    url = build_url(sample_rate=8000, **extra)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "wss",
        "transcribestreaming.eu-west-2.amazonaws.com:8443",
        path,
    )
    query = dict(parse_qsl(parts.query))
    assert query["X-Amz-Expires"] == "300"
    assert query["X-Amz-Security-Token"] == "session-token/+="
    assert query["X-Amz-Credential"].startswith(f"{CREDS.access_key}/")
    assert "/eu-west-2/transcribe/aws4_request" in query["X-Amz-Credential"]
    assert query["X-Amz-SignedHeaders"] == "host"
    assert query["sample-rate"] == "8000" and query["media-encoding"] == "pcm"
    key = verify_presigned_url(
        url, secret_for={CREDS.access_key: CREDS.secret_key}.get, service="transcribe"
    )
    assert key == CREDS.access_key


def test_explicit_region_wins_and_expires_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-west-2")
    url = build_url(region="ap-southeast-2", credentials=CREDS, expires=60)
    assert urlsplit(url).hostname == "transcribestreaming.ap-southeast-2.amazonaws.com"
    assert dict(parse_qsl(urlsplit(url).query))["X-Amz-Expires"] == "60"


def test_endpoint_base_url_gets_the_path() -> None:
    url = build_url(endpoint="wss://127.0.0.1:8443/", credentials=CREDS, kind="call-analytics")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "wss",
        "127.0.0.1:8443",
        "/call-analytics-stream-transcription-websocket",
    )


def test_missing_credentials_are_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    from sigv4 import CredentialsNotFound

    with pytest.raises(CredentialsNotFound):
        build_url(endpoint=NOWHERE)


def test_redacted_url_hides_the_signature() -> None:
    opener = transcribe_ws.connect(endpoint=NOWHERE, credentials=CREDS)
    assert "X-Amz-Signature=REDACTED" in opener.url
    assert CREDS.secret_key not in opener.url


def test_language_code_defaults_to_en_us_unless_identifying() -> None:
    query = dict(parse_qsl(urlsplit(build_url(endpoint=NOWHERE, credentials=CREDS)).query))
    assert query["language-code"] == "en-US"
    url = build_url(
        endpoint=NOWHERE,
        credentials=CREDS,
        identify_language=True,
        language_options=["en-US", "de-DE"],
    )
    query = dict(parse_qsl(urlsplit(url).query))
    assert "language-code" not in query and query["language-options"] == "en-US,de-DE"
