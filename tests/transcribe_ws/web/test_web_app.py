"""The captions server's HTTP side and the ``web`` command, without a browser."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from web_support import http_get

import transcribe_ws.web
from sigv4 import Credentials
from transcribe_ws.cli import build_parser, main
from transcribe_ws.web import LANGUAGES, WebServer, serve
from transcribe_ws.web.app import STATIC_FILES

ROOT = Path(__file__).resolve().parents[3]
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


@pytest.fixture
async def web() -> AsyncIterator[WebServer]:
    kwargs = {
        "endpoint": "ws://127.0.0.1:9",
        "region": "eu-west-1",
        "credentials": Credentials("AKIDWEBAPP", SECRET, "SESSIONTOKEN"),
    }
    async with serve(connect_kwargs=kwargs, language_code="en-GB") as w:
        yield w


async def get(url: str) -> tuple[int, dict[str, str], bytes]:
    return await asyncio.to_thread(http_get, url)


async def test_page_and_assets_are_served_with_a_strict_policy(web: WebServer) -> None:
    for path, (_name, content_type) in STATIC_FILES.items():
        status, headers, body = await get(web.url.rstrip("/") + path)
        assert status == 200, path
        assert headers["content-type"] == content_type
        assert int(headers["content-length"]) == len(body) > 0
        assert "default-src 'none'" in headers["content-security-policy"]
        assert "connect-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
    _, _, page = await get(web.url)
    # No external assets: every src/href is a relative file we serve.
    for ref in re.findall(rb'(?:src|href)="([^"]+)"', page):
        assert "/" + ref.decode() in STATIC_FILES


async def test_config_offers_languages_and_holds_no_secret(web: WebServer) -> None:
    status, headers, body = await get(web.url + "config.json")
    assert status == 200
    assert headers["content-type"] == "application/json"
    config = json.loads(body)
    assert config["languageCode"] == "en-GB"
    assert config["languages"][0] == "en-GB"
    assert set(config["languages"]) == set(LANGUAGES)
    assert config["socketPath"] == "/socket"
    for secret_bit in (SECRET, "AKIDWEBAPP", "SESSIONTOKEN", "127.0.0.1:9", "eu-west-1"):
        assert secret_bit.encode() not in body


async def test_unknown_paths_and_plain_gets_of_the_socket(web: WebServer) -> None:
    status, _, body = await get(web.url + "secrets.txt")
    assert status == 404
    assert b"the page is at /" in body
    status, _, _ = await get(web.url + "../pyproject.toml")
    assert status == 404
    status, _, _ = await get(web.url + "favicon.ico")
    assert status == 204
    # A plain GET of the socket path with the right origin: upgrade required.
    origin = web.url.rstrip("/")
    status, _, _ = await asyncio.to_thread(http_get, web.url + "socket", {"Origin": origin})
    assert status == 426


def test_languages_are_streaming_languages() -> None:
    from transcribe_ws.params import LANGUAGE_CODES

    assert set(LANGUAGES) <= LANGUAGE_CODES
    with pytest.raises(ValueError, match="not a streaming language code"):
        WebServer(language_code="xx-XX")
    assert WebServer(language_code="de-DE", languages=["en-US"]).languages == ("de-DE", "en-US")


def test_page_files_are_tracked_by_git() -> None:
    """The repository ignores ``*.html``: make sure the page is committed anyway."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    static = Path(transcribe_ws.web.__file__).parent / "static"
    names = {name for name, _ in STATIC_FILES.values()}
    listed = subprocess.run(
        ["git", "ls-files", "--", str(static)], cwd=ROOT, capture_output=True, text=True
    )
    if listed.returncode != 0:
        pytest.skip("git is not usable here")
    tracked = {Path(line).name for line in listed.stdout.splitlines()}
    assert names <= tracked


def test_web_command_options() -> None:
    args = build_parser().parse_args(["web", "--local", "--port", "0"])
    assert (args.host, args.port, args.local, args.engine) == ("127.0.0.1", 0, True, "pocketsphinx")
    assert args.language_code == "en-US"
    args = build_parser().parse_args(
        ["web", "--region", "us-west-2", "--profile", "p", "--allow-origin", "https://x.example"]
    )
    assert (args.region, args.profile, args.allow_origin) == (
        "us-west-2",
        "p",
        ["https://x.example"],
    )


def test_web_command_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["web", "--local", "--endpoint", "ws://127.0.0.1:9"]) == 1
    err = capsys.readouterr().err
    assert err == "transcribe-ws: error: --local and --endpoint cannot be combined\n"
    assert main(["web", "--local", "--port", "70000"]) == 1
    assert "--port 70000" in capsys.readouterr().err
    assert main(["web", "--local", "--language-code", "xx-XX"]) == 1
    assert "--language-code 'xx-XX' is not a streaming language code" in capsys.readouterr().err


def test_web_command_without_credentials_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    assert main(["web"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("transcribe-ws: error: no AWS credentials found")
    assert err.count("\n") == 1


def test_web_command_serves_until_sigterm(tmp_path: Path) -> None:
    """``transcribe-ws web --local`` prints its URL, serves the page, exits 0 on SIGTERM."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    env["HOME"] = str(tmp_path)  # no credentials: --local needs none
    proc = subprocess.Popen(
        [sys.executable, "-m", "transcribe_ws", "web", "--local", "--engine", "synthetic",
         "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert match, line
        status, _, body = http_get(match.group(0) + "config.json")
        assert status == 200
        assert json.loads(body)["mode"] == "local"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.stderr is not None
    assert "Traceback" not in proc.stderr.read()


def test_doctests() -> None:
    import doctest
    import importlib

    for name in ("transcribe_ws.web", "transcribe_ws.web.origin", "transcribe_ws.web.relay"):
        module = importlib.import_module(name)
        result = doctest.testmod(module)
        assert result.failed == 0, name
        assert result.attempted > 0, name
