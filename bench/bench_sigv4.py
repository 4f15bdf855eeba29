"""pytest-benchmark suites for sigv4: presign, header signing, verification."""

from __future__ import annotations

from cmp_sigv4 import KEY, NOW_EPOCH, OURS, SECRET, URL

from sigv4 import presign_url, sign_headers, verify_presigned_url


def _presign() -> str:
    return presign_url(
        URL, credentials=OURS, region="us-east-1", service="transcribe", expires=300, now=NOW_EPOCH
    )


def test_presign_with_session_token(benchmark) -> None:  # type: ignore[no-untyped-def]
    benchmark.group = "sigv4"
    assert benchmark(_presign).startswith(URL.partition("?")[0])


def test_sign_headers(benchmark) -> None:  # type: ignore[no-untyped-def]
    benchmark.group = "sigv4"
    result = benchmark(
        sign_headers,
        "POST",
        "https://transcribe.us-east-1.amazonaws.com/",
        {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "Svc.Op"},
        b"x" * 1024,
        credentials=OURS,
        region="us-east-1",
        service="transcribe",
        now=NOW_EPOCH,
    )
    assert result["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=")


def test_verify_presigned_url(benchmark) -> None:  # type: ignore[no-untyped-def]
    benchmark.group = "sigv4"
    url = _presign()
    secrets = {KEY: SECRET}
    result = benchmark(
        verify_presigned_url,
        url,
        secret_for=secrets.get,
        service="transcribe",
        region="us-east-1",
        now=NOW_EPOCH,
    )
    assert result == KEY
