"""Filter quality measured with generated tones, for both twins.

Alias rejection over a dense sweep, passband ripple, output offset against
``.delay``, streaming latency, and SNR against the ideal output.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest
from audio_signals import FULL, db, fit, folded, tones

RATIOS = [
    (48000, 16000),
    (44100, 16000),
    (48000, 8000),
    (32000, 16000),
    (22050, 16000),
    (8000, 16000),
]
IDS = [f"{a / 1000:g}k-{b / 1000:g}k" for a, b in RATIOS]
SECONDS = 0.3
HELPER = 997.0  # a second, in-band tone that turns int16 rounding into noise


def ratios() -> pytest.MarkDecorator:
    return pytest.mark.parametrize(("fin", "fout"), RATIOS, ids=IDS)


def sweep(lo: float, hi: float, n: int) -> list[float]:
    """n frequencies from lo to hi, denser near lo (the transition band)."""
    u = np.linspace(0.0, 1.0, n) ** 2
    return [float(v) for v in lo + (hi - lo) * u]


@ratios()
def test_alias_rejection_at_least_90_db(impl: ModuleType, fin: int, fout: int) -> None:
    if fout < fin:
        # every tone from the output Nyquist up folds back into the output band
        nyq = fout / 2
        cand = sweep(nyq + 20, fin / 2 - 20, 64)
        freqs = [
            f
            for f in cand
            if 30 < folded(f, fout) < nyq - 15 and abs(folded(f, fout) - HELPER) > 30
        ]
        x = tones(freqs, fin, SECONDS, 0.45, extra=HELPER, extra_amp=0.45)
        y = impl.resample(x, fin, fout)
        worst = -200.0
        for k, f in enumerate(freqs):
            helper, alias = fit(y[:, k], fout, [HELPER, folded(f, fout)])
            assert abs(db(abs(helper) / (0.45 * FULL))) < 0.05
            worst = max(worst, db(abs(alias) / (0.45 * FULL)))
    else:
        # up-sampling: every image of the passband (at fin - f) is rejected
        freqs = sweep(20, 0.9 * fin / 2, 48)[::-1]
        x = tones(freqs, fin, SECONDS, 0.9)
        y = impl.resample(x, fin, fout)
        worst = -200.0
        for k, f in enumerate(freqs):
            tone, image = fit(y[:, k], fout, [f, fin - f])
            worst = max(worst, db(abs(image) / abs(tone)))
    assert worst <= -90.0, f"worst alias {worst:.1f} dB"


@ratios()
def test_passband_flat_within_0_05_db(impl: ModuleType, fin: int, fout: int) -> None:
    edge = 0.9 * min(fin, fout) / 2
    freqs = [float(f) for f in np.linspace(20, edge, 40)]
    x = tones(freqs, fin, SECONDS, 0.9)
    y = impl.resample(x, fin, fout)
    gains = [db(abs(fit(y[:, k], fout, [f])[0]) / (0.9 * FULL)) for k, f in enumerate(freqs)]
    assert max(gains) <= 0.05 and min(gains) >= -0.05, (min(gains), max(gains))


@ratios()
def test_output_offset_matches_delay(impl: ModuleType, fin: int, fout: int) -> None:
    f = 0.3 * min(fin, fout) / 2
    y = impl.resample(tones([f], fin, SECONDS, 0.5)[:, 0], fin, fout)
    (c,) = fit(y, fout, [f])
    lag = -(np.angle(c) - 0.3) / (2 * np.pi * f) * fout  # in output samples
    lag = (lag + fout / f / 2) % (fout / f) - fout / f / 2
    delay = impl.Resampler(fin, fout).delay
    assert abs(lag - delay) <= 1.0
    assert abs(lag) < 0.01  # the filter's delay is trimmed: output n is at input n*fin/fout
    # an impulse comes out centred where it went in
    k0 = fin // 50
    pulse = np.zeros(fin // 10, dtype=np.int16)
    pulse[k0] = 32767
    out = impl.resample(pulse, fin, fout)
    assert int(np.argmax(out)) == k0 * fout // fin


@ratios()
def test_streaming_latency(impl: ModuleType, fin: int, fout: int) -> None:
    bound = 0.005 if fout >= 16000 else 0.008
    k0 = fin // 100
    pulse = np.zeros(k0 + round(0.012 * fin), dtype=np.int16)
    pulse[k0] = 32767
    r = impl.Resampler(fin, fout)
    emitted_at: list[int] = []  # input frames seen when each output came out
    got = r.process(pulse[:k0])
    emitted_at += [k0] * len(got)
    for i in range(k0, len(pulse)):
        got = r.process(pulse[i : i + 1])
        emitted_at += [i + 1] * len(got)
    emitted_at += [len(pulse)] * len(r.flush())
    whole = impl.resample(pulse, fin, fout)
    peak = int(np.argmax(whole))
    latency = (emitted_at[peak] - 1 - k0) / fin
    assert latency <= bound
    assert latency <= r.latency + 1 / fin


@ratios()
def test_in_band_tone_snr(impl: ModuleType, fin: int, fout: int) -> None:
    f = 1000.0
    y = impl.resample(tones([f], fin, SECONDS, 0.5)[:, 0], fin, fout)
    n = np.arange(len(y))
    ideal = 0.5 * FULL * np.cos(2 * np.pi * f * n / fout + 0.3)
    skip = round(0.03 * fout)
    err = y[skip:-skip] - ideal[skip:-skip]
    snr = 10 * np.log10(np.sum(ideal[skip:-skip] ** 2) / np.sum(err**2))
    assert snr >= 85.0, f"SNR {snr:.1f} dB"
