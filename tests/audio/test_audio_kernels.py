"""The compiled twin: its C kernel paths (scalar, AVX2, AVX-512) agree, and the
streaming identity holds on each of them."""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest

import audio

RATES = [(48000, 16000), (44100, 16000), (48000, 8000), (8000, 16000), (16000, 16000)]


def test_kernel_paths_are_known(compiled: ModuleType) -> None:
    paths = compiled._kernels()
    assert paths[0] == "scalar" and set(paths) <= {"scalar", "avx2", "avx512"}
    assert compiled._kernel() == paths[-1]  # the best one is used by default
    assert compiled._select_kernel("scalar") == "scalar"
    assert compiled._kernel() == "scalar"


@pytest.mark.parametrize("rates", RATES)
def test_paths_agree(compiled: ModuleType, rates: tuple[int, int]) -> None:
    x = np.random.default_rng(2).uniform(-1.05, 1.05, (5000, 2)).astype(np.float32)
    results = {}
    for name in compiled._kernels():
        compiled._select_kernel(name)
        results[name] = compiled.resample(x, *rates).astype(np.int32)
        r = compiled.Resampler(*rates, channels=2)
        streamed = np.concatenate(
            [r.process(x[i : i + 333]) for i in range(0, len(x), 333)] + [r.flush()]
        )
        assert np.array_equal(streamed, results[name])
        pcm = np.frombuffer(compiled.to_pcm16(x), "<i2")
        assert np.array_equal(pcm, np.rint(np.clip(x, -1, 1) * np.float32(32767)).reshape(-1))
    for name, y in results.items():
        assert np.max(np.abs(y - results["scalar"])) <= 1, name
    if "avx2" in results and "avx512" in results:  # same 16-lane order, same FMA
        assert np.array_equal(results["avx2"], results["avx512"])


def test_package_reports_the_twin_in_use() -> None:
    import importlib
    import os

    try:
        importlib.import_module("audio._resample_c")
        built = True
    except ImportError:
        built = False
    pure = os.environ.get("TRANSCRIBE_WS_PURE_PYTHON", "") not in ("", "0")
    want = "cython" if built and not pure else "python"
    assert audio.IMPLEMENTATION == want
    assert audio.resample.__module__ == f"audio._resample_{'c' if want == 'cython' else 'py'}"
