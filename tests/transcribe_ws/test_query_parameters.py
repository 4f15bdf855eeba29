"""Query parameters: every option's validation, client side and server side alike."""

from __future__ import annotations

import uuid

import pytest

from transcribe_ws.errors import ParameterError
from transcribe_ws.params import (
    LANGUAGE_CODES,
    PARAMS,
    build_query,
    check_query,
    endpoint_for_region,
    kind_for_path,
)

BASE = {"language-code": "en-US", "media-encoding": "pcm", "sample-rate": "16000"}
MEDICAL = {**BASE, "specialty": "PRIMARYCARE", "type": "DICTATION"}


def refused(kind: str, query: dict[str, str]) -> ParameterError:
    with pytest.raises(ParameterError) as info:
        check_query(kind, query)
    return info.value


def test_minimal_queries_pass() -> None:
    assert check_query("standard", BASE) == BASE
    assert check_query("medical", MEDICAL) == MEDICAL
    assert check_query("call-analytics", BASE) == BASE


def test_signature_parameters_are_ignored() -> None:
    q = {**BASE, "X-Amz-Signature": "abc", "X-Amz-Security-Token": "t"}
    assert check_query("standard", q) == BASE


@pytest.mark.parametrize(
    ("extra", "parameter", "fragment"),
    [
        ({"sample-rate": "4000"}, "sample-rate", "4000 is not allowed; allowed: 8000 to 48000"),
        ({"sample-rate": "48001"}, "sample-rate", "allowed: 8000 to 48000"),
        ({"sample-rate": "fast"}, "sample-rate", "'fast' is not an integer"),
        ({"media-encoding": "mp3"}, "media-encoding", "allowed: pcm, ogg-opus, flac"),
        ({"language-code": "xx-XX"}, "language-code", "not a streaming language code"),
        ({"session-id": "nope"}, "session-id", "'nope' is not a UUID"),
        ({"show-speaker-label": "yes"}, "show-speaker-label", "allowed: true, false"),
        ({"vocabulary-filter-method": "hide"}, "vocabulary-filter-method", "allowed: remove"),
        ({"vocabulary-name": "bad name!"}, "vocabulary-name", "letters, digits"),
        ({"partial-results-stability": "high"}, "partial-results-stability", "requires enable"),
        (
            {"enable-partial-results-stabilization": "true", "partial-results-stability": "max"},
            "partial-results-stability",
            "allowed: high, medium, low",
        ),
        ({"number-of-channels": "2"}, "number-of-channels", "requires enable-channel"),
        ({"enable-channel-identification": "true"}, "number-of-channels", "is required"),
        (
            {"enable-channel-identification": "true", "number-of-channels": "3"},
            "number-of-channels",
            "3 is not allowed; allowed: 2",
        ),
        ({"pii-entity-types": "NAME"}, "pii-entity-types", "requires content-identification"),
        (
            {"content-redaction-type": "PII", "pii-entity-types": "NAME,SHOE_SIZE"},
            "pii-entity-types",
            "'SHOE_SIZE' is not allowed",
        ),
        (
            {"content-redaction-type": "PII", "content-identification-type": "PII"},
            "content-redaction-type",
            "cannot be combined",
        ),
        ({"content-identification-type": "PHI"}, "content-identification-type", "medical"),
        ({"vocabulary-filter-method": "mask"}, "vocabulary-filter-method", "requires vocabulary"),
        (
            {"vocabulary-name": "a", "vocabulary-names": "a,b"},
            "vocabulary-names",
            "cannot be combined with vocabulary-name",
        ),
        ({"language-options": "en-US,es-US"}, "language-options", "requires identify-language"),
        ({"identify-language": "true"}, "language-code", "cannot be combined"),
        ({"specialty": "CARDIOLOGY"}, "specialty", "not a parameter of the standard"),
        ({"colour": "blue"}, "colour", "not a parameter of the standard streaming API"),
    ],
)
def test_standard_refusals_name_the_parameter(
    extra: dict[str, str], parameter: str, fragment: str
) -> None:
    err = refused("standard", {**BASE, **extra})
    assert err.parameter == parameter
    assert fragment in str(err)
    assert str(err).startswith(f"{parameter}: ")


@pytest.mark.parametrize(
    ("query", "parameter", "fragment"),
    [
        ({"media-encoding": "pcm", "sample-rate": "8000"}, "language-code", "is required"),
        ({"language-code": "en-US", "sample-rate": "8000"}, "media-encoding", "is required"),
        ({"language-code": "en-US", "media-encoding": "pcm"}, "sample-rate", "is required"),
        (
            {"identify-language": "true", "media-encoding": "pcm", "sample-rate": "8000"},
            "language-options",
            "is required",
        ),
    ],
)
def test_required_parameters(query: dict[str, str], parameter: str, fragment: str) -> None:
    err = refused("standard", query)
    assert err.parameter == parameter
    assert fragment in str(err)


