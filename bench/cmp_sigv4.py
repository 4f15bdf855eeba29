"""sigv4 beside botocore's SigV4QueryAuth and SigV4Auth, same credentials and clock."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

import botocore.auth
from _timing import Row, per_call
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials as BotoCredentials

from sigv4 import Credentials, presign_url, sign_headers

TITLE = "sigv4 (ratio = botocore time / our time; higher is better)"

KEY = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
# The 357-character session token of the aws-c-auth STS cases ('/', '+', '=' to escape).
TOKEN = (
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRX"
    "mxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsbu"
    "rEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iP"
    "PkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="
)
URL = (
    "wss://transcribestreaming.us-east-1.amazonaws.com:8443/stream-transcription-websocket"
    "?language-code=en-US&media-encoding=pcm&sample-rate=16000"
)
NOW = dt.datetime(2026, 11, 25, 12, 0, 0, tzinfo=dt.timezone.utc)
#: The same instant as epoch seconds, the cheapest form of ``now=`` (as is ``None``).
NOW_EPOCH = int(NOW.timestamp())
OURS = Credentials(KEY, SECRET, TOKEN)
THEIRS = BotoCredentials(KEY, SECRET, TOKEN)


def _ours_presign(url: str) -> str:
    return presign_url(
        url, credentials=OURS, region="us-east-1", service="transcribe", expires=300, now=NOW_EPOCH
    )


def _boto_presign(url: str) -> str:
    request = AWSRequest(method="GET", url=url)
    SigV4QueryAuth(THEIRS, "transcribe", "us-east-1", 300).add_auth(request)
    return request.url


def _signature(url: str) -> str:
    return dict(parse_qsl(urlsplit(url).query))["X-Amz-Signature"]


def _fresh_urls() -> Callable[[], str]:
    """A new URL every call (a new session-id), so no per-URL work can be reused."""
    urls = itertools.cycle([f"{URL}&session-id={uuid.UUID(int=i)}" for i in range(20000)])
    return urls.__next__


def rows() -> list[Row]:
    original = botocore.auth.get_current_datetime
    botocore.auth.get_current_datetime = lambda: NOW.replace(tzinfo=None)
    try:
        assert _signature(_ours_presign(URL)) == _signature(_boto_presign(URL))
        out = [
            Row(
                "presign Transcribe URL + session token",
                per_call(lambda: _ours_presign(URL)),
                "botocore SigV4QueryAuth",
                per_call(lambda: _boto_presign(URL)),
                20,
            )
        ]
        ours_next, boto_next = _fresh_urls(), _fresh_urls()
        out.append(
            Row(
                "  same, a new session-id every call",
                per_call(lambda: _ours_presign(ours_next())),
                "botocore SigV4QueryAuth",
                per_call(lambda: _boto_presign(boto_next())),
            )
        )

        body = b"x" * 1024
        headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "Svc.Op"}
        url = "https://transcribe.us-east-1.amazonaws.com/"

        def ours_sign() -> dict[str, str]:
            return sign_headers(
                "POST",
                url,
                headers,
                body,
                credentials=OURS,
                region="us-east-1",
                service="transcribe",
                now=NOW_EPOCH,
            )

        def boto_sign() -> str:
            request = AWSRequest(method="POST", url=url, headers=headers, data=body)
            SigV4Auth(THEIRS, "transcribe", "us-east-1").add_auth(request)
            return str(request.headers["Authorization"])

        assert ours_sign()["Authorization"] == boto_sign()
        out.append(
            Row(
                "sign_headers POST, 1 KiB body",
                per_call(ours_sign),
                "botocore SigV4Auth",
                per_call(boto_sign),
            )
        )
    finally:
        botocore.auth.get_current_datetime = original
    return out
