"""read_wav: PCM 8/16/24/32-bit, float, WAVE_FORMAT_EXTENSIBLE, and clear errors."""

from __future__ import annotations

import struct
import wave
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

GUID_TAIL = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"


def riff(fmt: bytes, data: bytes, *, extra: bytes = b"", data_size: int | None = None) -> bytes:
    size = len(data) if data_size is None else data_size
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + extra
    body += b"data" + struct.pack("<I", size) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def fmt_chunk(tag: int, channels: int, rate: int, bits: int) -> bytes:
    align = channels * bits // 8
    return struct.pack("<HHIIHH", tag, channels, rate, rate * align, align, bits)


def extensible(sub: int, channels: int, rate: int, bits: int) -> bytes:
    base = fmt_chunk(0xFFFE, channels, rate, bits)
    return base + struct.pack("<HHIH", 22, bits, 0, sub) + GUID_TAIL


@pytest.mark.parametrize("width", [1, 2, 3, 4])
@pytest.mark.parametrize("channels", [1, 2, 5])
def test_pcm_via_stdlib_writer(impl: ModuleType, tmp_path: Path, width: int, channels: int) -> None:
    rng = np.random.default_rng(width * 10 + channels)
    frames = 37
    raw = rng.integers(0, 256, size=frames * channels * width, dtype=np.uint8).tobytes()
    path = tmp_path / "x.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(22050)
        w.writeframes(raw)
    x, rate = impl.read_wav(path)
    assert rate == 22050
    assert x.shape == ((frames,) if channels == 1 else (frames, channels))
    b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, width).astype(np.int64)
    if width == 1:
        want = (b[:, 0] - 128) * 256
        assert x.dtype == np.int16
    else:
        v = sum(b[:, k] << (8 * k) for k in range(width))
        v = np.where(v >= 1 << (8 * width - 1), v - (1 << (8 * width)), v)
        if width == 2:
            want = v
            assert x.dtype == np.int16
        else:
            want = v / float(1 << (8 * width - 1))
            assert x.dtype == (np.float32 if width == 3 else np.float64)
    assert np.array_equal(x.reshape(-1), want.astype(x.dtype))


@pytest.mark.parametrize(("bits", "dtype"), [(32, "<f4"), (64, "<f8")])
@pytest.mark.parametrize("ext", [False, True])
def test_float_and_extensible(
    impl: ModuleType, tmp_path: Path, bits: int, dtype: str, ext: bool
) -> None:
    data = np.array([[0.5, -0.25], [1.0, -1.0], [0.0, 0.125]], dtype=dtype)
    fmt = extensible(3, 2, 48000, bits) if ext else fmt_chunk(3, 2, 48000, bits)
    path = tmp_path / "f.wav"
    path.write_bytes(riff(fmt, data.tobytes(), extra=b"LIST\x03\x00\x00\x00abc\x00"))
    x, rate = impl.read_wav(path)
    assert rate == 48000 and x.shape == (3, 2)
    assert np.array_equal(x, data.astype(x.dtype))


def test_extensible_pcm24(impl: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "e.wav"
    path.write_bytes(riff(extensible(1, 1, 16000, 24), b"\x00\x00\x80\xff\xff\x7f"))
    x, rate = impl.read_wav(str(path))
    assert rate == 16000 and x.dtype == np.float32
    assert x.tolist() == [-1.0, (2**23 - 1) / 2**23]


def test_streaming_placeholder_size(impl: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "s.wav"
    path.write_bytes(riff(fmt_chunk(1, 1, 8000, 16), b"\x01\x00\x02\x00", data_size=0xFFFFFFFF))
    x, _ = impl.read_wav(path)
    assert x.tolist() == [1, 2]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "not a WAV file"),
        (b"ID3\x03 this is an mp3", "not a WAV file"),
        (b"RF64" + b"\x00" * 40, "RF64"),
        (riff(fmt_chunk(6, 1, 8000, 8), b"\x00" * 8), r"tag 0x0006, A-law"),
        (riff(fmt_chunk(0x55, 1, 8000, 16), b"\x00" * 8), r"MP3"),
        (riff(extensible(2, 1, 8000, 16), b"\x00" * 8), r"tag 0x0002"),
        (riff(fmt_chunk(1, 1, 8000, 16), b"\x00" * 8, data_size=100), "truncated"),
        (riff(fmt_chunk(1, 2, 8000, 16), b"\x00" * 6), "not a whole number"),
        (riff(fmt_chunk(1, 1, 8000, 12), b"\x00" * 6), "12-bit PCM"),
        (riff(fmt_chunk(3, 1, 8000, 16), b"\x00" * 6), "16-bit float"),
        (riff(fmt_chunk(1, 1, 8000, 16), b"")[:-8], "no data chunk"),
        (b"RIFF\x04\x00\x00\x00WAVE", "no fmt chunk"),
        (riff(fmt_chunk(1, 0, 8000, 16), b""), "0 channels"),
    ],
)
def test_errors_name_the_file_and_the_problem(
    impl: ModuleType, tmp_path: Path, content: bytes, problem: str
) -> None:
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=problem) as info:
        impl.read_wav(path)
    assert str(path) in str(info.value)


def test_missing_file(impl: ModuleType, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        impl.read_wav(tmp_path / "nope.wav")


def test_read_then_resample(impl: ModuleType, tmp_path: Path) -> None:
    t = np.arange(4410) / 44100
    pcm = (np.sin(2 * np.pi * 440 * t) * 20000).astype("<i2")
    path = tmp_path / "tone.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(44100)
        w.writeframes(pcm.tobytes())
    x, rate = impl.read_wav(path)
    y = impl.resample(x, rate, 16000)
    assert len(y) == 1600 and 19900 < int(np.max(y[100:-100])) <= 20001
