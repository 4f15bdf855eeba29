"""``transcribe-ws serve`` prints its URL and serves streams."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from server_support import CREDS, chunks, fixture_pcm, presigned, run_stream

from transcribe_ws.cli import build_parser

ROOT = Path(__file__).resolve().parents[3]


def test_serve_options_parse() -> None:
    args = build_parser().parse_args(
        ["serve", "--host", "::1", "--port", "0", "--engine", "synthetic",
         "--credentials", "K1:S1", "--credentials", "K2:a:b", "--no-auth",
         "--tls-cert", "c.pem", "--tls-key", "k.pem", "--log-level", "DEBUG"]
    )  # fmt: skip
    assert args.credentials == [("K1", "S1"), ("K2", "a:b")]
    assert (args.host, args.port, args.engine, args.no_auth) == ("::1", 0, "synthetic", True)
    assert (args.tls_cert, args.tls_key, args.log_level) == ("c.pem", "k.pem", "DEBUG")


async def test_serve_prints_its_url_and_serves() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "transcribe_ws", "serve", "--port", "0", "--engine", "synthetic",
         "--credentials", f"{CREDS.access_key}:{CREDS.secret_key}"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": "/nonexistent"},
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("listening on ws://127.0.0.1:"), line
        url = line.split()[-1]
        out = await run_stream(presigned(url), chunks(fixture_pcm("weather.wav")))
        assert out.close_code == 1000 and out.finals
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "session" in err and " end: end of stream" in err
    assert "REDACTED" not in err or CREDS.secret_key not in err
    assert CREDS.secret_key not in err
