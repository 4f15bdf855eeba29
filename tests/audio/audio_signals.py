"""Test signals and measurements for the resampler quality tests."""

from __future__ import annotations

import numpy as np

FULL = 32767.0
EDGE = 0.03  # seconds skipped at each end (filter start-up and tail)


def tones(
    freqs: list[float],
    rate: int,
    seconds: float,
    amp: float,
    extra: float = 0.0,
    extra_amp: float = 0.0,
) -> np.ndarray:
    """(frames, len(freqs)) float64: channel k holds a cosine at freqs[k] (plus, when
    *extra* is set, a second cosine at *extra* Hz, which makes int16 rounding
    noise-like so that small components can be measured below one LSB)."""
    t = np.arange(round(seconds * rate)) / rate
    x = amp * np.cos(2 * np.pi * np.outer(t, freqs) + 0.3)
    if extra:
        x += extra_amp * np.cos(2 * np.pi * extra * t + 1.1)[:, None]
    return x


def fit(y: np.ndarray, rate: int, freqs: list[float]) -> list[complex]:
    """Least-squares complex amplitudes of *freqs* in *y* (edges skipped), as
    ``A * exp(i*phi)`` for a component ``A * cos(2*pi*f*t + phi)`` with t = n / rate."""
    skip = round(EDGE * rate)
    n = np.arange(skip, len(y) - skip)
    t = n / rate
    cols = [np.ones_like(t)]
    for f in freqs:
        cols += [np.cos(2 * np.pi * f * t), np.sin(2 * np.pi * f * t)]
    a = np.stack(cols, axis=1)
    coef, *_ = np.linalg.lstsq(a, y[skip : len(y) - skip].astype(np.float64), rcond=None)
    return [complex(coef[1 + 2 * k], -coef[2 + 2 * k]) for k in range(len(freqs))]


def folded(f: float, rate: int) -> float:
    """Where a tone at *f* Hz lands after sampling at *rate*."""
    f = f % rate
    return min(f, rate - f)


def db(v: float) -> float:
    return 20 * float(np.log10(max(v, 1e-12)))
