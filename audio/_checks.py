"""Argument validation shared by both twins: same checks, same messages."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

__all__ = [
    "MAX_RATE",
    "MIN_RATE",
    "SAMPLE_DTYPES",
    "check_channels",
    "check_chunk",
    "check_dtype",
    "check_rate",
    "check_samples",
]

MIN_RATE = 1000
MAX_RATE = 384000
#: the sample types every function accepts
SAMPLE_DTYPES = (np.dtype(np.float32), np.dtype(np.float64), np.dtype(np.int16))


def check_rate(name: str, value: Any) -> int:
    """Return *value* as an int sample rate, or raise TypeError/ValueError naming *name*."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int in Hz, not {type(value).__name__}")
    rate = int(value)
    if not MIN_RATE <= rate <= MAX_RATE:
        raise ValueError(f"{name} must be between {MIN_RATE} and {MAX_RATE} Hz, got {rate}")
    return rate


def check_channels(value: Any) -> int:
    """Return *value* as a channel count ≥ 1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"channels must be an int, not {type(value).__name__}")
    if value < 1:
        raise ValueError(f"channels must be at least 1, got {value}")
    return int(value)


def check_dtype(x: Any, name: str) -> np.ndarray[Any, Any]:
    """Return *x* as an array of an accepted dtype in native byte order."""
    a = np.asarray(x)
    native = a.dtype.newbyteorder("=") if a.dtype.byteorder in "<>" else a.dtype
    if native not in SAMPLE_DTYPES:
        raise TypeError(
            f"{name} has dtype {a.dtype}; expected float32 or float64 (in [-1, 1]) or int16"
        )
    if native != a.dtype:
        a = a.astype(native)
    return a


def check_samples(x: Any, name: str = "x") -> np.ndarray[Any, Any]:
    """Return *x* as an array of an accepted dtype, 1-D or (frames, channels)."""
    a = check_dtype(x, name)
    if a.ndim not in (1, 2):
        raise ValueError(f"{name} must be 1-D (mono) or 2-D (frames, channels), got {a.ndim}-D")
    if a.ndim == 2 and a.shape[1] < 1:
        raise ValueError(f"{name} has no channels (shape {a.shape})")
    return a


def check_chunk(x: Any, channels: int) -> np.ndarray[Any, Any]:
    """Validate a chunk for a running Resampler of *channels* channels."""
    a = check_samples(x, "chunk")
    got = 1 if a.ndim == 1 else a.shape[1]
    if got != channels:
        raise ValueError(
            f"chunk has {got} channel{'s' if got != 1 else ''}; this Resampler was "
            f"created with channels={channels}"
        )
    return a
