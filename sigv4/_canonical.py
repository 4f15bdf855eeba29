"""The pieces of a SigV4 canonical request, built exactly as AWS defines them.

Everything here is pure string work, written for speed: precompiled regular
expressions recognise the common already-safe strings so that they skip
percent-encoding entirely.

>>> canonical_query("b=2&a=%7e&a=1")
'a=1&a=~&b=2'
>>> canonical_path("/a/./b/../c//d")
'/a/c/d'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import unquote_to_bytes

__all__ = [
    "EMPTY_SHA256",
    "SEP",
    "HeadersArg",
    "canonical_headers",
    "canonical_host",
    "canonical_path",
    "canonical_query",
    "query_items",
    "remove_dot_segments",
    "sorted_query",
    "split_url",
    "uri_encode",
]

#: Hex SHA-256 of the empty string: the payload hash of a presigned GET.
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

#: Headers a signer leaves out: hop-by-hop headers and those proxies rewrite
#: (the same list botocore uses, so both sign the same set).
UNSIGNED_HEADERS = frozenset(
    {
        "authorization",
        "baggage",
        "connection",
        "expect",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "traceparent",
        "tracestate",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "user-agent",
        "x-amzn-trace-id",
    }
)

HeadersArg = Mapping[str, str] | Iterable[tuple[str, str]]

_UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
# Every Latin-1 character that must be escaped, mapped to its %XX form.  Text
# is first turned into UTF-8 bytes viewed as Latin-1, so one table serves all.
_ESCAPES = {chr(i): f"%{i:02X}" for i in range(256) if chr(i) not in _UNRESERVED}
_ESCAPES_PATH = {c: e for c, e in _ESCAPES.items() if c != "/"}
_SAFE = re.compile(r"[A-Za-z0-9._~-]*").fullmatch
_UNSAFE = re.compile(r"[^A-Za-z0-9._~-]")
_UNSAFE_PATH = re.compile(r"[^A-Za-z0-9._~/-]")
# An already-canonical path: no empty, "." or ".." segments, nothing to escape.
_SIMPLE_PATH = re.compile(r"(?:/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*/?").fullmatch
# A query whose every key and value is already unreserved text.
_U = "[A-Za-z0-9._~-]"
_SIMPLE_QUERY = re.compile(f"{_U}*+={_U}*+(?:&{_U}*+={_U}*+)*+").fullmatch
#: Stands in for "=" while sorting canonical "key=value" items (see sorted_query).
SEP = "\x01"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*").fullmatch
_DEFAULT_PORTS = {"http": ":80", "https": ":443", "ws": ":80", "wss": ":443"}


def _escape(match: re.Match[str]) -> str:
    return _ESCAPES[match.group()]


def _escape_path(match: re.Match[str]) -> str:
    return _ESCAPES_PATH[match.group()]


def uri_encode(text: str | bytes, *, keep_slash: bool = False) -> str:
    """Percent-encode *text* as SigV4 asks: everything but ``A-Za-z0-9-._~``.

    Text is encoded as UTF-8; escapes use upper-case hex.  With *keep_slash*
    the ``/`` stays as it is (for paths).

    >>> uri_encode("a b/ሴ")
    'a%20b%2F%E1%88%B4'
    """
    if isinstance(text, bytes):
        latin = text.decode("latin-1")
    elif _SAFE(text):
        return text
    elif text.isascii():
        latin = text
    else:
        latin = text.encode("utf-8", "surrogatepass").decode("latin-1")
    if keep_slash:
        return _UNSAFE_PATH.sub(_escape_path, latin)
    return _UNSAFE.sub(_escape, latin)


def _reencode(component: str) -> str:
    """Decode %XX escapes, then encode canonically (idempotent on canonical text)."""
    if _SAFE(component):
        return component
    return uri_encode(unquote_to_bytes(component))


def split_url(url: str) -> tuple[str, str, str, str, str | None]:
    """Split an absolute URL into (scheme, netloc, path, query, fragment).

    Unlike :func:`urllib.parse.urlsplit` nothing is validated or changed: the
    parts are the characters as written, which is what a signature covers.

    >>> split_url("wss://h:8443/p?q=1#f")
    ('wss', 'h:8443', '/p', 'q=1', 'f')
    """
    i = url.find("://")
    scheme = url[:i]
    if i < 1 or not (scheme.isalnum() or _SCHEME(scheme)) or not scheme[0].isalpha():
        raise ValueError("expected an absolute URL such as https://host/path")
    rest, hash_sep, fragment = url.partition("#")
    rest, _, query = rest.partition("?")
    j = rest.find("/", i + 3)
    if j < 0:
        netloc, path = rest[i + 3 :], ""
    else:
        netloc, path = rest[i + 3 : j], rest[j:]
    return scheme.lower(), netloc, path, query, fragment if hash_sep else None


def canonical_host(scheme: str, netloc: str) -> str:
    """The ``host`` header value for a URL: lower case, no user info, no default port.

    >>> canonical_host("https", "Example.COM:443"), canonical_host("wss", "h:8443")
    ('example.com', 'h:8443')
    """
    if "@" in netloc:
        netloc = netloc.rpartition("@")[2]
    host = netloc.lower()
    default = _DEFAULT_PORTS.get(scheme)
    if default is not None and host.endswith(default):
        host = host[: -len(default)]
    elif host.endswith(":"):
        host = host[:-1]
    return host


def remove_dot_segments(path: str) -> str:
    """Resolve ``.`` and ``..`` segments and drop empty ones, keeping a trailing slash.

    >>> remove_dot_segments("//a/./b/../c/")
    '/a/c/'
    """
    out: list[str] = []
    for seg in path.split("/"):
        if seg == "..":
            if out:
                out.pop()
        elif seg and seg != ".":
            out.append(seg)
    if not out:
        return "/"
    trailing = "/" if path.endswith("/") else ""
    return "/" + "/".join(out) + trailing


def canonical_path(path: str, normalize: bool = True) -> str:
    """The canonical URI of *path* (the path as sent on the wire).

    With *normalize* (every service but S3) dot segments and repeated slashes
    are resolved first; the result is percent-encoded once more, ``/`` kept.

    >>> canonical_path("/example space/"), canonical_path("//a//", normalize=False)
    ('/example%20space/', '//a//')
    """
    if _SIMPLE_PATH(path) and path:
        return path
    if normalize:
        path = remove_dot_segments(path)
    elif not path:
        path = "/"
    return uri_encode(path, keep_slash=True)


def sorted_query(query: str) -> list[str]:
    """The query's canonical parameters, sorted, as ``key + SEP + value`` strings.

    ``SEP`` (``"\\x01"``) stands in for ``=``: it sorts below every character
    a canonical key can hold, so plain string order is key-then-value order.
    """
    if not query:
        return []
    if _SIMPLE_QUERY(query):
        items = query.replace("=", SEP).split("&")
    else:
        items = []
        for item in query.split("&"):
            if item:
                key, _, value = item.partition("=")
                items.append(f"{_reencode(key)}{SEP}{_reencode(value)}")
    items.sort()
    return items


def query_items(query: str) -> list[str]:
    """The query's parameters as sorted canonical ``key=value`` strings.

    Keys and values are decoded and re-encoded (so ``%7e`` and ``~`` are the
    same parameter), then sorted by key and then value; empty ``&&`` items
    are skipped; a key without ``=`` has an empty value.

    >>> query_items("b=&a&c=%7e%20&a-b=1")
    ['a=', 'a-b=1', 'b=', 'c=~%20']
    """
    return [item.replace(SEP, "=") for item in sorted_query(query)]


def canonical_query(query: str) -> str:
    """The canonical query string of a raw query (without the ``?``).

    >>> canonical_query("Param-3=Value3&Param=Value2&%E1%88%B4=Value1")
    '%E1%88%B4=Value1&Param=Value2&Param-3=Value3'
    """
    return "&".join(query_items(query))


def canonical_headers(headers: HeadersArg | None, host: str) -> tuple[str, str]:
    """``(canonical headers block, signed header names)`` for *headers*.

    Names are lower-cased; values trimmed with inner whitespace runs collapsed;
    a repeated header's values joined with commas in the order given.
    ``host`` is added when *headers* has none.  Hop-by-hop headers (see
    ``UNSIGNED_HEADERS``) are left out.  The block ends with a newline.

    >>> canonical_headers([("My-H", " a   b "), ("my-h", "c")], "h")
    ('host:h\\nmy-h:a b,c\\n', 'host;my-h')
    """
    if not headers:
        return f"host:{host}\n", "host"
    items = headers.items() if isinstance(headers, Mapping) else headers
    grouped: dict[str, list[str]] = {}
    for name, value in items:
        lname = name.strip().lower()
        if lname in UNSIGNED_HEADERS:
            continue
        grouped.setdefault(lname, []).append(" ".join(value.split()))
    if "host" not in grouped:
        grouped["host"] = [host]
    names = sorted(grouped)
    block = "".join([f"{n}:{','.join(grouped[n])}\n" for n in names])
    return block, ";".join(names)
