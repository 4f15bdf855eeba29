"""SigV4 signing: presigned URLs (query authentication) and Authorization headers.

The canonical request and the string to sign are built by hand from the
pieces in :mod:`sigv4._canonical`; the per-day signing key is cached, and so
is the HMAC state derived from it, so a presign costs two SHA-256 passes over
short strings plus some string joins.
"""

from __future__ import annotations

import hashlib
import hmac
from bisect import bisect_left
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from ._canonical import (
    EMPTY_SHA256,
    SEP,
    HeadersArg,
    canonical_headers,
    canonical_host,
    canonical_path,
    query_items,
    sorted_query,
    split_url,
    uri_encode,
)
from ._clock import Now, amz_date
from ._credentials import Credentials

__all__ = ["ALGORITHM", "MAX_EXPIRES", "UNSIGNED_PAYLOAD", "presign_url", "sign_headers"]

ALGORITHM = "AWS4-HMAC-SHA256"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
#: The longest lifetime SigV4 allows a presigned URL: one week.
MAX_EXPIRES = 604800

_AUTH_PREFIX = "X-Amz-"
_AUTH_KEYS = frozenset(
    {
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-Expires",
        "X-Amz-Security-Token",
        "X-Amz-SignedHeaders",
        "X-Amz-Signature",
    }
)
_sha256 = hashlib.sha256
_SHA256_BLANK = hashlib.sha256()  # copying a hash object is cheaper than creating one


class _Hmac:
    """HMAC-SHA256 with the key's inner and outer pads already hashed."""

    __slots__ = ("_inner", "_outer")

    def __init__(self, key: bytes) -> None:
        block = key.ljust(64, b"\0")
        self._inner = _sha256(bytes(b ^ 0x36 for b in block))
        self._outer = _sha256(bytes(b ^ 0x5C for b in block))

    def __repr__(self) -> str:
        return "<signing key>"

    def hexdigest(self, msg: bytes) -> str:
        inner = self._inner.copy()
        inner.update(msg)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()


@lru_cache(maxsize=64)
def _signing_key(secret: str, date: str, region: str, service: str) -> _Hmac:
    """The derived key for one (secret, day, region, service), ready to sign with."""
    k = hmac.digest(b"AWS4" + secret.encode("utf-8"), date.encode("utf-8"), "sha256")
    for part in (region, service, "aws4_request"):
        k = hmac.digest(k, part.encode("utf-8"), "sha256")
    return _Hmac(k)


def signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    """The raw 32-byte SigV4 signing key (for tests and other signers)."""
    k = hmac.digest(b"AWS4" + secret.encode("utf-8"), date.encode("utf-8"), "sha256")
    for part in (region, service, "aws4_request"):
        k = hmac.digest(k, part.encode("utf-8"), "sha256")
    return k


@lru_cache(maxsize=64)
def _auth_params(
    access_key: str,
    token: str | None,
    region: str,
    service: str,
    expires: int,
    signed_headers: str,
) -> tuple[str, str, str]:
    """The X-Amz-* query parameters in canonical order, split around the dates.

    The full text is ``a + scope_date + b + amz_date + c``; everything that
    does not change from one second to the next is encoded once.
    """
    a = f"X-Amz-Algorithm={ALGORITHM}&X-Amz-Credential={uri_encode(access_key)}%2F"
    b = f"%2F{uri_encode(region)}%2F{uri_encode(service)}%2Faws4_request&X-Amz-Date="
    tok = "" if token is None else f"&X-Amz-Security-Token={uri_encode(token)}"
    c = f"&X-Amz-Expires={expires}{tok}&X-Amz-SignedHeaders={uri_encode(signed_headers)}"
    return a, b, c


@lru_cache(maxsize=256)
def _prepare(
    url: str, normalize_path: bool
) -> tuple[str, str, str, str, str, str, tuple[str, ...] | None]:
    """Everything a presign needs from the URL alone, worked out once per URL.

    Returns ``(scheme://netloc/path?, host, canonical path, canonical query
    before our parameters, after them, #fragment, mixed)``.  *mixed* is None
    unless a caller's key shares the ``X-Amz-`` prefix; it then holds all the
    caller's sorted items to be merged one by one.
    """
    scheme, netloc, path, query, fragment = split_url(url)
    items = sorted_query(query)
    # Our parameters form one sorted run; the caller's keys sort wholly
    # before or after it unless one shares the X-Amz- prefix.
    i = bisect_left(items, _AUTH_PREFIX)
    mixed: tuple[str, ...] | None = None
    before = after = ""
    if i < len(items) and items[i].startswith(_AUTH_PREFIX):
        for item in items:
            key = item.partition(SEP)[0]
            if key in _AUTH_KEYS:
                raise ValueError(f"the URL already has a {key} parameter")
        mixed = tuple(items)
    else:
        if i:
            before = "&".join(items[:i]).replace(SEP, "=") + "&"
        if i < len(items):
            after = "&" + "&".join(items[i:]).replace(SEP, "=")
    return (
        f"{scheme}://{netloc}{path}?",
        canonical_host(scheme, netloc),
        canonical_path(path, normalize_path),
        before,
        after,
        "" if fragment is None else f"#{fragment}",
        mixed,
    )


def _check_expires(expires: Any) -> int:
    if isinstance(expires, bool) or not isinstance(expires, int):
        raise TypeError("expires must be a whole number of seconds")
    if not 1 <= expires <= MAX_EXPIRES:
        raise ValueError(f"expires must be from 1 to {MAX_EXPIRES} seconds, not {expires}")
    return expires


#: When a list, each signing appends its canonical request and string to sign
#: (a hook for the conformance tests; never set in normal use).
_TRACE: list[str] | None = None


