"""Time stamps in the SigV4 formats (``20150830T123600Z`` and ``20150830``).

>>> amz_date(1440938160)
('20150830T123600Z', '20150830')
"""

from __future__ import annotations

import calendar
import re
import time
from datetime import datetime, timezone

__all__ = ["Now", "amz_date", "epoch_seconds", "format_amz_date", "parse_amz_date"]

#: What a ``now=`` argument may be: None (the system clock), epoch seconds, or
#: a datetime (aware; a naive one is taken as UTC).
Now = datetime | float | None

_AMZ_DATE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})T([0-9]{2})([0-9]{2})([0-9]{2})Z").fullmatch
# The last second formatted, reused while the clock stays in that second.
_last: tuple[int, str, str] = (-1, "", "")


def epoch_seconds(now: Now) -> int:
    """Whole seconds since the epoch for a ``now=`` argument.

    >>> epoch_seconds(datetime(2015, 8, 30, 12, 36, tzinfo=timezone.utc))
    1440938160
    """
    if now is None:
        return int(time.time())
    if isinstance(now, datetime):
        if now.tzinfo is None:
            now = now.replace(tzinfo=timezone.utc)
        return int(now.timestamp() // 1)
    if isinstance(now, (int, float)) and not isinstance(now, bool):
        return int(now // 1)
    raise TypeError(f"now must be None, a datetime or epoch seconds, not {type(now).__name__}")


def format_amz_date(seconds: int) -> str:
    """``YYYYMMDDTHHMMSSZ`` for epoch *seconds*."""
    t = time.gmtime(seconds)
    return f"{t[0]:04d}{t[1]:02d}{t[2]:02d}T{t[3]:02d}{t[4]:02d}{t[5]:02d}Z"


def amz_date(now: Now) -> tuple[str, str]:
    """``(X-Amz-Date, scope date)`` for a ``now=`` argument."""
    global _last
    if now is None:
        seconds = int(time.time())
    elif now.__class__ is int:
        seconds = now
    else:
        seconds = epoch_seconds(now)
    last = _last
    if last[0] == seconds:
        return last[1], last[2]
    stamp = format_amz_date(seconds)
    _last = (seconds, stamp, stamp[:8])
    return stamp, stamp[:8]


def parse_amz_date(text: str) -> int | None:
    """Epoch seconds of a ``YYYYMMDDTHHMMSSZ`` stamp, or None when it is not one.

    >>> parse_amz_date("20150830T123600Z"), parse_amz_date("2015-08-30")
    (1440938160, None)
    """
    m = _AMZ_DATE(text)
    if m is None:
        return None
    y, mo, d, h, mi, s = (int(g) for g in m.groups())
    try:
        datetime(y, mo, d, h, mi, s)
    except ValueError:
        return None
    return calendar.timegm((y, mo, d, h, mi, s))
