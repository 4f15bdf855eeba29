"""Refusals at the handshake: 403 for the signature, 400 for parameters, as the service does."""

from __future__ import annotations

import time

import pytest
from server_support import BASE, CREDS, handshake, presigned

from sigv4 import Credentials
from transcribe_ws.server import Server, serve
from transcribe_ws.server.handshake import Refusal, check_request


async def test_a_well_signed_url_is_accepted(server: Server) -> None:
    assert await handshake(presigned(server.url)) == (101, "")


async def test_tampered_url_is_refused_403(server: Server) -> None:
    url = presigned(server.url).replace("sample-rate=16000", "sample-rate=8000")
    status, body = await handshake(url)
    assert status == 403
    assert "signature we calculated does not match" in body


async def test_tampered_signature_is_refused_403(server: Server) -> None:
    url = presigned(server.url)
    head, _, sig = url.rpartition("X-Amz-Signature=")
    flipped = ("0" if sig[0] != "0" else "1") + sig[1:]
    status, body = await handshake(head + "X-Amz-Signature=" + flipped)
    assert status == 403
    assert "does not match" in body


async def test_expired_url_is_refused_403(server: Server) -> None:
    status, body = await handshake(presigned(server.url, now=time.time() - 400, expires=300))
    assert status == 403
    assert "expired" in body.lower()


async def test_future_dated_url_is_refused_403(server: Server) -> None:
    status, body = await handshake(presigned(server.url, now=time.time() + 3600))
    assert status == 403
    assert "not yet current" in body.lower() or "future" in body.lower()


async def test_unknown_key_is_refused_403(server: Server) -> None:
    stranger = Credentials("AKIDSTRANGER", "some-other-secret")
    status, body = await handshake(presigned(server.url, creds=stranger))
    assert status == 403
    assert "security token included in the request is invalid" in body


async def test_unsigned_url_is_refused(server: Server) -> None:
    status, body = await handshake(
        f"{server.url}/stream-transcription-websocket?language-code=en-US"
        "&media-encoding=pcm&sample-rate=16000"
    )
    assert status in (400, 403)
    assert "X-Amz-Signature" in body


async def test_no_auth_accepts_unsigned_urls() -> None:
    async with serve(engine="synthetic", no_auth=True) as s:
        status, _ = await handshake(
            f"{s.url}/stream-transcription-websocket?language-code=en-US"
            "&media-encoding=pcm&sample-rate=16000"
        )
    assert status == 101


@pytest.mark.parametrize(
    ("change", "parameter"),
    [
        ({"language-code": "xx-XX"}, "language-code"),
        ({"sample-rate": "4000"}, "sample-rate"),
        ({"sample-rate": "96000"}, "sample-rate"),
        ({"media-encoding": "mp3"}, "media-encoding"),
        ({"media-encoding": "flac"}, "media-encoding"),
        ({"media-encoding": "ogg-opus"}, "media-encoding"),
        ({"content-identification-type": "PII", "content-redaction-type": "PII"},
         "content-redaction-type"),
        ({"enable-channel-identification": "true"}, "number-of-channels"),
        ({"partial-results-stability": "high"}, "partial-results-stability"),
        ({"identify-language": "true", "language-options": "en-US,de-DE"}, "language-code"),
        ({"made-up": "1"}, "made-up"),
    ],
)  # fmt: skip
async def test_bad_parameters_are_refused_400_naming_the_parameter(
    server: Server, change: dict[str, str], parameter: str
) -> None:
    status, body = await handshake(presigned(server.url, params={**BASE, **change}))
    assert status == 400
    assert body.startswith(f"{parameter}:"), body


async def test_medical_and_call_analytics_paths_are_served(server: Server) -> None:
    medical = {**BASE, "specialty": "PRIMARYCARE", "type": "DICTATION"}
    path = "/medical-stream-transcription-websocket"
    assert (await handshake(presigned(server.url, path=path, params=medical)))[0] == 101
    path = "/call-analytics-stream-transcription-websocket"
    assert (await handshake(presigned(server.url, path=path)))[0] == 101
    status, body = await handshake(
        presigned(server.url, path=path, params={**BASE, "language-code": "ja-JP"})
    )
    assert status == 400 and body.startswith("language-code:")


async def test_an_unknown_path_is_404(server: Server) -> None:
    status, body = await handshake(presigned(server.url, path="/transcribe"))
    assert status == 404
    assert "/stream-transcription-websocket" in body


def test_check_request_is_sans_io() -> None:
    secrets = {CREDS.access_key: CREDS.secret_key}
    url = presigned("ws://h:1", now=1_700_000_000)
    target = url.split("h:1", 1)[1]
    accepted = check_request(target, "h:1", secret_for=secrets.get, now=1_700_000_010)
    assert accepted.access_key == CREDS.access_key
    assert accepted.config.sample_rate == 16000 and accepted.config.language_code == "en-US"
    with pytest.raises(Refusal) as info:
        check_request(target, "other:1", secret_for=secrets.get, now=1_700_000_010)
    assert info.value.status == 403
    with pytest.raises(Refusal) as info:
        check_request(target, "h:1", secret_for=secrets.get, now=1_700_001_000)
    assert info.value.status == 403 and "expired" in info.value.message.lower()
