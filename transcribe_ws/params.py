"""The WebSocket API's query parameters: one table, checked the same way by the client
(before connecting) and by the local server (at the handshake, as the service does).

``build_query(kind, **options)`` turns Python keywords (``sample_rate=16000``,
``pii_entity_types=["NAME", "SSN"]``) into query parameters;
``check_query(kind, query)`` validates query parameters as received.  Both
raise :class:`~transcribe_ws.errors.ParameterError` naming the parameter and
what is allowed.  ``kind`` is ``"standard"``, ``"medical"`` or
``"call-analytics"``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import ParameterError

__all__ = [
    "KINDS",
    "LANGUAGE_CODES",
    "PATHS",
    "PII_ENTITY_TYPES",
    "Param",
    "build_query",
    "check_query",
    "endpoint_for_region",
    "kind_for_path",
]

KINDS = ("standard", "medical", "call-analytics")

PATHS = {
    "standard": "/stream-transcription-websocket",
    "medical": "/medical-stream-transcription-websocket",
    "call-analytics": "/call-analytics-stream-transcription-websocket",
}

#: Languages the streaming API accepts.
LANGUAGE_CODES = frozenset(
    "en-US en-GB es-US fr-CA fr-FR en-AU it-IT de-DE pt-BR ja-JP ko-KR zh-CN th-TH es-ES "
    "ar-SA pt-PT ca-ES ar-AE hi-IN zh-HK nl-NL no-NO sv-SE pl-PL fi-FI zh-TW en-IN en-IE "
    "en-NZ en-AB en-ZA en-WL de-CH af-ZA eu-ES hr-HR cs-CZ da-DK fa-IR gl-ES el-GR he-IL "
    "id-ID lv-LV ms-MY ro-RO ru-RU sr-RS sk-SK so-SO tl-PH uk-UA vi-VN zu-ZA".split()
)
CALL_ANALYTICS_LANGUAGES = frozenset(
    "en-US en-GB es-US fr-CA fr-FR en-AU it-IT de-DE pt-BR".split()
)
PII_ENTITY_TYPES = frozenset(
    "BANK_ACCOUNT_NUMBER BANK_ROUTING CREDIT_DEBIT_NUMBER CREDIT_DEBIT_CVV "
    "CREDIT_DEBIT_EXPIRY PIN EMAIL ADDRESS NAME PHONE SSN ALL".split()
)
MEDIA_ENCODINGS = ("pcm", "ogg-opus", "flac")
SPECIALTIES = ("PRIMARYCARE", "CARDIOLOGY", "NEUROLOGY", "ONCOLOGY", "RADIOLOGY", "UROLOGY")


@dataclass(frozen=True)
class Param:
    """One query parameter: its wire name, value kind and which APIs take it."""

    name: str
    kind: str  # "bool", "int", "choice", "list", "uuid", "language", "name"
    kinds: tuple[str, ...] = KINDS
    choices: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None

    @property
    def keyword(self) -> str:
        """The Python keyword for this parameter."""
        return self.name.replace("-", "_")


_S, _M, _C = "standard", "medical", "call-analytics"

PARAMS: dict[str, Param] = {
    p.name: p
    for p in (
        Param("language-code", "language"),
        Param("media-encoding", "choice", choices=MEDIA_ENCODINGS),
        Param("sample-rate", "int", low=8000, high=48000),
        Param("session-id", "uuid"),
        Param("vocabulary-name", "name"),
        Param("vocabulary-names", "list", kinds=(_S,)),
        Param("vocabulary-filter-name", "name", kinds=(_S, _C)),
        Param("vocabulary-filter-names", "list", kinds=(_S,)),
        Param(
            "vocabulary-filter-method", "choice", kinds=(_S, _C), choices=("remove", "mask", "tag")
        ),
        Param("language-model-name", "name", kinds=(_S, _C)),
        Param("show-speaker-label", "bool", kinds=(_S, _M)),
        Param("enable-channel-identification", "bool", kinds=(_S, _M)),
        Param("number-of-channels", "int", kinds=(_S, _M), low=2, high=2),
        Param("enable-partial-results-stabilization", "bool", kinds=(_S, _C)),
        Param(
            "partial-results-stability", "choice", kinds=(_S, _C), choices=("high", "medium", "low")
        ),
        Param("content-identification-type", "choice", choices=("PII", "PHI")),
        Param("content-redaction-type", "choice", kinds=(_S, _C), choices=("PII",)),
        Param("pii-entity-types", "list", kinds=(_S, _C)),
        Param("identify-language", "bool", kinds=(_S,)),
        Param("identify-multiple-languages", "bool", kinds=(_S,)),
        Param("language-options", "list", kinds=(_S,)),
        Param("preferred-language", "language", kinds=(_S,)),
        Param("specialty", "choice", kinds=(_M,), choices=SPECIALTIES),
        Param("type", "choice", kinds=(_M,), choices=("CONVERSATION", "DICTATION")),
    )
}

#: Query parameters that belong to the signature, not to the request.
SIGNATURE_PARAMS = frozenset(
    {
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-Expires",
        "X-Amz-SignedHeaders",
        "X-Amz-Signature",
        "X-Amz-Security-Token",
    }
)


def kind_for_path(path: str) -> str | None:
    """The API kind served at *path*, or None.

    >>> kind_for_path("/medical-stream-transcription-websocket")
    'medical'
    """
    for kind, p in PATHS.items():
        if path == p:
            return kind
    return None


def endpoint_for_region(region: str, kind: str = "standard") -> str:
    """The service's WebSocket URL (without query) for *region*.

    >>> endpoint_for_region("eu-west-1")
    'wss://transcribestreaming.eu-west-1.amazonaws.com:8443/stream-transcription-websocket'
    """
    if not region or not all(c.isalnum() or c == "-" for c in region):
        raise ParameterError("region", f"{region!r} is not a valid AWS region name")
    if kind not in PATHS:
        raise ParameterError("kind", f"{kind!r} is not allowed; allowed: {', '.join(KINDS)}")
    return f"wss://transcribestreaming.{region}.amazonaws.com:8443{PATHS[kind]}"


# --------------------------------------------------------------------------- client side


def _to_text(p: Param, value: Any) -> str:
    """A Python value as the query string value, checked for its type."""
    if p.kind == "bool":
        if not isinstance(value, bool):
            raise ParameterError(p.name, f"{value!r} is not allowed; use True or False")
        return "true" if value else "false"
    if p.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParameterError(p.name, f"{value!r} is not allowed; use an integer")
        return str(value)
    if p.kind == "list":
        if isinstance(value, str):
            items = [v.strip() for v in value.split(",")]
        elif isinstance(value, Iterable):
            items = [str(v) for v in value]
        else:
            raise ParameterError(p.name, f"{value!r} is not allowed; use a list of strings")
        return ",".join(items)
    if p.kind == "uuid" and isinstance(value, uuid.UUID):
        return str(value)
    if not isinstance(value, str):
        raise ParameterError(p.name, f"{value!r} is not allowed; use a string")
    return value


def build_query(kind: str = "standard", **options: Any) -> dict[str, str]:
    """Query parameters from Python keywords, validated as the service would.

    ``None`` values are left out; ``media_encoding`` defaults to ``"pcm"``.

    >>> build_query(language_code="en-US", sample_rate=16000, show_speaker_label=True)
    {'language-code': 'en-US', 'sample-rate': '16000', 'show-speaker-label': 'true', \
'media-encoding': 'pcm'}
    """
    if kind not in KINDS:
        raise ParameterError("kind", f"{kind!r} is not allowed; allowed: {', '.join(KINDS)}")
    by_keyword = {p.keyword: p for p in PARAMS.values()}
    query: dict[str, str] = {}
    for key, value in options.items():
        p = by_keyword.get(key)
        if p is None:
            known = ", ".join(sorted(q.keyword for q in PARAMS.values() if kind in q.kinds))
            raise ParameterError(key, f"unknown option; the {kind} API takes: {known}")
        if value is None:
            continue
        query[p.name] = _to_text(p, value)
    query.setdefault("media-encoding", "pcm")
    check_query(kind, query)
    return query


# --------------------------------------------------------------------------- shared checks


def _allowed(values: Iterable[str]) -> str:
    return ", ".join(values)


def _check_one(p: Param, value: str) -> None:
    if p.kind == "bool":
        if value not in ("true", "false"):
            raise ParameterError(p.name, f"{value!r} is not allowed; allowed: true, false")
    elif p.kind == "int":
        try:
            n = int(value)
        except ValueError:
            raise ParameterError(p.name, f"{value!r} is not an integer") from None
        assert p.low is not None and p.high is not None
        if not p.low <= n <= p.high:
            allowed = str(p.low) if p.low == p.high else f"{p.low} to {p.high}"
            raise ParameterError(p.name, f"{n} is not allowed; allowed: {allowed}")
    elif p.kind == "choice":
        if value not in p.choices:
            raise ParameterError(
                p.name, f"{value!r} is not allowed; allowed: {_allowed(p.choices)}"
            )
    elif p.kind == "language":
        if value not in LANGUAGE_CODES:
            raise ParameterError(
                p.name, f"{value!r} is not a streaming language code (for example en-US, es-US)"
            )
    elif p.kind == "uuid":
        try:
            uuid.UUID(value)
        except ValueError:
            raise ParameterError(p.name, f"{value!r} is not a UUID") from None
    elif p.kind == "name":
        if not 1 <= len(value) <= 200 or not all(c.isalnum() or c in "-_." for c in value):
            raise ParameterError(
                p.name, f"{value!r} is not allowed; use 1-200 letters, digits, '-', '_' or '.'"
            )
    elif p.kind == "list":
        items = value.split(",")
        if not value or any(not i for i in items):
            raise ParameterError(p.name, "is empty or has an empty item")


def check_query(kind: str, query: Mapping[str, str]) -> dict[str, str]:
    """Validate request query parameters (signature parameters are ignored).

    Returns the request parameters.  Raises ParameterError for the first
    problem found, naming the parameter.

    >>> check_query("standard", {"language-code": "en-US", "media-encoding": "pcm",
    ...                          "sample-rate": "4000"})
    Traceback (most recent call last):
    ...
    transcribe_ws.errors.ParameterError: sample-rate: 4000 is not allowed; allowed: 8000 to 48000
    """
    q = {k: v for k, v in query.items() if k not in SIGNATURE_PARAMS}
    for name, value in q.items():
        p = PARAMS.get(name)
        if p is None or kind not in p.kinds:
            raise ParameterError(name, f"is not a parameter of the {kind} streaming API")
        _check_one(p, value)
    _check_required(kind, q)
    _check_combinations(kind, q)
    return q


def _check_required(kind: str, q: Mapping[str, str]) -> None:
    for name in ("media-encoding", "sample-rate"):
        if name not in q:
            raise ParameterError(name, "is required")
    identify = (
        q.get("identify-language") == "true" or q.get("identify-multiple-languages") == "true"
    )
    if "language-code" not in q and not identify:
        raise ParameterError(
            "language-code", "is required (or identify-language with language-options)"
        )
    if kind == "medical":
        if q.get("language-code") != "en-US":
            raise ParameterError("language-code", "the medical API allows only en-US")
        for name in ("specialty", "type"):
            if name not in q:
                raise ParameterError(name, "is required by the medical API")
    if kind == "call-analytics" and q.get("language-code") not in CALL_ANALYTICS_LANGUAGES:
        raise ParameterError(
            "language-code",
            f"{q.get('language-code')!r} is not allowed for call analytics; allowed: "
            + _allowed(sorted(CALL_ANALYTICS_LANGUAGES)),
        )


def _check_combinations(kind: str, q: Mapping[str, str]) -> None:
    if "content-identification-type" in q and "content-redaction-type" in q:
        raise ParameterError(
            "content-redaction-type", "cannot be combined with content-identification-type"
        )
    if kind == "medical" and q.get("content-identification-type", "PHI") != "PHI":
        raise ParameterError("content-identification-type", "the medical API allows only PHI")
    if kind != "medical" and q.get("content-identification-type") == "PHI":
        raise ParameterError("content-identification-type", "PHI is for the medical API; use PII")
    if "pii-entity-types" in q:
        if "content-identification-type" not in q and "content-redaction-type" not in q:
            raise ParameterError(
                "pii-entity-types", "requires content-identification-type or content-redaction-type"
            )
        bad = [t for t in q["pii-entity-types"].split(",") if t not in PII_ENTITY_TYPES]
        if bad:
            raise ParameterError(
                "pii-entity-types",
                f"{bad[0]!r} is not allowed; allowed: {_allowed(sorted(PII_ENTITY_TYPES))}",
            )
    if "vocabulary-filter-method" in q and not (
        "vocabulary-filter-name" in q or "vocabulary-filter-names" in q
    ):
        raise ParameterError(
            "vocabulary-filter-method", "requires vocabulary-filter-name or vocabulary-filter-names"
        )
    for single, multiple in (
        ("vocabulary-name", "vocabulary-names"),
        ("vocabulary-filter-name", "vocabulary-filter-names"),
    ):
        if single in q and multiple in q:
            raise ParameterError(multiple, f"cannot be combined with {single}")
    if (
        q.get("partial-results-stability")
        and q.get("enable-partial-results-stabilization") != "true"
    ):
        raise ParameterError(
            "partial-results-stability", "requires enable-partial-results-stabilization=true"
        )
    if "number-of-channels" in q and q.get("enable-channel-identification") != "true":
        raise ParameterError("number-of-channels", "requires enable-channel-identification=true")
    if q.get("enable-channel-identification") == "true" and "number-of-channels" not in q:
        raise ParameterError("number-of-channels", "is required with channel identification (2)")
    _check_language_identification(q)


def _check_language_identification(q: Mapping[str, str]) -> None:
    single = q.get("identify-language") == "true"
    multiple = q.get("identify-multiple-languages") == "true"
    if single and multiple:
        raise ParameterError(
            "identify-multiple-languages", "cannot be combined with identify-language"
        )
    if not (single or multiple):
        for name in ("language-options", "preferred-language"):
            if name in q:
                raise ParameterError(
                    name, "requires identify-language or identify-multiple-languages"
                )
        return
    flag = "identify-language" if single else "identify-multiple-languages"
    if "language-code" in q:
        raise ParameterError("language-code", f"cannot be combined with {flag}")
    if "language-options" not in q:
        raise ParameterError("language-options", f"is required with {flag}")
    options = q["language-options"].split(",")
    if len(options) < 2:
        raise ParameterError("language-options", "needs at least two languages")
    for code in options:
        if code not in LANGUAGE_CODES:
            raise ParameterError("language-options", f"{code!r} is not a streaming language code")
    if len(set(options)) != len(options):
        raise ParameterError("language-options", "lists a language twice")
    if q.get("preferred-language") and q["preferred-language"] not in options:
        raise ParameterError("preferred-language", "must be one of language-options")
