"""SigV4 time stamps."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sigv4._clock import amz_date, epoch_seconds, format_amz_date, parse_amz_date


@given(st.integers(0, 253402300799))
def test_format_and_parse_round_trip(seconds: int) -> None:
    stamp = format_amz_date(seconds)
    assert stamp == datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    assert parse_amz_date(stamp) == seconds
    assert amz_date(seconds) == (stamp, stamp[:8])


def test_now_forms() -> None:
    aware = datetime(2015, 8, 30, 14, 36, tzinfo=timezone(timedelta(hours=2)))
    assert epoch_seconds(aware) == 1440938160
    assert epoch_seconds(datetime(2015, 8, 30, 12, 36)) == 1440938160
    assert epoch_seconds(1440938160.99) == 1440938160
    with pytest.raises(TypeError):
        epoch_seconds(True)


@pytest.mark.parametrize(
    "text",
    [
        "20150830T123600",
        "20150830 123600Z",
        "2015-08-30T12:36:00Z",
        "20150230T123600Z",
        "20150830T246000Z",
        "２０１５0830T123600Z",
        "20150830T123600Z ",
        "",
    ],
)
def test_parse_refuses_what_is_not_a_stamp(text: str) -> None:
    assert parse_amz_date(text) is None