def test_language_identification() -> None:
    q = {"media-encoding": "pcm", "sample-rate": "16000", "identify-language": "true"}
    ok = {**q, "language-options": "en-US,es-US", "preferred-language": "es-US"}
    assert check_query("standard", ok) == ok
    assert refused("standard", {**q, "language-options": "en-US"}).parameter == "language-options"
    assert "twice" in str(refused("standard", {**q, "language-options": "en-US,en-US"}))
    bad_pref = {**ok, "preferred-language": "fr-FR"}
    assert refused("standard", bad_pref).parameter == "preferred-language"
    both = {**ok, "identify-multiple-languages": "true"}
    assert refused("standard", both).parameter == "identify-multiple-languages"


def test_medical_and_call_analytics_rules() -> None:
    assert refused("medical", {**MEDICAL, "language-code": "en-GB"}).parameter == "language-code"
    assert refused("medical", BASE).parameter == "specialty"
    assert refused("medical", {**MEDICAL, "type": "CHAT"}).parameter == "type"
    assert check_query("medical", {**MEDICAL, "content-identification-type": "PHI"})
    err = refused("medical", {**MEDICAL, "content-identification-type": "PII"})
    assert err.parameter == "content-identification-type"
    err = refused("call-analytics", {**BASE, "language-code": "ja-JP"})
    assert "not allowed for call analytics" in str(err)
    err = refused("call-analytics", {**BASE, "show-speaker-label": "true"})
    assert "not a parameter of the call-analytics" in str(err)


def test_build_query_from_keywords() -> None:
    sid = uuid.UUID(int=5)
    q = build_query(
        language_code="en-US",
        sample_rate=16000,
        show_speaker_label=True,
        content_redaction_type="PII",
        pii_entity_types=["NAME", "SSN"],
        session_id=sid,
        vocabulary_name=None,
    )
    assert q == {
        "language-code": "en-US",
        "sample-rate": "16000",
        "show-speaker-label": "true",
        "content-redaction-type": "PII",
        "pii-entity-types": "NAME,SSN",
        "session-id": str(sid),
        "media-encoding": "pcm",
    }


@pytest.mark.parametrize(
    ("options", "parameter", "fragment"),
    [
        ({"sample_rate": "16000"}, "sample-rate", "use an integer"),
        ({"sample_rate": True}, "sample-rate", "use an integer"),
        ({"show_speaker_label": "true"}, "show-speaker-label", "use True or False"),
        ({"pii_entity_types": 5}, "pii-entity-types", "use a list of strings"),
        ({"language_code": 1}, "language-code", "use a string"),
        ({"colour": "blue"}, "colour", "unknown option"),
    ],
)
def test_build_query_type_errors(options: dict, parameter: str, fragment: str) -> None:
    with pytest.raises(ParameterError) as info:
        build_query(**{"language_code": "en-US", "sample_rate": 16000, **options})
    assert info.value.parameter == parameter
    assert fragment in str(info.value)


def test_every_parameter_has_a_keyword_and_rejects_a_wrong_value() -> None:
    """Each parameter in the table refuses an obviously wrong value through build_query."""
    wrong = {
        "bool": "maybe",
        "int": 10**9,
        "choice": "nonsense",
        "language": "zz-ZZ",
        "uuid": "not-a-uuid",
        "name": "has space",
        "list": "",
    }
    for p in PARAMS.values():
        kind = p.kinds[0]
        base = {"language_code": "en-US", "sample_rate": 16000}
        if kind == "medical":
            base |= {"specialty": "PRIMARYCARE", "type": "DICTATION"}
        value = wrong[p.kind]
        with pytest.raises(ParameterError) as info:
            build_query(kind, **{**base, p.keyword: value})
        assert info.value.parameter == p.name, p.name


def test_language_codes_and_paths() -> None:
    assert {"en-US", "es-US", "de-DE", "ja-JP", "zh-CN"} <= LANGUAGE_CODES
    assert kind_for_path("/stream-transcription-websocket") == "standard"
    assert kind_for_path("/call-analytics-stream-transcription-websocket") == "call-analytics"
    assert kind_for_path("/other") is None
    assert endpoint_for_region("us-west-2", "medical") == (
        "wss://transcribestreaming.us-west-2.amazonaws.com:8443/medical-stream-transcription-websocket"
    )
    with pytest.raises(ParameterError, match="region"):
        endpoint_for_region("us west/2")
