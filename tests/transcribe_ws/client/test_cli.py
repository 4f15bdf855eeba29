"""The transcribe-ws command line: exit codes, one-line errors, --local end to end."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from client_support import CREDS, DATA, EXAMPLE, ROOT, wer

from transcribe_ws.cli import build_parser, main
from transcribe_ws.commands._options import SERVICE_FLAGS
from transcribe_ws.commands.transcribe import LiveLine
from transcribe_ws.params import PARAMS


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> str:
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("transcribe-ws: error: ")
    assert "Traceback" not in err
    return err


def test_console_script_is_declared_and_resolves() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    scripts = text.split("[project.scripts]", 1)[1].split("\n[", 1)[0]
    match = re.search(r'^transcribe-ws\s*=\s*"([\w.]+):(\w+)"', scripts, re.M)
    assert match is not None
    module, attribute = match.groups()
    target = getattr(__import__(module, fromlist=[attribute]), attribute)
    assert target is main
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert {"transcribe", "presign", "mic"} <= set(commands)


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "transcribe", "--local", str(tmp_path / "nope.wav"))
    assert code == 1 and out == ""
    assert "nope.wav: no such file" in one_line_error(err)


def test_not_a_wav_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "notes.wav"
    path.write_text("these are not samples\n")
    code, out, err = run(capsys, "transcribe", "--endpoint", "ws://127.0.0.1:9", str(path))
    assert code == 1 and out == ""
    assert "notes.wav: not a WAV file" in one_line_error(err)


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--sample-rate", "4000"], "sample-rate: 4000 is not allowed; allowed: 8000 to 48000"),
        (["--vocabulary-filter-method", "hide"], "vocabulary-filter-method: 'hide' is not"),
        (["--language-code", "xx-XX"], "language-code: 'xx-XX' is not a streaming language"),
        (["--pii-entity-types", "NAME"], "pii-entity-types: requires content-"),
        (["--format", "docx"], "--format 'docx' is not allowed"),
        (["--endpoint", "http://127.0.0.1:9"], "endpoint: 'http://127.0.0.1:9' is not a ws://"),
        (["--local", "--endpoint", "ws://127.0.0.1:9"], "cannot be combined"),
    ],
)
def test_bad_option_one_line(
    capsys: pytest.CaptureFixture[str], flags: list[str], message: str
) -> None:
    code, out, err = run(capsys, "transcribe", *flags, str(EXAMPLE))
    assert code == 1 and out == ""
    assert message in one_line_error(err)


def test_unknown_flag_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "transcribe", "--colour", str(EXAMPLE))
    assert code == 2
    assert err.splitlines()[-1] == "transcribe-ws: error: unrecognized arguments: --colour"


def test_no_credentials(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "transcribe", "--region", "us-east-1", str(EXAMPLE))
    assert code == 1 and out == ""
    assert "no AWS credentials found" in one_line_error(err)


def test_no_region(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "presign")
    assert code == 1
    assert "region: no region given" in one_line_error(err)


def test_debug_shows_the_traceback(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        main(["--debug", "transcribe", str(tmp_path / "nope.wav")])


def test_every_service_option_has_a_flag(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "transcribe", "--help")
    assert code == 0
    for name in PARAMS:
        if name != "media-encoding":
            assert f"--{name}" in out
    assert {n for n, _ in SERVICE_FLAGS} == set(PARAMS) - {
        "language-code",
        "sample-rate",
        "media-encoding",
    }


def test_presign(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", CREDS.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", CREDS.secret_key)
    code, out, err = run(
        capsys,
        "presign",
        "--region",
        "eu-west-1",
        "--api",
        "medical",
        "--specialty",
        "CARDIOLOGY",
        "--type",
        "DICTATION",
        "--show-speaker-label",
        "--expires",
        "120",
    )
    assert (code, err) == (0, "")
    parts = urlsplit(out.strip())
    assert parts.netloc == "transcribestreaming.eu-west-1.amazonaws.com:8443"
    assert parts.path == "/medical-stream-transcription-websocket"
    query = dict(parse_qsl(parts.query))
    assert query["X-Amz-Expires"] == "120" and query["show-speaker-label"] == "true"
    assert query["specialty"] == "CARDIOLOGY" and query["language-code"] == "en-US"
    code, _out, err = run(capsys, "presign", "--region", "eu-west-1", "--expires", "301")
    assert code == 1 and "X-Amz-Expires: 301" in one_line_error(err)


@pytest.mark.parametrize("fmt", ["jsonl", "srt", "vtt", "text"])
def test_local_formats_to_a_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str
) -> None:
    output = tmp_path / f"out.{fmt}"
    code, out, err = run(
        capsys,
        "transcribe",
        "--local",
        "--engine",
        "synthetic",
        "--format",
        fmt,
        "-o",
        str(output),
        str(DATA / "two_sentences.wav"),
    )
    assert (code, out, err) == (0, "", "")  # stderr is not a terminal: nothing extra
    text = output.read_text()
    if fmt == "jsonl":
        lines = [json.loads(line) for line in text.splitlines()]
        assert len(lines) >= 2 and all(not r["is_partial"] and r["transcript"] for r in lines)
    elif fmt == "srt":
        assert text.startswith("1\n00:00:") and " --> " in text
    elif fmt == "vtt":
        assert text.startswith("WEBVTT\n\n00:00:")
    else:
        assert len(text.splitlines()) >= 2


def test_several_files(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(
        capsys,
        "transcribe",
        "--local",
        "--engine",
        "synthetic",
        str(DATA / "weather.wav"),
        str(EXAMPLE),
    )
    assert code == 0
    headers = [line for line in out.splitlines() if line.startswith("==> ")]
    assert headers == [f"==> {DATA / 'weather.wav'} <==", f"==> {EXAMPLE} <=="]


def test_live_line() -> None:
    class Terminal:
        def __init__(self) -> None:
            self.text = ""

        def write(self, s: str) -> None:
            self.text += s

        def flush(self) -> None:
            pass

    term = Terminal()
    live = LiveLine(term)  # type: ignore[arg-type]
    live.progress(1.25)
    live.partial("the weather")
    live.clear()
    assert term.text == "\r\x1b[K[   1.2 s] \r\x1b[K[   1.2 s] the weather\r\x1b[K"


def test_live_partials_on_a_terminal(tmp_path: Path) -> None:
    """stderr on a pseudo-terminal shows the live line; stdout has only the finals."""
    import pty

    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "transcribe_ws", "transcribe"),
            *("--local", "--engine", "synthetic", str(DATA / "weather.wav")),
        ],
        stdout=subprocess.PIPE,
        stderr=slave,
        env=env,
        cwd=tmp_path,
    )
    os.close(slave)
    terminal = b""
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        terminal += data
    out, _ = proc.communicate(timeout=60)
    os.close(master)
    assert proc.returncode == 0
    finals = out.decode().splitlines()
    assert finals and all(line.strip() for line in finals)
    shown = terminal.decode()
    assert "\r\x1b[K[" in shown and " s] " in shown
    assert shown.endswith("\r\x1b[K")  # the line is cleared at the end


def test_demo_sentence_end_to_end() -> None:
    """``python -m transcribe_ws transcribe --local`` on the 48 kHz example: WER at most 10%."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "transcribe_ws", "transcribe", "--local", str(EXAMPLE)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    reference = EXAMPLE.with_suffix(".txt").read_text()
    assert wer(reference, done.stdout) <= 0.10, done.stdout