def presign_url(
    url: str,
    *,
    credentials: Credentials,
    region: str,
    service: str,
    expires: int = 300,
    now: Now = None,
    method: str = "GET",
    headers: HeadersArg | None = None,
    payload_hash: str = EMPTY_SHA256,
    normalize_path: bool = True,
) -> str:
    """Presign *url* with query-string SigV4 (``X-Amz-*`` parameters).

    The path is signed as written (give it in the form it will be sent);
    query parameters are re-encoded canonically and sorted, and the returned
    URL carries them in that order; the session token, if any, is part of
    the signed query.  Only ``host`` is signed unless *headers* names more
    (they must then be sent with those values).  *expires* is 1..604800
    seconds (Transcribe allows at most 300).  With *normalize_path* False the
    path is signed without resolving ``.``, ``..`` and ``//`` (as S3 wants).

    >>> creds = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    >>> presign_url("https://example.amazonaws.com/", credentials=creds,
    ...             region="us-east-1", service="service", expires=3600,
    ...             now=1440938160)  # doctest: +ELLIPSIS
    'https://example.amazonaws.com/?X-Amz-Algorithm=AWS4-HMAC-SHA256&...&X-Amz-Signature=...'
    """
    if expires.__class__ is not int or not 1 <= expires <= MAX_EXPIRES:
        _check_expires(expires)
    base, host, cpath, before, after, fragment, mixed = _prepare(url, normalize_path)
    if headers:
        header_block, signed = canonical_headers(headers, host)
    else:
        header_block, signed = f"host:{host}\n", "host"
    stamp, day = amz_date(now)
    a, b, c = _auth_params(
        credentials.access_key, credentials.session_token, region, service, expires, signed
    )
    auth = f"{a}{day}{b}{stamp}{c}"
    if mixed is None:
        query_text = f"{before}{auth}{after}"
    else:
        items = [*mixed, *auth.replace("=", SEP).split("&")]
        items.sort()
        query_text = "&".join(items).replace(SEP, "=")
    canonical = f"{method}\n{cpath}\n{query_text}\n{header_block}\n{signed}\n{payload_hash}"
    h = _SHA256_BLANK.copy()
    h.update(canonical.encode("utf-8"))
    to_sign = f"{ALGORITHM}\n{stamp}\n{day}/{region}/{service}/aws4_request\n{h.hexdigest()}"
    signature = _signing_key(credentials.secret_key, day, region, service).hexdigest(
        to_sign.encode("utf-8")
    )
    if _TRACE is not None:
        _TRACE.extend((canonical, to_sign))
    return f"{base}{query_text}&X-Amz-Signature={signature}{fragment}"


def sign_headers(
    method: str,
    url: str,
    headers: HeadersArg | None,
    body: bytes = b"",
    *,
    credentials: Credentials,
    region: str,
    service: str,
    now: Now = None,
    payload_hash: str | None = None,
    unsigned_payload: bool = False,
    add_content_sha256: bool = False,
    normalize_path: bool = True,
) -> dict[str, str]:
    """Sign a request with an ``Authorization`` header; return the headers to add.

    The result holds ``X-Amz-Date``, ``X-Amz-Security-Token`` (with a session
    token), ``X-Amz-Content-SHA256`` (when *add_content_sha256*) and
    ``Authorization``; send them along with *headers*, which are all signed
    (except hop-by-hop ones such as ``Connection`` or ``User-Agent``).  The
    ``host`` header is taken from *headers*, else from the URL, and is not in
    the result.  The payload hash is SHA-256 of *body*, *payload_hash* when
    given, or ``UNSIGNED-PAYLOAD`` with *unsigned_payload*.

    >>> creds = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    >>> sign_headers("GET", "https://example.amazonaws.com/", {}, credentials=creds,
    ...              region="us-east-1", service="service", now=1440938160)["Authorization"]
    'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
SignedHeaders=host;x-amz-date, \
Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'
    """
    if unsigned_payload:
        payload_hash = UNSIGNED_PAYLOAD
    scheme, netloc, path, query, _fragment = split_url(url)
    host = canonical_host(scheme, netloc)
    stamp, day = amz_date(now)
    if payload_hash is None:
        payload_hash = _sha256(body).hexdigest() if body else EMPTY_SHA256
    added: dict[str, str] = {"X-Amz-Date": stamp}
    if credentials.session_token:
        added["X-Amz-Security-Token"] = credentials.session_token
    if add_content_sha256:
        added["X-Amz-Content-SHA256"] = payload_hash
    replaced = {"x-amz-date", "x-amz-security-token", "x-amz-content-sha256"}
    items = headers.items() if isinstance(headers, Mapping) else headers or ()
    pairs = [(n, v) for n, v in items if n.strip().lower() not in replaced]
    pairs.extend(added.items())
    header_block, signed = canonical_headers(pairs, host)
    canonical = (
        f"{method}\n{canonical_path(path, normalize_path)}\n"
        f"{'&'.join(query_items(query))}\n"
        f"{header_block}\n{signed}\n{payload_hash}"
    )
    digest = _sha256(canonical.encode("utf-8")).hexdigest()
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = f"{ALGORITHM}\n{stamp}\n{scope}\n{digest}"
    signature = _signing_key(credentials.secret_key, day, region, service).hexdigest(
        to_sign.encode("utf-8")
    )
    if _TRACE is not None:
        _TRACE.extend((canonical, to_sign))
    added["Authorization"] = (
        f"{ALGORITHM} Credential={credentials.access_key}/{scope}, "
        f"SignedHeaders={signed}, Signature={signature}"
    )
    return added
