"""Chooses the implementation: the compiled twin unless ``TRANSCRIBE_WS_PURE_PYTHON=1``
or it failed to import."""

from __future__ import annotations

import os

__all__ = ["IMPLEMENTATION", "Resampler", "resample", "to_pcm16"]

IMPLEMENTATION: str

if os.environ.get("TRANSCRIBE_WS_PURE_PYTHON", "") not in ("", "0"):
    from ._resample_py import Resampler, resample, to_pcm16

    IMPLEMENTATION = "python"
else:
    try:
        from ._resample_c import Resampler, resample, to_pcm16  # type: ignore[assignment]

        IMPLEMENTATION = "cython"
    except ImportError:
        from ._resample_py import Resampler, resample, to_pcm16

        IMPLEMENTATION = "python"
