"""redact_url masks the signature and the token, and nothing else."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st
from sigv4_support import KEY, NOW, SECRET, TOKEN, TRANSCRIBE_URL, UNRESERVED

from sigv4 import Credentials, presign_url, redact_url

# Tokens long enough that finding one by chance elsewhere in the URL is impossible.
long_tokens = st.one_of(
    st.none(), st.just(TOKEN), st.text(alphabet=UNRESERVED + "+/=", min_size=24, max_size=80)
)


@given(long_tokens)
def test_presigned_url_is_redacted(token: str | None) -> None:
    url = presign_url(
        TRANSCRIBE_URL,
        credentials=Credentials(KEY, SECRET, token),
        region="us-east-1",
        service="transcribe",
        now=NOW,
    )
    signature = url.rpartition("X-Amz-Signature=")[2]
    redacted = redact_url(url)
    assert signature not in redacted
    assert "X-Amz-Signature=REDACTED" in redacted
    if token is not None:
        assert quote(token, safe="") not in redacted
        assert "X-Amz-Security-Token=REDACTED" in redacted
    # Everything else is left as it was.
    keep = [i for i in url.split("&") if not i.startswith(("X-Amz-Signature", "X-Amz-Security"))]
    assert [i for i in redacted.split("&") if "REDACTED" not in i] == keep


def test_keys_are_matched_however_spelled() -> None:
    url = "https://h/?x-amz-signature=abc&X-Amz-Security%2DToken=tok&other=abc#f"
    assert redact_url(url) == (
        "https://h/?x-amz-signature=REDACTED&X-Amz-Security%2DToken=REDACTED&other=abc#f"
    )


def test_urls_without_secrets_are_unchanged() -> None:
    for url in ["https://h/p", "https://h/p?", "https://h/p?a=1&b", "X-Amz-Signature=x"]:
        assert redact_url(url) == url
