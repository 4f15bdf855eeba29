"""PCM conversion and low-latency anti-aliased resampling for speech streaming.

``resample`` and ``Resampler`` turn float or int16 audio at any rate into
int16 at another (16 or 8 kHz for Transcribe), with a linear-phase polyphase
filter: at least 90 dB of alias rejection, passband flat within ±0.05 dB to
0.9 x the output Nyquist, and at most 3.5 ms (7 ms at 8 kHz output) of
streaming latency.  ``IMPLEMENTATION`` says which twin is in use.
"""

from __future__ import annotations

from ._mix import downmix
from ._resample import IMPLEMENTATION, Resampler, resample, to_pcm16
from ._wav import read_wav

__all__ = ["IMPLEMENTATION", "Resampler", "downmix", "read_wav", "resample", "to_pcm16"]
