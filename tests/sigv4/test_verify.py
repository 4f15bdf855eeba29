"""verify_presigned_url: what is accepted, and each refusal with its subclass."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import botocore.auth
import pytest
from botocore.auth import SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials as BotoCredentials
from hypothesis import given
from hypothesis import strategies as st
from sigv4_support import KEY, NOW, SECRET, TOKEN, TRANSCRIBE_URL, encode_query, query_pairs

from sigv4 import (
    Credentials,
    ExpiredSignature,
    InvalidCredentialScope,
    InvalidExpires,
    MalformedPresignedUrl,
    SignatureDoesNotMatch,
    SignatureError,
    SignatureNotYetCurrent,
    UnknownAccessKey,
    presign_url,
    verify_presigned_url,
)
from sigv4._verify import MSG_MISMATCH

SECRETS = {KEY: SECRET}


def presign(url: str = TRANSCRIBE_URL, **kw: object) -> str:
    args: dict[str, object] = {
        "credentials": Credentials(KEY, SECRET, TOKEN),
        "region": "us-east-1",
        "service": "transcribe",
        "expires": 300,
        "now": NOW,
    }
    args.update(kw)
    return presign_url(url, **args)  # type: ignore[arg-type]


def verify(url: str, **kw: object) -> str:
    args: dict[str, object] = {
        "secret_for": SECRETS.get,
        "service": "transcribe",
        "region": "us-east-1",
        "now": NOW + 10,
    }
    args.update(kw)
    return verify_presigned_url(url, **args)  # type: ignore[arg-type]


def refused(exc_type: type[SignatureError], url: str, **kw: object) -> SignatureError:
    with pytest.raises(exc_type) as info:
        verify(url, **kw)
    message = str(info.value)
    # No secret ever appears in a refusal.
    for secret in (SECRET, TOKEN, quote(TOKEN, safe=""), url.rpartition("=")[2]):
        assert secret not in message
    return info.value


def replace_param(url: str, key: str, value: str) -> str:
    base, _, query = url.partition("?")
    items = [
        f"{k}={value}" if k == key else f"{k}={v}"
        for k, _, v in (item.partition("=") for item in query.split("&"))
    ]
    return f"{base}?{'&'.join(items)}"


def drop_param(url: str, key: str) -> str:
    base, _, query = url.partition("?")
    return f"{base}?{'&'.join(i for i in query.split('&') if i.partition('=')[0] != key)}"


def test_our_url_verifies_and_names_the_key() -> None:
    assert verify(presign()) == KEY


def test_region_is_optional_and_any_region_is_then_accepted() -> None:
    url = presign(region="eu-west-1")
    assert verify(url, region=None) == KEY
    refused(InvalidCredentialScope, url)


def test_botocore_url_verifies() -> None:
    fixed = dt.datetime(2015, 8, 30, 12, 36, 0)
    original = botocore.auth.get_current_datetime
    botocore.auth.get_current_datetime = lambda: fixed
    try:
        request = AWSRequest(method="GET", url=TRANSCRIBE_URL)
        auth = SigV4QueryAuth(BotoCredentials(KEY, SECRET, TOKEN), "transcribe", "us-east-1", 300)
        auth.add_auth(request)
    finally:
        botocore.auth.get_current_datetime = original
    # botocore orders its parameters differently; the verifier does not care.
    assert verify(request.url) == KEY


@given(pairs=query_pairs, path=st.from_regex(r"(/[a-z0-9]{1,6}){0,3}", fullmatch=True))
def test_generated_urls_verify(pairs: list[tuple[str, str]], path: str) -> None:
    pairs = [(k, v) for k, v in pairs if not k.startswith("X-Amz-")]
    query = encode_query(pairs)
    url = f"https://example.com{path}" + (f"?{query}" if query else "")
    assert verify(presign(url)) == KEY


ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"


@given(data=st.data())
def test_any_changed_path_character_is_refused(data: st.DataObject) -> None:
    base = "wss://h.example:8443/stream-transcription-websocket/v1?a=1"
    url = presign(base)
    path_start = url.index("/", len("wss://"))
    path_end = url.index("?")
    i = data.draw(st.integers(path_start + 1, path_end - 1))
    assume_char = url[i]
    new = data.draw(st.sampled_from(ALNUM).filter(lambda c: c != assume_char))
    if assume_char == "/":
        new = data.draw(st.sampled_from(ALNUM))
    tampered = url[:i] + new + url[i + 1 :]
    refused(SignatureDoesNotMatch, tampered)


@given(data=st.data())
def test_any_changed_query_value_character_is_refused(data: st.DataObject) -> None:
    url = presign()
    user_keys = ["language-code", "media-encoding", "sample-rate"]
    key = data.draw(st.sampled_from(user_keys))
    value = dict(i.partition("=")[::2] for i in url.partition("?")[2].split("&"))[key]
    i = data.draw(st.integers(0, len(value) - 1))
    new = data.draw(st.sampled_from(ALNUM).filter(lambda c: c.lower() != value[i].lower()))
    tampered = replace_param(url, key, value[:i] + new + value[i + 1 :])
    refused(SignatureDoesNotMatch, tampered)


@given(data=st.data())
def test_any_changed_signature_or_token_character_is_refused(data: st.DataObject) -> None:
    url = presign()
    key = data.draw(st.sampled_from(["X-Amz-Signature", "X-Amz-Security-Token"]))
    value = dict(i.partition("=")[::2] for i in url.partition("?")[2].split("&"))[key]
    i = data.draw(st.integers(0, len(value) - 1))
    if value[i] == "%" or "%" in value[max(0, i - 2) : i]:
        i = 0  # never break an escape: change a plain character
    new = data.draw(st.sampled_from(ALNUM).filter(lambda c: c != value[i]))
    refused(SignatureDoesNotMatch, replace_param(url, key, value[:i] + new + value[i + 1 :]))


def test_added_parameter_is_refused() -> None:
    refused(SignatureDoesNotMatch, presign() + "&extra=1")


def test_wrong_secret_is_refused() -> None:
    error = refused(SignatureDoesNotMatch, presign(), secret_for={KEY: "not-the-secret"}.get)
    assert str(error) == MSG_MISMATCH
    assert error.http_status == 403


def test_unknown_key_is_refused() -> None:
    error = refused(UnknownAccessKey, presign(), secret_for={}.get)
    assert "security token included in the request is invalid" in str(error)


def test_expired_url_is_refused_and_the_last_second_is_accepted() -> None:
    url = presign(expires=60)
    assert verify(url, now=NOW + 60) == KEY
    error = refused(ExpiredSignature, url, now=NOW + 61)
    assert str(error).startswith("Signature expired: 20150830T123600Z is now earlier than ")
    assert "20150830T123701Z - 1 min." in str(error)


def test_future_date_within_skew_is_accepted_beyond_is_refused() -> None:
    url = presign()
    assert verify(url, now=NOW - 300) == KEY
    error = refused(SignatureNotYetCurrent, url, now=NOW - 301)
    assert str(error).startswith("Signature not yet current: 20150830T123600Z is still later than")
    refused(SignatureNotYetCurrent, url, now=NOW - 31, max_skew=30)


def test_over_long_expiry_is_refused() -> None:
    url = presign(expires=301)
    refused(InvalidExpires, url)
    assert verify(url, max_expires=3600) == KEY
    too_long = replace_param(url, "X-Amz-Expires", "604801")
    assert "less than a week" in str(refused(InvalidExpires, too_long, max_expires=10**9))
    refused(InvalidExpires, replace_param(url, "X-Amz-Expires", "0"), max_expires=3600)
    refused(InvalidExpires, replace_param(url, "X-Amz-Expires", "-5"), max_expires=3600)
    refused(InvalidExpires, replace_param(url, "X-Amz-Expires", "1e3"), max_expires=3600)
    refused(InvalidExpires, replace_param(url, "X-Amz-Expires", "9" * 40), max_expires=10**9)


@pytest.mark.parametrize(
    "key",
    [
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Signature",
        "X-Amz-Date",
        "X-Amz-SignedHeaders",
        "X-Amz-Expires",
    ],
)
def test_missing_parameter_is_malformed(key: str) -> None:
    error = refused(MalformedPresignedUrl, drop_param(presign(), key))
    assert "requires the X-Amz-Algorithm" in str(error)
    assert error.http_status == 400


def test_repeated_parameter_is_malformed() -> None:
    url = presign()
    date = dict(i.partition("=")[::2] for i in url.partition("?")[2].split("&"))["X-Amz-Date"]
    refused(MalformedPresignedUrl, f"{url}&X-Amz-Date={date}")


def cred(text: str) -> str:
    return quote(text, safe="")


@pytest.mark.parametrize(
    ("key", "value", "exc_type"),
    [
        ("X-Amz-Algorithm", "AWS4-HMAC-SHA1", MalformedPresignedUrl),
        ("X-Amz-Date", "2015-08-30T12:36:00Z", MalformedPresignedUrl),
        ("X-Amz-Date", "20150230T123600Z", MalformedPresignedUrl),
        ("X-Amz-Date", "20150830T123600", MalformedPresignedUrl),
        (
            "X-Amz-Credential",
            cred("AKIDEXAMPLE/20150830/us-east-1/transcribe"),
            MalformedPresignedUrl,
        ),
        (
            "X-Amz-Credential",
            cred("/20150830/us-east-1/transcribe/aws4_request"),
            MalformedPresignedUrl,
        ),
        (
            "X-Amz-Credential",
            cred(f"{KEY}/20150831/us-east-1/transcribe/aws4_request"),
            InvalidCredentialScope,
        ),
        (
            "X-Amz-Credential",
            cred(f"{KEY}/20150830/us-west-2/transcribe/aws4_request"),
            InvalidCredentialScope,
        ),
        (
            "X-Amz-Credential",
            cred(f"{KEY}/20150830/us-east-1/s3/aws4_request"),
            InvalidCredentialScope,
        ),
        (
            "X-Amz-Credential",
            cred(f"{KEY}/20150830/us-east-1/transcribe/aws5_request"),
            InvalidCredentialScope,
        ),
        ("X-Amz-SignedHeaders", "content-type", MalformedPresignedUrl),
        ("X-Amz-SignedHeaders", "Host", MalformedPresignedUrl),
        ("X-Amz-SignedHeaders", "x-a%3Bhost", MalformedPresignedUrl),
        ("X-Amz-SignedHeaders", "host%3Bhost", MalformedPresignedUrl),
        ("X-Amz-SignedHeaders", "host%3Bx-missing", MalformedPresignedUrl),
        ("X-Amz-Signature", "%C3%A9" * 32, SignatureDoesNotMatch),
    ],
)
def test_bad_field_is_refused(key: str, value: str, exc_type: type[SignatureError]) -> None:
    refused(exc_type, replace_param(presign(), key, value))


def test_extra_signed_header_is_checked() -> None:
    url = presign(headers={"X-Api-Key": "k1"})
    assert verify(url, headers={"x-api-key": "k1"}) == KEY
    refused(SignatureDoesNotMatch, url, headers={"x-api-key": "k2"})
    refused(MalformedPresignedUrl, url)


def test_host_header_overrides_the_url_host() -> None:
    url = presign("https://example.com/p")
    internal = url.replace("https://example.com", "http://127.0.0.1:8080")
    refused(SignatureDoesNotMatch, internal)
    assert verify(internal, headers=[("Host", "example.com")]) == KEY


def test_method_is_part_of_the_signature() -> None:
    url = presign(method="PUT")
    refused(SignatureDoesNotMatch, url)
    assert verify(url, method="PUT") == KEY


def test_equivalent_encodings_verify() -> None:
    """The query is decoded and re-encoded: '%7E' and '~' are the same parameter."""
    url = presign("https://example.com/?a=~")
    assert verify(url.replace("a=~", "a=%7E")) == KEY
