"""Public behaviour of resample, Resampler, to_pcm16 and downmix, for both twins."""

from __future__ import annotations

import sys
from types import ModuleType

import numpy as np
import pytest

import audio

BAD_DTYPES = [
    "int8",
    "uint8",
    "int32",
    "int64",
    "uint16",
    "float16",
    "complex64",
    "bool",
    "U3",
    "object",
]


def test_package_api() -> None:
    assert audio.IMPLEMENTATION in ("cython", "python")
    assert sorted(audio.__all__) == [
        "IMPLEMENTATION",
        "Resampler",
        "downmix",
        "read_wav",
        "resample",
        "to_pcm16",
    ]
    for name in audio.__all__:
        assert hasattr(audio, name)


def test_twins_export_the_same_names(impl: ModuleType) -> None:
    assert sorted(impl.__all__) == ["Resampler", "downmix", "read_wav", "resample", "to_pcm16"]


# ---- to_pcm16 -----------------------------------------------------------------


def test_to_pcm16_scaling_rounding_clipping(impl: ModuleType) -> None:
    x = np.array(
        [0.0, 1.0, -1.0, 2.0, -7.0, np.nan, np.inf, -np.inf, 0.5 / 32767, 1.5 / 32767, -0.5, 0.25],
        dtype=np.float32,
    )
    got = np.frombuffer(impl.to_pcm16(x), dtype="<i2")
    want = [0, 32767, -32767, 32767, -32767, 0, 32767, -32767, 0, 2, -16384, 8192]
    assert got.tolist() == want


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_to_pcm16_matches_numpy(impl: ModuleType, dtype: type) -> None:
    x = np.random.default_rng(3).uniform(-1.2, 1.2, 5001).astype(dtype)
    want = np.rint(np.clip(x, -1, 1) * dtype(32767)).astype("<i2").tobytes()
    assert impl.to_pcm16(x) == want
    assert (
        impl.to_pcm16(x[::3])
        == np.rint(np.clip(x[::3], -1, 1) * dtype(32767)).astype("<i2").tobytes()
    )


def test_to_pcm16_int16_is_little_endian_and_interleaved(impl: ModuleType) -> None:
    x = np.array([[1, -2], [300, -32768]], dtype=np.int16)
    assert impl.to_pcm16(x) == b"\x01\x00\xfe\xff\x2c\x01\x00\x80"
    assert impl.to_pcm16(x.astype(">i2")) == impl.to_pcm16(x)  # big-endian input too
    assert impl.to_pcm16(np.asfortranarray(x)) == impl.to_pcm16(x)
    assert impl.to_pcm16(np.zeros(0, dtype=np.float32)) == b""


@pytest.mark.parametrize("dtype", BAD_DTYPES)
def test_to_pcm16_rejects_other_dtypes(impl: ModuleType, dtype: str) -> None:
    with pytest.raises(TypeError, match="samples has dtype"):
        impl.to_pcm16(np.zeros(4, dtype=dtype))


# ---- resample -------------------------------------------------------------------


@pytest.mark.parametrize("dtype", BAD_DTYPES)
def test_resample_rejects_other_dtypes(impl: ModuleType, dtype: str) -> None:
    with pytest.raises(TypeError, match=r"x has dtype .*expected float32 or float64"):
        impl.resample(np.zeros(4, dtype=dtype), 48000, 16000)
    with pytest.raises(TypeError, match="chunk has dtype"):
        impl.Resampler(48000, 16000).process(np.zeros(4, dtype=dtype))


@pytest.mark.parametrize(
    ("fin", "fout", "exc", "match"),
    [
        (999, 16000, ValueError, "in_rate must be between 1000 and 384000 Hz, got 999"),
        (48000, 384001, ValueError, "out_rate must be between"),
        (0, 16000, ValueError, "in_rate"),
        (-48000, 16000, ValueError, "in_rate"),
        (48000.0, 16000, TypeError, "in_rate must be an int"),
        ("48000", 16000, TypeError, "in_rate must be an int"),
        (True, 16000, TypeError, "in_rate"),
        (48000, None, TypeError, "out_rate must be an int"),
        (383999, 384000, ValueError, "ratio reduces to 384000/383999"),
    ],
)
def test_bad_rates(impl: ModuleType, fin: object, fout: object, exc: type, match: str) -> None:
    with pytest.raises(exc, match=match):
        impl.resample(np.zeros(10, dtype=np.float32), fin, fout)
    with pytest.raises(exc, match=match):
        impl.Resampler(fin, fout)


def test_numpy_integer_rates_are_fine(impl: ModuleType) -> None:
    y = impl.resample(np.zeros(30, dtype=np.int16), np.int64(48000), np.int32(16000))
    assert y.shape == (10,)


def test_bad_shapes(impl: ModuleType) -> None:
    with pytest.raises(ValueError, match=r"1-D .* or 2-D"):
        impl.resample(np.zeros((4, 2, 2), dtype=np.float32), 48000, 16000)
    with pytest.raises(ValueError, match="got 0-D"):
        impl.resample(np.float32(0.5), 48000, 16000)
    with pytest.raises(ValueError, match="no channels"):
        impl.resample(np.zeros((4, 0), dtype=np.float32), 48000, 16000)


