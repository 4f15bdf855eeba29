"""presign_url and sign_headers: arguments, outputs, caching, secrecy."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timezone
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from sigv4_support import KEY, NOW, NOW_DT, SECRET, TOKEN, TRANSCRIBE_URL

import sigv4._signer as signer
from sigv4 import (
    EMPTY_SHA256,
    UNSIGNED_PAYLOAD,
    Credentials,
    presign_url,
    sign_headers,
    verify_presigned_url,
)


def presign(url: str = TRANSCRIBE_URL, **kw: object) -> str:
    args: dict[str, object] = {
        "credentials": Credentials(KEY, SECRET, TOKEN),
        "region": "us-east-1",
        "service": "transcribe",
        "now": NOW,
    }
    args.update(kw)
    return presign_url(url, **args)  # type: ignore[arg-type]


def query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def test_transcribe_presign_fields() -> None:
    url = presign()
    assert url.startswith(
        "wss://transcribestreaming.us-east-1.amazonaws.com:8443/stream-transcription-websocket?"
    )
    q = query(url)
    assert q["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    assert q["X-Amz-Credential"] == f"{KEY}/20150830/us-east-1/transcribe/aws4_request"
    assert q["X-Amz-Date"] == "20150830T123600Z"
    assert q["X-Amz-Expires"] == "300"
    assert q["X-Amz-SignedHeaders"] == "host"
    assert q["X-Amz-Security-Token"] == TOKEN
    assert q["language-code"] == "en-US"
    assert len(q["X-Amz-Signature"]) == 64
    # The token is escaped in the URL; the signature comes last.
    assert quote(TOKEN, safe="") in url
    assert url.rpartition("&")[2].startswith("X-Amz-Signature=")


def test_the_clock_forms_agree() -> None:
    naive = datetime(2015, 8, 30, 12, 36, 0)
    urls = {presign(now=n) for n in (NOW, float(NOW) + 0.9, NOW_DT, naive)}
    assert len(urls) == 1


def test_now_defaults_to_the_system_clock() -> None:
    stamp = query(presign(now=None))["X-Amz-Date"]
    signed = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    assert abs((datetime.now(timezone.utc) - signed).total_seconds()) < 5


def test_without_token_and_with_fragment() -> None:
    url = presign("https://h/p?b=2&a=1#frag", credentials=Credentials(KEY, SECRET))
    assert "X-Amz-Security-Token" not in url
    assert url.endswith("#frag")
    assert urlsplit(url).query.startswith("X-Amz-Algorithm=")
    assert urlsplit(url).query.endswith("&a=1&b=2&X-Amz-Signature=" + query(url)["X-Amz-Signature"])


def test_caller_keys_with_the_x_amz_prefix_are_merged_in_order() -> None:
    url = presign("https://h/?X-Amz-Zeta=1&X-Amz-Beta=2&X-Am=0")
    keys = [i.partition("=")[0] for i in urlsplit(url).query.split("&")][:-1]
    assert keys == sorted(keys)
    assert "X-Amz-Beta" in keys and "X-Amz-Zeta" in keys and "X-Am" in keys


@pytest.mark.parametrize("key", ["X-Amz-Signature", "X-Amz-Date", "X-Amz-Security-Token"])
def test_url_already_presigned_is_refused(key: str) -> None:
    with pytest.raises(ValueError, match=f"already has a {key}"):
        presign(f"https://h/?{key}=x")


@pytest.mark.parametrize(
    ("expires", "exc_type"),
    [(0, ValueError), (604801, ValueError), (-1, ValueError), (1.5, TypeError), (True, TypeError)],
)
def test_expires_is_checked(expires: object, exc_type: type[Exception]) -> None:
    with pytest.raises(exc_type):
        presign(expires=expires)


def test_expires_bounds_are_allowed() -> None:
    assert query(presign(expires=1))["X-Amz-Expires"] == "1"
    assert query(presign(expires=604800))["X-Amz-Expires"] == "604800"


def test_now_of_the_wrong_type_is_refused() -> None:
    with pytest.raises(TypeError, match="now must be"):
        presign(now="2015-08-30")


def test_signed_headers_and_payload_hash() -> None:
    url = presign(headers={"Content-Type": "audio/pcm"}, payload_hash=UNSIGNED_PAYLOAD)
    assert query(url)["X-Amz-SignedHeaders"] == "content-type;host"
    secrets = {KEY: SECRET}.get
    common = {"secret_for": secrets, "service": "transcribe", "now": NOW}
    assert (
        verify_presigned_url(
            url, headers={"content-type": "audio/pcm"}, payload_hash=UNSIGNED_PAYLOAD, **common
        )
        == KEY
    )


def test_signing_key_is_cached_and_hidden() -> None:
    signer._signing_key.cache_clear()
    presign()
    presign(now=NOW + 1)
    info = signer._signing_key.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    presign(region="eu-west-1")
    assert signer._signing_key.cache_info().misses == 2
    key = signer._signing_key(SECRET, "20150830", "us-east-1", "transcribe")
    assert repr(key) == "<signing key>"
    raw = signer.signing_key(SECRET, "20150830", "us-east-1", "transcribe")
    assert raw.hex() not in repr(key)
    assert key.hexdigest(b"abc") == __import__("hmac").new(raw, b"abc", "sha256").hexdigest()


def test_url_parse_cache_does_not_mix_up_urls() -> None:
    a = presign("https://h/a?x=1")
    b = presign("https://h/b?x=1")
    c = presign("https://h/a?x=1", normalize_path=False)
    assert urlsplit(a).path == "/a" and urlsplit(b).path == "/b"
    assert query(a)["X-Amz-Signature"] != query(b)["X-Amz-Signature"]
    assert query(a)["X-Amz-Signature"] == query(c)["X-Amz-Signature"]
    assert presign("https://h/a/./b") != presign("https://h/a/./b", normalize_path=False)


# -- sign_headers -------------------------------------------------------------------


def sign(headers: object = None, body: bytes = b"", **kw: object) -> dict[str, str]:
    args: dict[str, object] = {
        "credentials": Credentials(KEY, SECRET, TOKEN),
        "region": "us-east-1",
        "service": "transcribe",
        "now": NOW,
    }
    args.update(kw)
    return sign_headers("POST", "https://h/p?q=1", headers, body, **args)  # type: ignore[arg-type]


def test_sign_headers_result() -> None:
    added = sign({"Content-Type": "application/json"}, b"{}")
    assert set(added) == {"X-Amz-Date", "X-Amz-Security-Token", "Authorization"}
    assert added["X-Amz-Date"] == "20150830T123600Z"
    assert added["X-Amz-Security-Token"] == TOKEN
    assert added["Authorization"].startswith(
        f"AWS4-HMAC-SHA256 Credential={KEY}/20150830/us-east-1/transcribe/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature="
    )


def test_sign_headers_payload_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    trace: list[str] = []
    monkeypatch.setattr(signer, "_TRACE", trace)
    sign(body=b"hello")
    sign()
    added = sign(body=b"hello", unsigned_payload=True, add_content_sha256=True)
    sign(payload_hash="ab" * 32)
    hashes = [c.rpartition("\n")[2] for c in trace[::2]]
    assert hashes == [
        hashlib.sha256(b"hello").hexdigest(),
        EMPTY_SHA256,
        UNSIGNED_PAYLOAD,
        "ab" * 32,
    ]
    assert added["X-Amz-Content-SHA256"] == UNSIGNED_PAYLOAD
    assert "x-amz-content-sha256" in added["Authorization"]


def test_sign_headers_replaces_stale_auth_headers() -> None:
    fresh = sign()
    stale = sign(
        [
            ("X-Amz-Date", "19990101T000000Z"),
            ("Authorization", "old"),
            ("X-Amz-Security-Token", "old-token"),
        ]
    )
    assert stale == fresh


def test_nothing_secret_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        url = presign()
        sign()
        verify_presigned_url(url, secret_for={KEY: SECRET}.get, service="transcribe", now=NOW)
    signature = query(url)["X-Amz-Signature"]
    for secret in (SECRET, TOKEN, quote(TOKEN, safe=""), signature):
        assert secret not in caplog.text
