"""The official AWS SDK for JavaScript (v3) transcribes a fixture through our server.

It speaks WebSocket only over wss on port 8443 (it adds ``:8443`` to the host), so the
server listens there with a test certificate that node trusts via NODE_EXTRA_CA_CERTS.
Skipped only where node is not installed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from server_support import DATA, TEXTS, wer

from transcribe_ws.server import Server, serve
from transcribe_ws.server.tls import self_signed, server_context

JS = Path(__file__).parent / "js"
NODE = shutil.which("node")
KEY, SECRET = "AKIDJSPEER", "js/peer/secret"

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")


@pytest.fixture
async def tls_server(tmp_path: Path) -> AsyncIterator[tuple[Server, Path]]:
    certs = self_signed(tmp_path / "tls")
    async with serve(
        "127.0.0.1",
        8443,
        engine="pocketsphinx",
        credentials={KEY: SECRET},
        ssl=server_context(certs.cert, certs.key),
    ) as s:
        yield s, certs.ca


@pytest.mark.parametrize("framing", ["signed", "bare"])
async def test_the_aws_js_sdk_transcribes_through_the_server(
    tls_server: tuple[Server, Path], framing: str, caplog: pytest.LogCaptureFixture
) -> None:
    assert (JS / "node_modules" / "@aws-sdk" / "client-transcribe-streaming").is_dir(), (
        "run `npm ci` in tests/transcribe_ws/server/js (.ci/run does)"
    )
    _server, ca = tls_server
    assert NODE is not None
    env = dict(
        os.environ,
        NODE_EXTRA_CA_CERTS=str(ca),
        AWS_ACCESS_KEY_ID=KEY,
        AWS_SECRET_ACCESS_KEY=SECRET,
        NODE_NO_WARNINGS="1",
    )
    env.pop("AWS_SESSION_TOKEN", None)
    caplog.set_level(logging.INFO, logger="transcribe_ws.server")
    proc = await asyncio.create_subprocess_exec(
        NODE, "--experimental-websocket", str(JS / "transcribe.mjs"),
        "https://127.0.0.1", str(DATA / "two_sentences.wav"), framing,
        cwd=JS, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        stdout, stderr = await asyncio.wait_for(proc.communicate(), 120)
    finally:
        if proc.returncode is None:
            proc.kill()
    assert proc.returncode == 0, stderr.decode()[-3000:]
    lines = [json.loads(line) for line in stdout.decode().splitlines() if line.startswith("{")]
    assert lines[-1]["done"] is True
    results = lines[:-1]
    assert len(results) == 2 and all(r["IsPartial"] is False for r in results)
    transcript = " ".join(r["Alternatives"][0]["Transcript"] for r in results)
    edits, words = wer(TEXTS["two_sentences.wav"], transcript)
    assert edits / words <= 0.10, transcript
    ends = [r.getMessage() for r in caplog.records if " end: " in r.getMessage()]
    assert len(ends) == 1
    if framing == "signed":
        assert "(0 signed)" not in ends[0]
    else:
        assert "(0 signed)" in ends[0]
