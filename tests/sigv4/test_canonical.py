"""The canonical-request pieces, against urllib and botocore's helpers."""

from __future__ import annotations

from urllib.parse import quote, unquote_to_bytes, urlsplit

import pytest
from botocore.utils import normalize_url_path
from hypothesis import given
from hypothesis import strategies as st
from sigv4_support import mixed_text, paths, query_pairs

from sigv4._canonical import (
    canonical_headers,
    canonical_host,
    canonical_path,
    canonical_query,
    query_items,
    remove_dot_segments,
    split_url,
    uri_encode,
)


@given(st.text())
def test_uri_encode_matches_rfc3986_quote(text: str) -> None:
    raw = text.encode("utf-8", "surrogatepass")
    assert uri_encode(text) == quote(raw, safe="")
    assert uri_encode(raw) == quote(raw, safe="")
    assert uri_encode(text, keep_slash=True) == quote(raw, safe="/")


def test_uri_encode_examples() -> None:
    assert uri_encode("-._~AZaz09") == "-._~AZaz09"
    assert uri_encode("a b+c/d=e%") == "a%20b%2Bc%2Fd%3De%25"
    assert uri_encode("ሴ") == "%E1%88%B4"


@given(paths)
def test_dot_segments_like_botocore(path: str) -> None:
    assert remove_dot_segments(path) == normalize_url_path(path)


@given(paths)
def test_canonical_path_like_botocore(path: str) -> None:
    assert canonical_path(path) == quote(normalize_url_path(path), safe="/~")
    assert canonical_path(path, normalize=False) == quote(path or "/", safe="/~")


@pytest.mark.parametrize(
    ("path", "normalized", "as_written"),
    [
        ("", "/", "/"),
        ("/", "/", "/"),
        ("/a/b", "/a/b", "/a/b"),
        ("/a/./b/", "/a/b/", "/a/./b/"),
        ("/a/../..", "/", "/a/../.."),
        ("//a//b//", "/a/b/", "//a//b//"),
        ("/.well-known", "/.well-known", "/.well-known"),
        ("/%20", "/%2520", "/%2520"),
    ],
)
def test_canonical_path_examples(path: str, normalized: str, as_written: str) -> None:
    assert canonical_path(path) == normalized
    assert canonical_path(path, normalize=False) == as_written


@given(query_pairs)
def test_query_is_sorted_by_encoded_key_then_value(pairs: list[tuple[str, str]]) -> None:
    query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)
    expected = sorted((quote(k, safe=""), quote(v, safe="")) for k, v in pairs)
    assert canonical_query(query) == "&".join(f"{k}={v}" for k, v in expected)


@given(st.text(alphabet=st.sampled_from("ab=&%2Fé~+ 7e"), max_size=20))
def test_query_canonicalisation_is_idempotent(query: str) -> None:
    once = canonical_query(query)
    assert canonical_query(once) == once
    # Every item decodes to the same bytes as the raw item it came from.
    raw = sorted(
        (unquote_to_bytes(k), unquote_to_bytes(v))
        for k, _, v in (i.partition("=") for i in query.split("&") if i)
    )
    ours = sorted(
        (unquote_to_bytes(k), unquote_to_bytes(v))
        for k, _, v in (i.partition("=") for i in once.split("&") if i)
    )
    assert ours == raw


def test_query_examples() -> None:
    assert canonical_query("") == ""
    assert canonical_query("b=2&a=1&a=0") == "a=0&a=1&b=2"
    assert canonical_query("a-b=1&a=2") == "a=2&a-b=1"
    assert canonical_query("flag&x=") == "flag=&x="
    assert canonical_query("a=1&&b=2&") == "a=1&b=2"
    assert canonical_query("k=a=b") == "k=a%3Db"
    assert canonical_query("k=%7e%2f+") == "k=~%2F%2B"
    assert canonical_query("k=%zz") == "k=%25zz"
    assert query_items("%E1%88%B4=Value1&Param=Value2") == ["%E1%88%B4=Value1", "Param=Value2"]


@given(
    scheme=st.sampled_from(["http", "https", "ws", "wss", "HTTPS"]),
    netloc=st.from_regex(r"[a-z0-9.:@-]{0,20}", fullmatch=True),
    path=paths,
    query=mixed_text.filter(lambda s: "#" not in s),
    fragment=st.one_of(st.none(), mixed_text),
)
def test_split_url_keeps_every_character(
    scheme: str, netloc: str, path: str, query: str, fragment: str | None
) -> None:
    url = f"{scheme}://{netloc}{path}?{query}" + ("" if fragment is None else f"#{fragment}")
    got = split_url(url)
    assert got == (scheme.lower(), netloc, path, query, fragment)
    if "[" not in url and "]" not in url:
        parts = urlsplit(url)
        assert (got[2], got[3], got[4] or "") == (parts.path, parts.query, parts.fragment)


@pytest.mark.parametrize("url", ["example.com/p", "/p?x=1", "://h/p", "1http://h/", "ht tp://h/"])
def test_split_url_needs_an_absolute_url(url: str) -> None:
    with pytest.raises(ValueError, match="absolute URL"):
        split_url(url)


def test_split_url_without_path() -> None:
    assert split_url("https://h?x=/y") == ("https", "h", "", "x=/y", None)
    assert split_url("git+ssh://h/") == ("git+ssh", "h", "/", "", None)


@pytest.mark.parametrize(
    ("scheme", "netloc", "host"),
    [
        ("https", "Example.COM", "example.com"),
        ("https", "h:443", "h"),
        ("http", "h:80", "h"),
        ("wss", "h:443", "h"),
        ("ws", "h:80", "h"),
        ("wss", "h:8443", "h:8443"),
        ("https", "h:80", "h:80"),
        ("https", "user:pw@h:8443", "h:8443"),
        ("https", "h:", "h"),
        ("https", "[::1]:443", "[::1]"),
    ],
)
def test_canonical_host(scheme: str, netloc: str, host: str) -> None:
    assert canonical_host(scheme, netloc) == host


def test_canonical_headers() -> None:
    block, signed = canonical_headers(
        [
            ("My-Header1", "value4"),
            ("my-header1", "  value1  "),
            ("X-Multi", "a\n   b\tc"),
            ("User-Agent", "skipped"),
            ("Connection", "Upgrade"),
        ],
        "example.com",
    )
    assert block == "host:example.com\nmy-header1:value4,value1\nx-multi:a b c\n"
    assert signed == "host;my-header1;x-multi"
    assert canonical_headers({"Host": " h:1 "}, "ignored") == ("host:h:1\n", "host")
    assert canonical_headers(None, "h") == ("host:h\n", "host")
