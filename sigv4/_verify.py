"""Checking a presigned URL exactly as the service does.

The canonical request is rebuilt from the URL as received (path as sent,
query parameters decoded and re-encoded, ``X-Amz-Signature`` left out),
signed with the secret of the key the URL names, and compared in constant
time.  Every refusal is a :class:`~sigv4.SignatureError` subclass carrying
the service's wording where it is known.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from urllib.parse import unquote

from ._canonical import (
    EMPTY_SHA256,
    HeadersArg,
    canonical_host,
    canonical_path,
    query_items,
    split_url,
)
from ._clock import Now, epoch_seconds, format_amz_date, parse_amz_date
from ._errors import (
    ExpiredSignature,
    InvalidCredentialScope,
    InvalidExpires,
    MalformedPresignedUrl,
    SignatureDoesNotMatch,
    SignatureNotYetCurrent,
    UnknownAccessKey,
)
from ._signer import ALGORITHM, MAX_EXPIRES, _signing_key

__all__ = ["verify_presigned_url"]

_REQUIRED = (
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Signature",
    "X-Amz-Date",
    "X-Amz-SignedHeaders",
    "X-Amz-Expires",
)
_FIELDS = frozenset((*_REQUIRED, "X-Amz-Security-Token"))

MSG_MISSING = (
    "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
    "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."
)
MSG_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. "
    "Consult the service documentation for details."
)
MSG_UNKNOWN_KEY = "The security token included in the request is invalid."


def _span(seconds: int) -> str:
    return f"{seconds // 60} min." if seconds % 60 == 0 else f"{seconds} s."


def _short(text: str) -> str:
    return repr(text if len(text) <= 64 else text[:61] + "...")


def _fields(query: str) -> tuple[dict[str, str], list[str]]:
    """The X-Amz-* fields (decoded) and the canonical items to sign."""
    fields: dict[str, str] = {}
    signed: list[str] = []
    for item in query_items(query):
        key, _, value = item.partition("=")
        if key in _FIELDS:
            if key in fields:
                raise MalformedPresignedUrl(f"the {key} parameter appears more than once")
            fields[key] = unquote(value)
            if key == "X-Amz-Signature":
                continue
        signed.append(item)
    return fields, signed


def _header_block(names: list[str], headers: HeadersArg | None, host: str) -> str:
    items = list(headers.items() if isinstance(headers, Mapping) else headers or ())
    lines = []
    for name in names:
        values = [" ".join(v.split()) for n, v in items if n.strip().lower() == name]
        if not values:
            if name != "host":
                raise MalformedPresignedUrl(
                    f"the signed header {_short(name)} is not present in the request"
                )
            values = [host]
        lines.append(f"{name}:{','.join(values)}\n")
    return "".join(lines)


def verify_presigned_url(
    url: str,
    *,
    secret_for: Callable[[str], str | None],
    service: str,
    region: str | None = None,
    now: Now = None,
    max_expires: int = 300,
    max_skew: int = 300,
    method: str = "GET",
    headers: HeadersArg | None = None,
    payload_hash: str = EMPTY_SHA256,
    normalize_path: bool = True,
) -> str:
    """Verify a presigned *url* as received; return the access key id that signed it.

    *secret_for(access_key)* returns that key's secret, or None for a key
    the caller does not know.  The credential scope must name *service* and,
    when given, *region*; ``X-Amz-Expires`` must be at most *max_expires*;
    ``X-Amz-Date`` may lie at most *max_skew* seconds in the future and the
    URL must not have expired.  *headers* supplies the values of signed
    headers other than ``host`` (``host`` defaults to the URL's).

    Raises a :class:`~sigv4.SignatureError` subclass: ``MalformedPresignedUrl``,
    ``InvalidCredentialScope``, ``InvalidExpires``, ``SignatureNotYetCurrent``,
    ``ExpiredSignature``, ``UnknownAccessKey`` or ``SignatureDoesNotMatch``.

    >>> from sigv4 import Credentials, presign_url
    >>> creds = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    >>> url = presign_url("https://h/p", credentials=creds, region="us-east-1",
    ...                   service="transcribe", now=1440938160)
    >>> verify_presigned_url(url, secret_for={"AKIDEXAMPLE": creds.secret_key}.get,
    ...                      service="transcribe", now=1440938200)
    'AKIDEXAMPLE'
    """
    scheme, netloc, path, query, _fragment = split_url(url)
    fields, signed_items = _fields(query)
    if any(name not in fields for name in _REQUIRED):
        raise MalformedPresignedUrl(MSG_MISSING)
    if fields["X-Amz-Algorithm"] != ALGORITHM:
        raise MalformedPresignedUrl(f'X-Amz-Algorithm only supports "{ALGORITHM}"')
    stamp = fields["X-Amz-Date"]
    signed_at = parse_amz_date(stamp)
    if signed_at is None:
        raise MalformedPresignedUrl(
            "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""
        )

    scope = fields["X-Amz-Credential"].split("/")
    if len(scope) != 5 or not scope[0]:
        raise MalformedPresignedUrl(
            "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; "
            'expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'
        )
    access_key, day, scope_region, scope_service, terminator = scope
    if day != stamp[:8]:
        raise InvalidCredentialScope(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
            f"from HTTP: {_short(day)} != '{stamp[:8]}', from '{stamp}'."
        )
    if region is not None and scope_region != region:
        raise InvalidCredentialScope(
            f"Credential should be scoped to a valid region, not {_short(scope_region)}; "
            f"expecting '{region}'."
        )
    if scope_service != service:
        raise InvalidCredentialScope(
            f"Credential should be scoped to correct service: '{service}'."
        )
    if terminator != "aws4_request":
        raise InvalidCredentialScope(
            "Credential should be scoped with a valid terminator: 'aws4_request', "
            f"not {_short(terminator)}."
        )

    expires_text = fields["X-Amz-Expires"]
    if not (expires_text.isascii() and expires_text.isdigit()):
        raise InvalidExpires("X-Amz-Expires should be a number")
    expires = int(expires_text) if len(expires_text) <= 12 else MAX_EXPIRES + 1
    if expires < 1:
        raise InvalidExpires("X-Amz-Expires must be at least 1 second")
    if expires > MAX_EXPIRES:
        raise InvalidExpires(
            f"X-Amz-Expires must be less than a week (in seconds) that is {MAX_EXPIRES}"
        )
    if expires > max_expires:
        raise InvalidExpires(f"X-Amz-Expires must be at most {max_expires} seconds")

    names = fields["X-Amz-SignedHeaders"].split(";")
    if names != sorted(set(names)) or any(not n or n != n.lower() for n in names):
        raise MalformedPresignedUrl(
            "X-Amz-SignedHeaders must list lower-case header names, sorted, separated by ';'"
        )
    if "host" not in names:
        raise MalformedPresignedUrl("X-Amz-SignedHeaders must include 'host'")

    current = epoch_seconds(now)
    if signed_at - current > max_skew:
        raise SignatureNotYetCurrent(
            f"Signature not yet current: {stamp} is still later than "
            f"{format_amz_date(current + max_skew)} ({format_amz_date(current)} + "
            f"{_span(max_skew)})"
        )
    if current > signed_at + expires:
        raise ExpiredSignature(
            f"Signature expired: {stamp} is now earlier than "
            f"{format_amz_date(current - expires)} ({format_amz_date(current)} - "
            f"{_span(expires)})"
        )

    secret = secret_for(access_key)
    if secret is None:
        raise UnknownAccessKey(MSG_UNKNOWN_KEY)

    host = canonical_host(scheme, netloc)
    header_block = _header_block(names, headers, host)
    signed_names = ";".join(names)
    canonical = (
        f"{method}\n{canonical_path(path, normalize_path)}\n"
        f"{'&'.join(signed_items)}\n"
        f"{header_block}\n{signed_names}\n{payload_hash}"
    )
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    to_sign = f"{ALGORITHM}\n{stamp}\n{day}/{scope_region}/{scope_service}/aws4_request\n{digest}"
    expected = _signing_key(secret, day, scope_region, scope_service).hexdigest(
        to_sign.encode("utf-8")
    )
    given = fields["X-Amz-Signature"].encode("utf-8", "replace")
    if not hmac.compare_digest(expected.encode("ascii"), given):
        raise SignatureDoesNotMatch(MSG_MISMATCH)
    return access_key
