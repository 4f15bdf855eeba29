"""pytest-benchmark suite for audio: both twins, one-shot and streaming, and to_pcm16."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

import numpy as np
import pytest

TWINS = ["audio._resample_c", "audio._resample_py"]


@pytest.fixture(params=TWINS, ids=["cython", "python"])
def twin(request: pytest.FixtureRequest) -> ModuleType:
    try:
        return importlib.import_module(request.param)
    except ImportError as exc:  # the compiled twin is not built
        pytest.skip(str(exc))


def _noise(n: int, dtype: Any = np.float32) -> np.ndarray[Any, Any]:
    return (np.random.default_rng(0).standard_normal(n) * 0.1).astype(dtype)


@pytest.mark.parametrize("fin", [48000, 44100])
def test_resample_one_second_to_16k(benchmark: Any, twin: ModuleType, fin: int) -> None:
    x = _noise(fin)
    y = benchmark(twin.resample, x, fin, 16000)
    assert len(y) == 16000


def test_resample_one_second_48k_to_8k(benchmark: Any, twin: ModuleType) -> None:
    x = _noise(48000)
    assert len(benchmark(twin.resample, x, 48000, 8000)) == 8000


def test_resample_int16_stereo(benchmark: Any, twin: ModuleType) -> None:
    x = (np.random.default_rng(1).standard_normal((48000, 2)) * 3000).astype(np.int16)
    assert benchmark(twin.resample, x, 48000, 16000).shape == (16000, 2)


@pytest.mark.parametrize("fin", [48000, 44100])
def test_stream_20ms_chunk(benchmark: Any, twin: ModuleType, fin: int) -> None:
    chunk = _noise(fin // 50)
    r = twin.Resampler(fin, 16000)
    out = benchmark(r.process, chunk)
    assert 319 <= len(out) <= 321


@pytest.mark.parametrize("n", [320, 48000])
def test_to_pcm16(benchmark: Any, twin: ModuleType, n: int) -> None:
    x = _noise(n)
    assert len(benchmark(twin.to_pcm16, x)) == 2 * n
