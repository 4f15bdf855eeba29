"""Masking secrets out of presigned URLs before they are logged or shown."""

from __future__ import annotations

from urllib.parse import unquote

__all__ = ["REDACTED", "redact_url"]

REDACTED = "REDACTED"
_SECRET_KEYS = frozenset({"x-amz-signature", "x-amz-security-token"})


def redact_url(url: str) -> str:
    """*url* with the values of ``X-Amz-Signature`` and ``X-Amz-Security-Token`` masked.

    Keys are matched however they are spelled or percent-encoded; everything
    else is left exactly as it was.

    >>> redact_url("wss://h/p?a=1&X-Amz-Security-Token=abc%2F&X-Amz-Signature=0f0f")
    'wss://h/p?a=1&X-Amz-Security-Token=REDACTED&X-Amz-Signature=REDACTED'
    """
    head, sep, rest = url.partition("?")
    if not sep:
        return url
    query, hash_sep, fragment = rest.partition("#")
    items = query.split("&")
    for i, item in enumerate(items):
        key, eq, _value = item.partition("=")
        if eq and unquote(key).strip().lower() in _SECRET_KEYS:
            items[i] = f"{key}={REDACTED}"
    return f"{head}?{'&'.join(items)}{hash_sep}{fragment}"
