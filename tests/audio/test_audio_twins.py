"""The compiled twin and the reference agree within one LSB, and raise the same errors."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from twins import assert_twins_agree, load

C = load("audio", "cython")
P = load("audio", "python")

RATE = st.one_of(
    st.sampled_from([8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000, 96000]),
    st.integers(900, 400000),
    st.sampled_from([0, -16000, 999, 384001, 16000.0, "16000", True, None]),
)
DTYPE = st.sampled_from(
    [
        "float32",
        "float64",
        "int16",
        "float32",
        "int16",
        "int8",
        "uint8",
        "int32",
        "int64",
        "uint16",
        "float16",
        "complex64",
        "bool",
    ]
)


def within_one_lsb(a: Any, b: Any) -> bool:
    if isinstance(a, bytes):
        a, b = np.frombuffer(a, "<i2"), np.frombuffer(b, "<i2")
    return (
        a.dtype == b.dtype
        and a.shape == b.shape
        and bool(np.all(np.abs(a.astype(np.int32) - b.astype(np.int32)) <= 1))
    )


@st.composite
def samples(draw: st.DrawFn) -> np.ndarray:
    dtype = np.dtype(draw(DTYPE))
    frames = draw(st.integers(0, 600))
    shape: tuple[int, ...] = (frames,)
    layout = draw(st.sampled_from(["1d", "2d", "2d", "strided", "fortran", "3d", "0d"]))
    if layout == "0d":
        shape = ()
    elif layout != "1d":
        shape = (frames, draw(st.integers(1, 3)))
    if layout == "3d":
        shape = (*shape, 2)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    special = draw(st.sampled_from(["plain", "loud", "nan", "inf"]))
    v = rng.uniform(-1, 1, size=shape) * (3.0 if special == "loud" else 1.0)
    if dtype.kind == "f" and shape and frames:
        if special == "nan":
            v.flat[rng.integers(0, v.size, size=3)] = np.nan
        if special == "inf":
            v.flat[rng.integers(0, v.size, size=3)] = np.inf
            v.flat[rng.integers(0, v.size, size=3)] = -np.inf
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        lim = min(int(info.max), 2**31)
        v = np.clip(v * lim, max(int(info.min), -lim), lim)
    a = v.astype(dtype)
    if layout == "strided" and a.ndim == 2:
        a = a[::2, ::-1]
    if layout == "fortran":
        a = np.asfortranarray(a)
    return a


@settings(max_examples=150, deadline=None)
@given(x=samples(), fin=RATE, fout=RATE)
def test_resample_twins_agree(x: np.ndarray, fin: Any, fout: Any) -> None:
    assert_twins_agree(C.resample, P.resample, x, fin, fout, compare=within_one_lsb)


@settings(max_examples=150, deadline=None)
@given(x=samples())
def test_to_pcm16_twins_agree(x: np.ndarray) -> None:
    assert_twins_agree(C.to_pcm16, P.to_pcm16, x, compare=lambda a, b: a == b)


@settings(max_examples=60, deadline=None)
@given(
    fin=st.sampled_from([8000, 44100, 48000, 22050]),
    fout=st.sampled_from([8000, 16000, 48000]),
    channels=st.integers(1, 3),
    chunks=st.lists(samples(), max_size=5),
)
def test_resampler_twins_agree(fin: int, fout: int, channels: int, chunks: list[Any]) -> None:
    rc, rp = C.Resampler(fin, fout, channels), P.Resampler(fin, fout, channels)
    for chunk in chunks:
        assert_twins_agree(rc.process, rp.process, chunk, compare=within_one_lsb)
    assert_twins_agree(rc.flush, rp.flush, compare=within_one_lsb)


def test_bad_constructor_arguments_agree() -> None:
    for args in [
        (48000, 16000, 0),
        (48000, 16000, 1.5),
        (47, 16000),
        (48000, "x"),
        (383999, 384000),
        (48000, 16000, True),
    ]:
        assert_twins_agree(C.Resampler, P.Resampler, *args, compare=lambda a, b: True)
