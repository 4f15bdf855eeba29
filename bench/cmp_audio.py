"""audio beside soxr (HQ, then numpy's int16 conversion), scipy.signal.resample_poly
and the AWS WebSocket demo's box average: speed rows, and a quality table printed first."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import soxr
from _timing import Row, per_call
from scipy.signal import resample_poly

TITLE = "audio (ratio = peer time / our time; higher is better; inputs float32 mono)"

Array = np.ndarray[Any, Any]
FULL = 32767.0


def _int16(y: Array) -> Array:
    """numpy's float → int16 step, as a soxr or scipy user writes it."""
    out: Array = (np.clip(y, -1.0, 1.0) * FULL).astype(np.int16)
    return out


def soxr_hq(x: Array, fin: int, fout: int) -> Array:
    return _int16(soxr.resample(x, fin, fout, "HQ"))


def poly(x: Array, fin: int, fout: int) -> Array:
    g = np.gcd(fin, fout)
    return _int16(resample_poly(x, fout // g, fin // g, axis=0))


def box_average(x: Array, fin: int, fout: int) -> Array:
    """The demo's downsampler: average the input samples between output instants."""
    ratio = fin / fout
    n = round(len(x) / ratio)
    edges = np.round(np.arange(n + 1) * ratio).astype(np.int64)
    edges = np.minimum(edges, len(x))
    sums = np.add.reduceat(np.asarray(x, dtype=np.float64), edges[:-1], axis=0)
    counts = np.diff(edges)
    with np.errstate(invalid="ignore", divide="ignore"):
        return _int16(sums / counts)


# ---- quality -------------------------------------------------------------------


def _fit(y: Array, rate: int, freqs: list[float], skip: float = 0.03) -> list[complex]:
    k = round(skip * rate)
    t = np.arange(k, len(y) - k) / rate
    cols = [np.ones_like(t)]
    for f in freqs:
        cols += [np.cos(2 * np.pi * f * t), np.sin(2 * np.pi * f * t)]
    coef, *_ = np.linalg.lstsq(np.stack(cols, 1), y[k : len(y) - k].astype(float), rcond=None)
    return [complex(coef[1 + 2 * i], -coef[2 + 2 * i]) for i in range(len(freqs))]


def _db(v: float) -> float:
    return 20 * float(np.log10(max(v, 1e-12)))


def quality(fn: Callable[[Array, int, int], Array], fin: int, fout: int) -> tuple[float, ...]:
    """(worst alias dB above the output Nyquist, passband ripple dB to 0.9 Nyquist,
    delay in output samples) measured with 0.3 s tones."""
    t = np.arange(round(0.3 * fin)) / fin
    nyq, helper = fout / 2, 997.0
    worst = -300.0
    for f in np.linspace(nyq + 20, fin / 2 - 20, 40):
        fa = f % fout
        fa = min(fa, fout - fa)
        if not 30 < fa < nyq - 15 or abs(fa - helper) < 30:
            continue
        x = 0.45 * np.cos(2 * np.pi * f * t) + 0.45 * np.cos(2 * np.pi * helper * t + 1)
        y = fn(x.astype(np.float32), fin, fout)
        worst = max(worst, _db(abs(_fit(y, fout, [helper, fa])[1]) / (0.45 * FULL)))
    gains = []
    for f in np.linspace(20, 0.9 * nyq, 30):
        y = fn((0.9 * np.cos(2 * np.pi * f * t)).astype(np.float32), fin, fout)
        gains.append(_db(abs(_fit(y, fout, [f])[0]) / (0.9 * FULL)))
    f = 1000.0
    y = fn((0.5 * np.cos(2 * np.pi * f * t + 0.3)).astype(np.float32), fin, fout)
    lag = -(np.angle(_fit(y, fout, [f])[0]) - 0.3) / (2 * np.pi * f) * fout
    ripple = max(abs(min(gains)), abs(max(gains)))
    return worst, ripple, float(lag)


def stream_latency_ms(make: Callable[[], Callable[[Array], Array]], fin: int, fout: int) -> float:
    """Feed a pulse one input sample at a time: input time until the output's peak is out."""
    k0 = fin // 50
    x = np.zeros(k0 + fin // 5, dtype=np.float32)
    x[k0] = 1.0
    feed = make()
    outs: list[Array] = [feed(x[:k0])]
    at = [k0] * len(outs[0])
    for i in range(k0, len(x)):
        o = feed(x[i : i + 1])
        outs.append(o)
        at += [i + 1] * len(o)
    y = np.abs(np.concatenate(outs).astype(float))
    return (at[int(np.argmax(y))] - 1 - k0) / fin * 1e3


def print_quality(audio: Any) -> None:
    def ours_stream(fin: int, fout: int) -> Callable[[], Callable[[Array], Array]]:
        return lambda: audio.Resampler(fin, fout).process

    def soxr_stream(fin: int, fout: int) -> Callable[[], Callable[[Array], Array]]:
        def make() -> Callable[[Array], Array]:
            s = soxr.ResampleStream(fin, fout, 1, dtype="float32", quality="HQ")
            return lambda c: s.resample_chunk(c)

        return make

    methods: list[tuple[str, Callable[[Array, int, int], Array], Any]] = [
        ("ours", audio.resample, ours_stream),
        ("soxr HQ", soxr_hq, soxr_stream),
        ("resample_poly", poly, None),
        ("box average", box_average, None),
    ]
    print("\n## audio quality (tones; alias = worst above the output Nyquist)")
    print(
        f"{'ratio':<12} {'method':<14} {'worst alias':>12} {'ripple':>10} "
        f"{'delay':>10} {'stream latency':>15}"
    )
    for fin, fout in [(48000, 16000), (44100, 16000), (48000, 8000)]:
        for name, fn, stream in methods:
            alias, ripple, lag = quality(fn, fin, fout)
            lat = f"{stream_latency_ms(stream(fin, fout), fin, fout):10.2f} ms" if stream else ""
            print(
                f"{f'{fin // 1000}.{fin % 1000 // 100}k→{fout // 1000}k':<12} {name:<14} "
                f"{alias:9.1f} dB {ripple:7.3f} dB {lag:6.2f} smp {lat:>15}"
            )
    sys.stdout.flush()


# ---- speed ---------------------------------------------------------------------


def rows() -> list[Row]:
    audio = importlib.import_module("audio")
    if audio.IMPLEMENTATION != "cython":
        print("\n(audio: the compiled module is not loaded; timing the reference)")
    print_quality(audio)
    rng = np.random.default_rng(0)
    out: list[Row] = []
    peers: list[tuple[str, Callable[[Array, int, int], Array], float | None]] = [
        ("soxr HQ + int16", soxr_hq, 1.0),
        ("resample_poly + int16", poly, None),
        ("box average + int16", box_average, None),
    ]
    for fin in (48000, 44100):
        x = (rng.standard_normal(fin) * 0.1).astype(np.float32)
        ours = per_call(lambda x=x, fin=fin: audio.resample(x, fin, 16000))
        for name, fn, target in peers:
            peer = per_call(lambda x=x, fin=fin, fn=fn: fn(x, fin, 16000))
            out.append(Row(f"resample 1 s {fin / 1000:g}k→16k", ours, name, peer, target))
    for fin in (48000, 44100):
        chunk = (rng.standard_normal(fin // 50) * 0.1).astype(np.float32)
        r = audio.Resampler(fin, 16000)
        s = soxr.ResampleStream(fin, 16000, 1, dtype="float32", quality="HQ")
        out.append(
            Row(
                f"stream 20 ms chunk {fin / 1000:g}k→16k",
                per_call(lambda r=r, chunk=chunk: r.process(chunk)),
                "soxr.ResampleStream",
                per_call(lambda s=s, chunk=chunk: s.resample_chunk(chunk)),
                1.0,
            )
        )
    for n, what in ((48000, "1 s"), (320, "20 ms")):
        x = rng.uniform(-1.1, 1.1, n).astype(np.float32)
        out.append(
            Row(
                f"to_pcm16 {what} float32",
                per_call(lambda x=x: audio.to_pcm16(x)),
                "numpy clip/scale/astype/tobytes",
                per_call(lambda x=x: (np.clip(x, -1, 1) * 32767).astype("<i2").tobytes()),
                1.0,
            )
        )
    return out
