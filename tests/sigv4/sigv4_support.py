"""Constants, fixtures and hypothesis strategies shared by the sigv4 tests.

A plain module rather than a conftest.py: test modules import what they use.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from urllib.parse import quote

import pytest
from hypothesis import strategies as st

#: 2015-08-30T12:36:00Z, the aws-c-auth suite's clock.
NOW = 1440938160
NOW_DT = datetime.fromtimestamp(NOW, timezone.utc)
KEY = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
# The session token of the aws-c-auth STS cases: '/', '+' and '=' all need escaping.
TOKEN = (
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRX"
    "mxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsbu"
    "rEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iP"
    "PkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="
)
TRANSCRIBE_URL = (
    "wss://transcribestreaming.us-east-1.amazonaws.com:8443/stream-transcription-websocket"
    "?language-code=en-US&media-encoding=pcm&sample-rate=16000"
)


def isolate_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: os.PathLike[str]) -> str:
    """Remove every AWS_* variable and point HOME at a new empty folder; return it."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    home = os.path.join(os.fspath(tmp_path), "home")
    os.mkdir(home)
    monkeypatch.setenv("HOME", home)
    return home


# -- strategies ---------------------------------------------------------------

UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
RESERVED = ":/?#[]@!$&'()*+,;=% "

#: Text mixing unreserved, reserved and non-ASCII characters.
mixed_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(UNRESERVED),
        st.sampled_from(RESERVED),
        st.characters(min_codepoint=0xA0, max_codepoint=0x2FFF),
        st.sampled_from("ሴé€😀"),
    ),
    max_size=12,
)

label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
hosts = st.builds(
    lambda labels, tld, port: ".".join([*labels, tld]) + ("" if port is None else f":{port}"),
    st.lists(label, min_size=1, max_size=3),
    st.sampled_from(["com", "aws", "local"]),
    st.one_of(st.none(), st.sampled_from([443, 80, 8443]), st.integers(1, 65535)),
)

#: A path as sent on the wire: segments of mixed text (no ?, # or controls).
path_segment = st.text(
    alphabet=st.one_of(
        st.sampled_from(UNRESERVED),
        st.sampled_from(":@!$&'()*+,;=% "),
        st.characters(min_codepoint=0xA0, max_codepoint=0x2FFF),
    ),
    max_size=8,
)
paths = st.one_of(
    st.lists(path_segment, max_size=4).map(lambda segs: "/" + "/".join(segs)),
    st.lists(st.sampled_from(["a", "b", ".", "..", ""]), max_size=6).map(
        lambda segs: "/" + "/".join(segs)
    ),
)

keys = st.one_of(
    mixed_text.filter(bool), st.sampled_from(["X-Amz-Foo", "X-Am", "x-amz-acl", "Param"])
)
#: (key, value) pairs; keys may repeat and values may be empty.
query_pairs = st.lists(st.tuples(keys, mixed_text), max_size=6)
tokens = st.one_of(
    st.none(),
    st.just(TOKEN),
    st.text(alphabet=UNRESERVED + "+/=", min_size=1, max_size=80),
)


def encode_query(pairs: list[tuple[str, str]]) -> str:
    """A wire query with every key and value percent-encoded (RFC 3986)."""
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)
