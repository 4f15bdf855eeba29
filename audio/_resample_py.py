"""The reference implementation of :mod:`audio` in numpy: the executable spec.

Written for clarity, not speed; ``_resample_c.pyx`` must agree with it within
one LSB (it accumulates in float32 where this accumulates in float64).

Output timing (both twins): output sample ``n`` sits at input time
``n * in_rate / out_rate``; there is no delay to trim.  It is computed from
the input samples up to ``q = (n * down + half) // up`` (see
:class:`audio._design.Design`), so a stream can emit it once input ``q`` has
arrived.  Length rules, for ``T`` input frames and the reduced ratio
``up / down = out_rate / in_rate``:

* ``resample(x)`` returns ``ceil(T * up / down)`` frames;
* after ``process()`` calls totalling ``T`` frames, ``max(0, ceil((T * up - half) / down))``
  frames have been returned; ``flush()`` returns the rest, up to ``ceil(T * up / down)``,
  computed as if the input continued with silence, and resets the stream.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._checks import check_channels, check_chunk, check_dtype, check_rate, check_samples
from ._design import design
from ._mix import downmix
from ._wav import read_wav

__all__ = ["Resampler", "downmix", "read_wav", "resample", "to_pcm16"]

_BLOCK = 2048  # outputs per vectorized step (bounds the temporary window copy)


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _units(a: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Samples as float32 in int16 units: floats clipped to [-1, 1] (NaN → 0) x 32767."""
    if a.dtype == np.int16:
        return a.astype(np.float32)
    v = np.where(np.isnan(a), a.dtype.type(0), a)
    v = np.clip(v, a.dtype.type(-1), a.dtype.type(1)) * a.dtype.type(32767)
    out: np.ndarray[Any, Any] = v.astype(np.float32)
    return out


def _pcm16(v: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Round to nearest (ties to even) and saturate to int16."""
    out: np.ndarray[Any, Any] = np.clip(np.rint(v), -32768, 32767).astype(np.int16)
    return out


def to_pcm16(samples: Any) -> bytes:
    """Samples → int16 little-endian bytes (frames interleaved for 2-D input).

    Floats are clipped to [-1, 1] (NaN → 0), scaled by 32767 and rounded to
    nearest, ties to even; int16 passes through unchanged.
    """
    a = check_dtype(samples, "samples")
    if a.dtype == np.int16:
        return bytes(a.astype("<i2").tobytes())
    v = np.where(np.isnan(a), a.dtype.type(0), a)
    v = np.clip(v, a.dtype.type(-1), a.dtype.type(1)) * a.dtype.type(32767)
    return bytes(np.rint(v).astype("<i2").tobytes())


class Resampler:
    """Streaming resampler: ``process()`` each chunk, then ``flush()`` once.

    The concatenation of every ``process()`` result and the ``flush()``
    result equals ``resample()`` of the whole signal, bit for bit, however the
    signal was cut (empty chunks included).  Chunks are 1-D (when
    ``channels == 1``) or (frames, channels); results have the same layout.
    See the module docstring for how many frames each call returns.
    """

    def __init__(self, in_rate: int, out_rate: int, channels: int = 1) -> None:
        self.in_rate = check_rate("in_rate", in_rate)
        self.out_rate = check_rate("out_rate", out_rate)
        self.channels = check_channels(channels)
        self._d = design(self.in_rate, self.out_rate)
        self._ndim = 1 if self.channels == 1 else 2
        self._reset()

    def _reset(self) -> None:
        self._hist = np.zeros((self._d.taps - 1, self.channels), dtype=np.float32)
        self._consumed = 0
        self._emitted = 0

    @property
    def delay(self) -> float:
        """Output lag behind the input in output samples: 0, the filter delay is trimmed."""
        return 0.0

    @property
    def latency(self) -> float:
        """Seconds an input sample waits for the input that completes its output."""
        return self._d.latency

    def process(self, chunk: Any) -> np.ndarray[Any, Any]:
        """Feed *chunk*; return every output frame whose input window is now complete."""
        a = check_chunk(chunk, self.channels)
        self._ndim = a.ndim
        x = _units(a).reshape(len(a), self.channels)
        d = self._d
        buf = np.concatenate([self._hist, x])
        total = self._consumed + len(x)
        count = max(0, _ceil_div(total * d.up - d.half, d.down)) - self._emitted
        out = self._run(buf, count)
        self._hist = buf[len(buf) - (d.taps - 1) :].copy()
        self._consumed = total
        return out

    def flush(self) -> np.ndarray[Any, Any]:
        """Return the remaining frames (input padded with silence), then reset the stream."""
        d = self._d
        count = _ceil_div(self._consumed * d.up, d.down) - self._emitted
        pad = 0
        if count > 0:
            last = ((self._emitted + count - 1) * d.down + d.half) // d.up
            pad = max(0, last - (self._consumed - 1))
        buf = np.concatenate([self._hist, np.zeros((pad, self.channels), dtype=np.float32)])
        out = self._run(buf, count)
        self._reset()
        return out

    def _run(self, buf: np.ndarray[Any, Any], count: int) -> np.ndarray[Any, Any]:
        """Outputs ``emitted .. emitted+count-1``; ``buf[0]`` is input ``consumed - taps + 1``."""
        d = self._d
        out = np.empty((count, self.channels), dtype=np.int16)
        bank = d.bank.astype(np.float64)
        for lo in range(0, count, _BLOCK):
            n = self._emitted + np.arange(lo, min(count, lo + _BLOCK), dtype=np.int64)
            t = n * d.down + d.half - self._consumed * d.up
            start, phase = t // d.up, t % d.up
            taps = bank[phase]
            for c in range(self.channels):
                windows = sliding_window_view(buf[:, c], d.taps)[start]
                out[lo : lo + len(n), c] = _pcm16(np.einsum("ij,ij->i", windows, taps))
        self._emitted += count
        return out[:, 0] if self._ndim == 1 else out


def resample(x: Any, in_rate: int, out_rate: int) -> np.ndarray[Any, Any]:
    """Resample *x* from *in_rate* to *out_rate* Hz; returns int16.

    *x* is 1-D (mono) or (frames, channels), float32/float64 in [-1, 1]
    (clipped; NaN → 0) or int16; channels are resampled independently.  The
    result has ``ceil(frames * out_rate / in_rate)`` frames (exactly, with the
    reduced ratio), the same layout as *x*, and no delay: output sample ``n``
    is at input time ``n * in_rate / out_rate``.
    """
    check_rate("in_rate", in_rate)
    check_rate("out_rate", out_rate)
    a = check_samples(x)
    r = Resampler(in_rate, out_rate, 1 if a.ndim == 1 else a.shape[1])
    head = r.process(a)
    return np.concatenate([head, r.flush()])
