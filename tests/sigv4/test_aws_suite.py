"""The aws-c-auth SigV4 suite: every case, header and query signing.

For each case the canonical request, the string to sign and the signature
are compared with the expected files, and the signed output (Authorization
header or presigned query) with the signed request the suite gives.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

import sigv4._signer as signer
from sigv4 import EMPTY_SHA256, Credentials, presign_url, sign_headers, verify_presigned_url

SUITE = Path(__file__).parent.parent / "vectors" / "sigv4" / "aws-c-auth-v4"
CASES = sorted(p.name for p in SUITE.iterdir() if p.is_dir())


def test_the_whole_suite_is_there() -> None:
    assert len(CASES) == 38
    for case in CASES:
        names = {p.name for p in (SUITE / case).iterdir()}
        assert {"context.json", "request.txt"} <= names
        for mode in ("header", "query"):
            for part in ("canonical-request", "string-to-sign", "signature", "signed-request"):
                assert f"{mode}-{part}.txt" in names


@dataclass
class Request:
    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def host(self) -> str:
        return next(v.strip() for n, v in self.headers if n.lower() == "host")

    @property
    def url(self) -> str:
        return f"https://{self.host}{self.target}"


def parse_request(raw: bytes) -> Request:
    """A raw HTTP/1.1 request, continuation lines (obs-fold) kept in the value."""
    head, _, body = raw.partition(b"\n\n")
    lines = head.decode("utf-8").split("\n")
    # The target may hold spaces (get-space-*): it runs up to " HTTP/1.1".
    method, _, rest = lines[0].partition(" ")
    target = rest[: rest.rindex(" HTTP/")]
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and headers:
            name, value = headers[-1]
            headers[-1] = (name, f"{value}\n{line}")
        elif line:
            name, _, value = line.partition(":")
            headers.append((name, value))
    return Request(method, target, headers, body)


@dataclass
class Case:
    name: str
    context: dict
    request: Request

    def expected(self, mode: str, part: str) -> str:
        return (SUITE / self.name / f"{mode}-{part}.txt").read_text(encoding="utf-8")

    @property
    def credentials(self) -> Credentials:
        c = self.context["credentials"]
        token = None if self.context.get("omit_session_token") else c.get("token")
        return Credentials(c["access_key_id"], c["secret_access_key"], token)

    @property
    def now(self) -> datetime:
        return datetime.fromisoformat(self.context["timestamp"].replace("Z", "+00:00"))

    @property
    def payload_hash(self) -> str:
        if self.context["sign_body"]:
            return hashlib.sha256(self.request.body).hexdigest()
        return EMPTY_SHA256


def load(name: str) -> Case:
    context = json.loads((SUITE / name / "context.json").read_text(encoding="utf-8"))
    request = parse_request((SUITE / name / "request.txt").read_bytes())
    return Case(name, context, request)


@pytest.fixture
def trace(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    captured: list[str] = []
    monkeypatch.setattr(signer, "_TRACE", captured)
    yield captured


@pytest.mark.parametrize("name", CASES)
def test_header_signing(name: str, trace: list[str]) -> None:
    case = load(name)
    ctx = case.context
    added = sign_headers(
        case.request.method,
        case.request.url,
        case.request.headers,
        case.request.body,
        credentials=case.credentials,
        region=ctx["region"],
        service=ctx["service"],
        now=case.now,
        add_content_sha256=ctx["sign_body"],
        normalize_path=ctx["normalize"],
    )
    canonical, to_sign = trace
    assert canonical == case.expected("header", "canonical-request")
    assert to_sign == case.expected("header", "string-to-sign")
    signature = added["Authorization"].rpartition("Signature=")[2]
    assert signature == case.expected("header", "signature")

    signed_lines = case.expected("header", "signed-request").split("\n")
    expected_auth = next(x for x in signed_lines if x.startswith("Authorization:"))
    assert f"Authorization:{added['Authorization']}" == expected_auth
    assert f"X-Amz-Date:{added['X-Amz-Date']}" in signed_lines
    token = case.credentials.session_token
    assert added.get("X-Amz-Security-Token") == token
    if ctx["sign_body"]:
        assert added["X-Amz-Content-SHA256"] == case.payload_hash


def expected_query(signed_request: str) -> list[tuple[str, str]]:
    target = signed_request.split("\n", 1)[0].split(" ")[1:-1]
    return sorted(parse_qsl(urlsplit(" ".join(target)).query, keep_blank_values=True))


@pytest.mark.parametrize("name", CASES)
def test_query_signing(name: str, trace: list[str]) -> None:
    case = load(name)
    ctx = case.context
    extra = [(n, v) for n, v in case.request.headers if n.lower() != "host"]
    url = presign_url(
        case.request.url,
        credentials=case.credentials,
        region=ctx["region"],
        service=ctx["service"],
        expires=ctx["expiration_in_seconds"],
        now=case.now,
        method=case.request.method,
        headers=extra or None,
        payload_hash=case.payload_hash,
        normalize_path=ctx["normalize"],
    )
    canonical, to_sign = trace
    assert canonical == case.expected("query", "canonical-request")
    assert to_sign == case.expected("query", "string-to-sign")
    ours = sorted(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    assert dict(ours)["X-Amz-Signature"] == case.expected("query", "signature")
    if not ctx.get("omit_session_token"):
        assert ours == expected_query(case.expected("query", "signed-request"))

    # What we sign, we accept: the verifier rebuilds the same canonical request.
    assert (
        verify_presigned_url(
            url,
            secret_for={case.credentials.access_key: case.credentials.secret_key}.get,
            service=ctx["service"],
            region=ctx["region"],
            now=case.now,
            max_expires=ctx["expiration_in_seconds"],
            method=case.request.method,
            headers=case.request.headers,
            payload_hash=case.payload_hash,
            normalize_path=ctx["normalize"],
        )
        == case.credentials.access_key
    )


def test_sts_token_signed_after_is_left_out_of_the_signature() -> None:
    """post-sts-header-after: the token is added after signing, so the signature
    equals the one made without a token; post-sts-header-before signs it."""
    after, before = load("post-sts-header-after"), load("post-sts-header-before")
    assert after.credentials.session_token is None
    assert before.credentials.session_token
    assert after.expected("query", "signature") != before.expected("query", "signature")
