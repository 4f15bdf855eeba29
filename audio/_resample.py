"""Chooses the implementation: compiled unless told otherwise or unavailable.

``TRANSCRIBE_WS_PURE_PYTHON=1`` forces the pure-Python reference, as does a
failed import of the compiled module.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

__all__ = ["IMPLEMENTATION", "Resampler", "resample", "to_pcm16"]

IMPLEMENTATION: str

if TYPE_CHECKING:
    from ._resample_py import Resampler, resample, to_pcm16
elif os.environ.get("TRANSCRIBE_WS_PURE_PYTHON", "") not in ("", "0"):
    from ._resample_py import Resampler, resample, to_pcm16

    IMPLEMENTATION = "python"
else:
    try:
        from ._resample_c import Resampler, resample, to_pcm16

        IMPLEMENTATION = "cython"
    except ImportError:
        from ._resample_py import Resampler, resample, to_pcm16

        IMPLEMENTATION = "python"
