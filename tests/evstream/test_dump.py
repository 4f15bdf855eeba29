"""python -m evstream: one JSON line per message; bad input is a one-line error."""

from __future__ import annotations

import doctest
import json
import subprocess
import sys
import uuid
from datetime import datetime, timezone
from pathlib import Path

from twins import load

import evstream
from evstream import Int16, encode


def run(args: list[str], stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "evstream", *args], input=stdin, capture_output=True, check=False
    )


def test_dump_lists_each_message(tmp_path: Path) -> None:
    first = encode(
        {":message-type": "event", ":event-type": "TranscriptEvent", "n": Int16(3)},
        b'{"Transcript": {"Results": []}}',
    )
    second = encode(
        {
            "t": datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc),
            "u": uuid.UUID(int=1),
            "b": b"\x00\xff",
            "ok": True,
        },
        "grüße".encode(),
    )
    third = encode({}, b"\xff\xfe")
    path = tmp_path / "capture.bin"
    path.write_bytes(first + second + third)
    proc = run([str(path)])
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert lines[0] == {
        "offset": 0,
        "length": len(first),
        "headers": [
            {"name": ":message-type", "type": "string", "value": "event"},
            {"name": ":event-type", "type": "string", "value": "TranscriptEvent"},
            {"name": "n", "type": "int16", "value": 3},
        ],
        "payload_length": 31,
        "payload": {"Transcript": {"Results": []}},
    }
    assert lines[1]["offset"] == len(first)
    assert lines[1]["headers"] == [
        {"name": "t", "type": "timestamp", "value": "2026-11-25T12:00:00+00:00"},
        {"name": "u", "type": "uuid", "value": "00000000-0000-0000-0000-000000000001"},
        {"name": "b", "type": "bytes", "value": "AP8="},
        {"name": "ok", "type": "bool", "value": True},
    ]
    assert lines[1]["payload_text"] == "grüße"
    assert lines[2]["offset"] == len(first) + len(second)
    assert "payload" not in lines[2] and "payload_text" not in lines[2]
    assert lines[2]["payload_length"] == 2


def test_dump_reads_stdin_and_reports_the_bad_offset() -> None:
    good = encode({"a": "b"}, b"x")
    bad = bytearray(good)
    bad[5] ^= 0x40
    proc = run(["-"], good + bytes(bad))
    assert proc.returncode == 1
    assert len(proc.stdout.decode().splitlines()) == 1  # the good message came first
    err = proc.stderr.decode().strip()
    assert "\n" not in err
    assert err.startswith(
        f"evstream: invalid stream: message at offset {len(good)}: prelude checksum"
    )


def test_dump_truncated_stream() -> None:
    proc = run(["-"], encode({"a": "b"}, b"x")[:-2])
    assert proc.returncode == 1
    assert "input ended after" in proc.stderr.decode()
    assert "Traceback" not in proc.stderr.decode()


def test_dump_missing_file(tmp_path: Path) -> None:
    proc = run([str(tmp_path / "nope.bin")])
    assert proc.returncode == 2
    assert "cannot open" in proc.stderr.decode()


def test_doctests() -> None:
    from evstream import _codec_py, _dump, _types

    for module in (evstream, _codec_py, _types, _dump):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__


def test_doctests_of_the_compiled_twin() -> None:
    result = doctest.testmod(load("evstream", "cython"))
    assert result.attempted > 0 and result.failed == 0
