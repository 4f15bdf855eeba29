"""Channel mixing shared by both twins."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import check_samples

__all__ = ["downmix"]


def downmix(x: Any) -> np.ndarray[Any, Any]:
    """Average the channels of *x* (frames, channels) into one (frames,) signal.

    1-D input is returned unchanged.  Floating-point input keeps its dtype;
    int16 input gives int16 (rounded to nearest, ties to even).
    """
    a = check_samples(x)
    if a.ndim == 1:
        return a
    out: np.ndarray[Any, Any]
    if a.dtype == np.int16:
        out = np.rint(a.astype(np.float64).mean(axis=1)).astype(np.int16)
    else:
        out = a.mean(axis=1, dtype=a.dtype)
    return out
