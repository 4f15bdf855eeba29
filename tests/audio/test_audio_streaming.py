"""Resampler: process() chunks + flush() == resample(whole), bit for bit, for any chunking."""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

RATES = [
    (48000, 16000),
    (44100, 16000),
    (48000, 8000),
    (8000, 16000),
    (22050, 16000),
    (16000, 16000),
    (11025, 8000),
    (96000, 44100),
    (12345, 16000),
]
DTYPES = [np.float32, np.float64, np.int16]

fixture_ok = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def signal(seed: int, frames: int, channels: int, dtype: type) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.1, 1.1, size=(frames, channels))
    if dtype is np.int16:
        return (x * 30000).astype(np.int16)
    return x.astype(dtype)


def stream(r: object, x: np.ndarray, sizes: list[int]) -> np.ndarray:
    parts = []
    pos = 0
    for s in sizes:
        parts.append(r.process(x[pos : pos + s]))  # type: ignore[attr-defined]
        pos += s
    parts.append(r.process(x[pos:]))  # type: ignore[attr-defined]
    parts.append(r.flush())  # type: ignore[attr-defined]
    return np.concatenate(parts)


@fixture_ok
@given(
    rates=st.sampled_from(RATES),
    dtype=st.sampled_from(DTYPES),
    channels=st.sampled_from([1, 2]),
    seed=st.integers(0, 2**32 - 1),
    frames=st.integers(0, 1500),
    sizes=st.lists(st.one_of(st.just(0), st.just(1), st.integers(0, 400)), max_size=40),
)
def test_any_chunking_is_bit_identical(
    impl: ModuleType,
    rates: tuple[int, int],
    dtype: type,
    channels: int,
    seed: int,
    frames: int,
    sizes: list[int],
) -> None:
    x = signal(seed, frames, channels, dtype)
    if channels == 1:
        x = x[:, 0]
    whole = impl.resample(x, *rates)
    r = impl.Resampler(*rates, channels=channels)
    got = stream(r, x, sizes)
    assert got.dtype == np.int16
    assert got.shape == whole.shape
    assert np.array_equal(got, whole)
    # flush() reset the stream: it can be used again
    assert np.array_equal(stream(r, x, sizes[::-1]), whole)


@pytest.mark.parametrize("rates", RATES[:4])
def test_one_sample_chunks(impl: ModuleType, rates: tuple[int, int]) -> None:
    x = signal(7, 700, 1, np.float32)[:, 0]
    r = impl.Resampler(*rates)
    got = stream(r, x, [1] * 700)
    assert np.array_equal(got, impl.resample(x, *rates))


@pytest.mark.parametrize("rates", RATES)
def test_length_rules(impl: ModuleType, rates: tuple[int, int]) -> None:
    fin, fout = rates
    r = impl.Resampler(fin, fout)
    total_out = 0
    for t, size in enumerate([0, 1, 5, 160, 999, 3, 4410], start=1):
        total_out += len(r.process(np.zeros(size, dtype=np.float32)))
        frames = sum([0, 1, 5, 160, 999, 3, 4410][:t])
        assert total_out <= -(-frames * fout // fin)
    tail = r.flush()
    assert total_out + len(tail) == -(-frames * fout // fin)
    assert len(impl.resample(np.zeros(frames, dtype=np.float32), fin, fout)) == -(
        -frames * fout // fin
    )


def test_empty_chunks_and_flush_on_fresh_stream(impl: ModuleType) -> None:
    r = impl.Resampler(48000, 16000, channels=2)
    assert r.process(np.zeros((0, 2), dtype=np.int16)).shape == (0, 2)
    assert r.flush().shape == (0, 2)
    m = impl.Resampler(48000, 16000)
    assert m.flush().shape == (0,)
    assert m.process(np.zeros(0, dtype=np.float32)).shape == (0,)