def test_wrong_channel_count_for_running_resampler(impl: ModuleType) -> None:
    r = impl.Resampler(48000, 16000, channels=2)
    r.process(np.zeros((30, 2), dtype=np.float32))
    with pytest.raises(ValueError, match=r"chunk has 3 channels; .*channels=2"):
        r.process(np.zeros((30, 3), dtype=np.float32))
    with pytest.raises(ValueError, match="chunk has 1 channel;"):
        r.process(np.zeros(30, dtype=np.float32))
    with pytest.raises(ValueError, match="channels must be at least 1"):
        impl.Resampler(48000, 16000, channels=0)
    with pytest.raises(TypeError, match="channels must be an int"):
        impl.Resampler(48000, 16000, channels="2")


@pytest.mark.parametrize("shape", [(0,), (0, 2)])
def test_empty_input(impl: ModuleType, shape: tuple[int, ...]) -> None:
    y = impl.resample(np.zeros(shape, dtype=np.float32), 44100, 16000)
    assert y.shape == shape and y.dtype == np.int16


@pytest.mark.parametrize(
    ("fin", "fout", "n"),
    [(48000, 16000, 1), (8000, 16000, 2), (44100, 16000, 1), (16000, 16000, 1)],
)
def test_one_sample(impl: ModuleType, fin: int, fout: int, n: int) -> None:
    y = impl.resample(np.array([0.5]), fin, fout)
    assert y.shape == (n,) and y.dtype == np.int16


def test_same_rate_is_exact_conversion(impl: ModuleType) -> None:
    x = np.random.default_rng(5).uniform(-1.5, 1.5, 999)
    want = np.rint(np.clip(x, -1, 1) * 32767).astype(np.int16)
    assert np.array_equal(impl.resample(x, 16000, 16000), want)
    assert np.array_equal(impl.resample(want, 44100, 44100), want)


def test_huge_values_saturate_without_wrapping(impl: ModuleType) -> None:
    # a full-scale 50 Hz square wave overshoots (Gibbs) next to each step: the output
    # saturates there and never wraps around to the other sign
    n = np.arange(4800)
    sq = np.where(n // 480 % 2 == 0, 1.0, -1.0)
    out_sign = np.where(np.arange(1600) // 160 % 2 == 0, 1, -1)
    near_step = (np.arange(1600) % 160 < 4) | (np.arange(1600) % 160 > 156)
    for x in (sq * 1e30, np.where(sq > 0, 32767, -32768).astype(np.int16)):
        y = impl.resample(x, 48000, 16000).astype(np.int32)
        assert y.max() == 32767 and y.min() <= -32767
        # away from the steps: the right sign, within the ~9 % Gibbs ripple of full scale
        assert np.all(y[~near_step] * out_sign[~near_step] > 28000)


def test_nan_is_silence_and_inf_is_full_scale(impl: ModuleType) -> None:
    n = 4800
    assert not np.any(impl.resample(np.full(n, np.nan), 48000, 16000))
    y_inf = impl.resample(np.full(n, np.inf, dtype=np.float32), 48000, 16000)
    y_one = impl.resample(np.full(n, 1.0, dtype=np.float32), 48000, 16000)
    assert np.array_equal(y_inf, y_one)
    assert np.all(y_one[200:-200] == 32767)


def test_input_layouts_and_dtypes_agree(impl: ModuleType) -> None:
    rng = np.random.default_rng(9)
    x = rng.uniform(-1, 1, (3000, 2))
    base = impl.resample(x, 44100, 16000)
    assert base.shape == (-(-3000 * 160 // 441), 2)
    assert np.array_equal(impl.resample(np.asfortranarray(x), 44100, 16000), base)
    assert np.array_equal(impl.resample(x[:, ::-1], 44100, 16000), base[:, ::-1])
    assert np.array_equal(
        impl.resample(x[::2], 44100, 16000),
        impl.resample(np.ascontiguousarray(x[::2]), 44100, 16000),
    )
    assert np.array_equal(impl.resample(x.tolist(), 44100, 16000), base)
    f32 = impl.resample(x.astype(np.float32), 44100, 16000).astype(np.int32)
    assert np.max(np.abs(f32 - base)) <= 1
    if sys.byteorder == "little":
        assert np.array_equal(impl.resample(x.astype(">f8"), 44100, 16000), base)


def test_channels_are_independent(impl: ModuleType) -> None:
    rng = np.random.default_rng(11)
    left, right = rng.uniform(-1, 1, 4000), np.zeros(4000)
    y = impl.resample(np.stack([left, right], axis=1), 48000, 8000)
    assert np.array_equal(y[:, 0], impl.resample(left, 48000, 8000))
    assert not np.any(y[:, 1])


def test_delay_and_latency(impl: ModuleType) -> None:
    r = impl.Resampler(48000, 16000)
    assert r.delay == 0.0
    assert 0 < r.latency <= 0.005
    assert 0 < impl.Resampler(48000, 8000).latency <= 0.008
    assert (r.in_rate, r.out_rate, r.channels) == (48000, 16000, 1)


# ---- downmix ----------------------------------------------------------------------


def test_downmix(impl: ModuleType) -> None:
    x = np.array([[0.5, -0.5, 1.0], [0.25, 0.25, 0.25]], dtype=np.float32)
    m = impl.downmix(x)
    assert m.dtype == np.float32 and m.tolist() == [pytest.approx(1 / 3), 0.25]
    i = impl.downmix(np.array([[1, 2], [3, 4], [-3, -4]], dtype=np.int16))
    assert i.dtype == np.int16 and i.tolist() == [2, 4, -4]
    mono = np.arange(5, dtype=np.float64)
    assert impl.downmix(mono) is mono
    with pytest.raises(TypeError, match="x has dtype int32"):
        impl.downmix(np.zeros((3, 2), dtype=np.int32))
