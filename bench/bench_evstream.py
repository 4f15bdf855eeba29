"""pytest-benchmark suites for evstream: both implementations, per message and in bulk."""

from __future__ import annotations

import importlib
import zlib
from types import ModuleType

import pytest
from evstream_cases import AUDIO_HEADERS, AUDIO_PAYLOAD, TRANSCRIPT_HEADERS, TRANSCRIPT_PAYLOAD

CASES = {
    "audio": (AUDIO_HEADERS, AUDIO_PAYLOAD),
    "transcript": (TRANSCRIPT_HEADERS, TRANSCRIPT_PAYLOAD),
}


@pytest.fixture(params=["cython", "python"])
def impl(request: pytest.FixtureRequest) -> ModuleType:
    return importlib.import_module(
        {"cython": "evstream._codec_c", "python": "evstream._codec_py"}[request.param]
    )


@pytest.mark.parametrize("case", sorted(CASES))
def test_encode(benchmark, impl: ModuleType, case: str) -> None:  # type: ignore[no-untyped-def]
    headers, payload = CASES[case]
    benchmark.group = f"encode {case}"
    benchmark(impl.encode, headers, payload)


@pytest.mark.parametrize("case", sorted(CASES))
def test_decode_one_per_feed(benchmark, impl: ModuleType, case: str) -> None:  # type: ignore[no-untyped-def]
    wire = impl.encode(*CASES[case])
    decoder = impl.Decoder()
    benchmark.group = f"decode {case}, one message per feed"
    assert len(benchmark(decoder.feed, wire)) == 1


@pytest.mark.parametrize("case", sorted(CASES))
def test_decode_1mib_buffer(benchmark, impl: ModuleType, case: str) -> None:  # type: ignore[no-untyped-def]
    wire = impl.encode(*CASES[case])
    big = wire * (2**20 // len(wire))
    benchmark.group = f"decode {case}, 1 MiB per feed"
    out = benchmark(lambda: impl.Decoder().feed(big))
    assert len(out) == 2**20 // len(wire)


@pytest.mark.parametrize("which", ["ours", "zlib"])
def test_crc32_3300(benchmark, which: str) -> None:  # type: ignore[no-untyped-def]
    data = (bytes(range(256)) * 13)[:3300]
    fn = importlib.import_module("evstream").crc32 if which == "ours" else zlib.crc32
    benchmark.group = "crc32 3.3 KB"
    benchmark(fn, data)
