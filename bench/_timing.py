"""Small timing helpers shared by bench/compare.py sections."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Row", "per_call", "print_table"]


def per_call(fn: Callable[[], object], *, min_time: float = 0.2, repeat: int = 5) -> float:
    """Best seconds per call of *fn* over *repeat* rounds of at least *min_time* each."""
    number = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        dt = time.perf_counter() - t0
        if dt >= min_time / 4:
            break
        number *= 4
    number = max(1, int(number * (min_time / max(dt, 1e-9))))
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - t0) / number)
    return best


@dataclass(frozen=True)
class Row:
    """One comparison: our time per call against a peer's, lower is better."""

    what: str
    ours: float
    peer_name: str
    peer: float
    target: float | None = None  # required ratio peer/ours, if any

    @property
    def ratio(self) -> float:
        return self.peer / self.ours


def _fmt(seconds: float) -> str:
    if seconds < 1e-6:
        return f"{seconds * 1e9:8.1f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:8.2f} µs"
    return f"{seconds * 1e3:8.2f} ms"


def print_table(title: str, rows: list[Row]) -> None:
    """Print *rows* as an aligned table under *title*."""
    print(f"\n## {title}")
    w = max([len(r.what) for r in rows] + [4])
    pw = max([len(r.peer_name) for r in rows] + [4])
    print(f"{'what':<{w}}  {'ours':>11}  {'peer':<{pw}}  {'peer time':>11}  {'ratio':>8}  target")
    for r in rows:
        target = (
            ""
            if r.target is None
            else f">= {r.target:g}x " + ("met" if r.ratio >= r.target else "NOT MET")
        )
        print(
            f"{r.what:<{w}}  {_fmt(r.ours):>11}  {r.peer_name:<{pw}}  {_fmt(r.peer):>11}"
            f"  {r.ratio:7.2f}x  {target}"
        )
