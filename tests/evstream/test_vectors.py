"""The official AWS event-stream test vectors (aws-sdk-go and smithy-rs), both twins."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType

import pytest

from evstream import (
    EventStreamError,
    Int8,
    Int16,
    Int32,
    Int64,
    MessageChecksumMismatch,
    PreludeChecksumMismatch,
)

ROOT = Path(__file__).parent.parent / "vectors" / "eventstream"
GO = ROOT / "aws-sdk-go-testdata"
SMITHY = ROOT / "smithy-rs-test_data"
UTC = timezone.utc


def go_cases(kind: str) -> list[str]:
    return sorted(p.name for p in (GO / "encoded" / kind).iterdir())


def expected_header(h: dict) -> tuple[str, type, object]:
    t, v = h["type"], h["value"]
    if t in (0, 1):
        return h["name"], bool, v
    if t == 2:
        return h["name"], Int8, v
    if t == 3:
        return h["name"], Int16, v
    if t == 4:
        return h["name"], Int32, v
    if t == 5:
        return h["name"], Int64, v
    if t == 6:
        return h["name"], bytes, base64.b64decode(v)
    if t == 7:
        return h["name"], str, base64.b64decode(v).decode()
    if t == 8:
        return h["name"], datetime, datetime.fromtimestamp(v / 1000, UTC)
    assert t == 9
    return h["name"], uuid.UUID, uuid.UUID(bytes=base64.b64decode(v))


@pytest.mark.parametrize("case", go_cases("positive"))
def test_go_positive(impl: ModuleType, case: str) -> None:
    wire = (GO / "encoded" / "positive" / case).read_bytes()
    spec = json.loads((GO / "decoded" / "positive" / case).read_text())
    m = impl.decode(wire)
    got = [(n, type(v), v) for n, v in m.headers.items()]
    assert got == [expected_header(h) for h in spec["headers"]]
    assert m.payload == base64.b64decode(spec["payload"])
    assert spec["total_length"] == len(wire)
    assert impl.encode(m.headers, m.payload) == wire
    assert impl.Decoder().feed(wire) == [m]


@pytest.mark.parametrize("case", go_cases("negative"))
def test_go_negative(impl: ModuleType, case: str) -> None:
    wire = (GO / "encoded" / "negative" / case).read_bytes()
    expected = (GO / "decoded" / "negative" / case).read_text().strip()
    error = {
        "Prelude checksum mismatch": PreludeChecksumMismatch,
        "Message checksum mismatch": MessageChecksumMismatch,
    }[expected]
    with pytest.raises(error):
        impl.decode(wire)
    with pytest.raises(error):
        impl.Decoder().feed(wire)


def test_smithy_valid_with_all_headers(impl: ModuleType) -> None:
    wire = (SMITHY / "valid_with_all_headers_and_payload").read_bytes()
    m = impl.decode(wire)
    assert [(n, type(v), v) for n, v in m.headers.items()] == [
        ("true", bool, True),
        ("false", bool, False),
        ("byte", Int8, 50),
        ("short", Int16, 20000),
        ("int", Int32, 500000),
        ("long", Int64, 50_000_000_000),
        ("bytes", bytes, b"some bytes"),
        ("str", str, "some str"),
        ("time", datetime, datetime.fromtimestamp(5_000_000, UTC)),
        ("uuid", uuid.UUID, uuid.UUID("b79bc914-de21-4e13-b8b2-bc47e85b7f0b")),
    ]
    assert m.payload == b"some payload"
    assert impl.encode(m.headers, m.payload) == wire


def test_smithy_valid_stream(impl: ModuleType) -> None:
    frames = [(SMITHY / n).read_bytes() for n in ("valid_empty_payload", "valid_no_headers")]
    d = impl.Decoder()
    out = []
    stream = b"".join(frames)
    for i in range(0, len(stream), 3):
        out += d.feed(stream[i : i + 3])
    d.close()
    assert out == [impl.decode(f) for f in frames]
    assert out[0].payload == b""
    assert out[1].headers == {}


@pytest.mark.parametrize(
    "case", sorted(p.name for p in SMITHY.iterdir() if p.name.startswith("invalid_"))
)
def test_smithy_invalid(impl: ModuleType, case: str) -> None:
    wire = (SMITHY / case).read_bytes()
    with pytest.raises(EventStreamError):
        impl.decode(wire)
    d = impl.Decoder()
    with pytest.raises(EventStreamError):
        d.feed(wire)
        d.close()
    if case == "invalid_prelude_checksum":
        with pytest.raises(
            PreludeChecksumMismatch, match="0xdeadbeef does not match computed 0x8bb495fb"
        ):
            impl.decode(wire)
    if case == "invalid_message_checksum":
        with pytest.raises(
            MessageChecksumMismatch, match="0xdeadbeef does not match computed 0x01a05860"
        ):
            impl.decode(wire)
