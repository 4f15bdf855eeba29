"""Differential tests against botocore (fixed clock): equal signatures."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlsplit

import botocore.auth
import pytest
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials as BotoCredentials
from hypothesis import assume, given
from hypothesis import strategies as st
from sigv4_support import (
    NOW,
    TRANSCRIBE_URL,
    encode_query,
    hosts,
    paths,
    query_pairs,
    tokens,
)

from sigv4 import Credentials, presign_url, sign_headers

KEY, SECRET = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
FIXED = dt.datetime(2015, 8, 30, 12, 36, 0)  # botocore works in naive UTC


@pytest.fixture(autouse=True)
def frozen_botocore(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: FIXED)


def boto_presign(url: str, token: str | None, region: str, service: str, expires: int) -> str:
    request = AWSRequest(method="GET", url=url)
    SigV4QueryAuth(BotoCredentials(KEY, SECRET, token), service, region, expires).add_auth(request)
    return request.url


def params(url: str) -> list[tuple[str, str]]:
    return sorted(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def signature(url: str) -> str:
    return dict(parse_qsl(urlsplit(url).query))["X-Amz-Signature"]


def test_transcribe_url_matches_botocore() -> None:
    ours = presign_url(
        TRANSCRIBE_URL,
        credentials=Credentials(KEY, SECRET, "session/token+="),
        region="us-east-1",
        service="transcribe",
        expires=300,
        now=NOW,
    )
    theirs = boto_presign(TRANSCRIBE_URL, "session/token+=", "us-east-1", "transcribe", 300)
    assert signature(ours) == signature(theirs)
    assert params(ours) == params(theirs)
    assert ours.startswith(TRANSCRIBE_URL.partition("?")[0] + "?")


@given(
    scheme=st.sampled_from(["https", "http"]),
    host=hosts,
    path=paths,
    pairs=query_pairs,
    token=tokens,
    region=st.sampled_from(["us-east-1", "eu-west-2", "ap-southeast-2"]),
    service=st.sampled_from(["transcribe", "s3", "execute-api"]),
    expires=st.integers(1, 604800),
)
def test_presign_matches_botocore(
    scheme: str,
    host: str,
    path: str,
    pairs: list[tuple[str, str]],
    token: str | None,
    region: str,
    service: str,
    expires: int,
) -> None:
    # botocore's presigner keeps one value per key (it goes through a dict).
    unique = list(dict(pairs).items())
    assume(not any(k.startswith("X-Amz-") and k in AUTH for k, _ in unique))
    query = encode_query(unique)
    url = f"{scheme}://{host}{path}" + (f"?{query}" if query else "")
    ours = presign_url(
        url,
        credentials=Credentials(KEY, SECRET, token),
        region=region,
        service=service,
        expires=expires,
        now=NOW,
    )
    theirs = boto_presign(url, token, region, service, expires)
    assert signature(ours) == signature(theirs)
    assert params(ours) == params(theirs)


AUTH = {
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-Security-Token",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
}
header_names = st.one_of(
    st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,15}", fullmatch=True),
    st.sampled_from(["Content-Type", "user-agent", "X-Amz-Target", "Connection", "My-Header1"]),
).filter(
    lambda n: (
        n.lower() not in {"host", "date", "authorization", "x-amz-date", "x-amz-security-token"}
        and not n.lower().startswith("x-amz-content")
    )
)
header_values = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=20)


@given(
    method=st.sampled_from(["GET", "POST", "PUT"]),
    host=hosts,
    path=paths,
    pairs=query_pairs,
    headers=st.lists(st.tuples(header_names, header_values), max_size=5),
    body=st.binary(max_size=64),
    token=tokens,
)
def test_sign_headers_matches_botocore(
    method: str,
    host: str,
    path: str,
    pairs: list[tuple[str, str]],
    headers: list[tuple[str, str]],
    body: bytes,
    token: str | None,
) -> None:
    # Header signing takes the URL's query as written: give it canonically encoded.
    query = encode_query(pairs)
    url = f"https://{host}{path}" + (f"?{query}" if query else "")
    ours = sign_headers(
        method,
        url,
        headers,
        body,
        credentials=Credentials(KEY, SECRET, token),
        region="us-west-2",
        service="execute-api",
        now=NOW,
    )
    request = AWSRequest(method=method, url=url, data=body)
    for name, value in headers:
        request.headers[name] = value  # HTTPHeaders appends: repeats are kept
    SigV4Auth(BotoCredentials(KEY, SECRET, token), "execute-api", "us-west-2").add_auth(request)
    assert ours["Authorization"] == request.headers["Authorization"]
    assert ours["X-Amz-Date"] == request.headers["X-Amz-Date"]
    assert ours.get("X-Amz-Security-Token") == request.headers.get("X-Amz-Security-Token")
