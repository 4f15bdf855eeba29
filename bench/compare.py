"""Our figures beside the peers', as ratios measured in one run.

Each section lives in ``bench/cmp_<part>.py`` and exposes ``TITLE`` and
``rows() -> list[Row]``.  Run ``python bench/compare.py [part ...]``.
"""

from __future__ import annotations

import importlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]  # the bench helpers; the sources when not installed

SECTIONS = ["evstream", "sigv4", "audio", "server", "client"]


def main(argv: list[str]) -> int:
    from _timing import print_table

    wanted = argv or SECTIONS
    for part in wanted:
        try:
            mod = importlib.import_module(f"cmp_{part}")
        except ModuleNotFoundError as exc:
            if exc.name == f"cmp_{part}":
                continue
            raise
        rows = mod.rows()
        if rows:  # a section may print its own table and return no rows
            print_table(mod.TITLE, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
