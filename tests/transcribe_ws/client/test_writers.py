"""Text, JSON Lines, SRT and WebVTT from fixed results."""

from __future__ import annotations

import dataclasses
import io
import itertools
import json

import pytest
from client_support import FIXED, final, item

from transcribe_ws import Alternative, Result
from transcribe_ws.writers import (
    MAX_CUE_SECONDS,
    MAX_LINE_CHARS,
    cues_for,
    make_writer,
    result_to_dict,
)


def render(fmt: str, results: list[Result]) -> str:
    out = io.StringIO()
    writer = make_writer(fmt, out)
    for result in results:
        writer.add(result)
    writer.finish()
    return out.getvalue()


def test_text() -> None:
    assert render("text", FIXED) == "Hello, world.\nOne more\n"


def test_text_names_the_channel() -> None:
    result = dataclasses.replace(FIXED[1], channel_id="ch_1")
    assert render("text", [result]) == "ch_1: Hello, world.\n"


def test_srt() -> None:
    assert render("srt", FIXED) == (
        "1\n00:00:00,250 --> 00:00:01,200\nHello, world.\n\n"
        "2\n01:00:00,000 --> 01:00:01,500\nOne more\n\n"
    )


def test_vtt() -> None:
    assert render("vtt", FIXED) == (
        "WEBVTT\n\n"
        "00:00:00.250 --> 00:00:01.200\nHello, world.\n\n"
        "01:00:00.000 --> 01:00:01.500\nOne more\n\n"
    )


def test_vtt_without_results_is_a_valid_empty_file() -> None:
    assert render("vtt", []) == "WEBVTT\n\n"
    assert render("srt", []) == ""


def test_jsonl_is_the_result_in_snake_case_plus_transcript() -> None:
    lines = render("jsonl", FIXED).splitlines()
    assert len(lines) == 2  # finals only
    first = json.loads(lines[0])
    assert first == {
        "result_id": "r0",
        "start_time": 0.25,
        "end_time": 1.9,
        "is_partial": False,
        "alternatives": [
            {
                "transcript": "Hello, world.",
                "items": [
                    {
                        "start_time": 0.25,
                        "end_time": 0.6,
                        "type": "pronunciation",
                        "content": "Hello",
                        "vocabulary_filter_match": False,
                        "confidence": None,
                        "speaker": None,
                        "stable": None,
                    },
                    {
                        "start_time": 0.6,
                        "end_time": 0.6,
                        "type": "punctuation",
                        "content": ",",
                        "vocabulary_filter_match": False,
                        "confidence": None,
                        "speaker": None,
                        "stable": None,
                    },
                    {
                        "start_time": 0.7,
                        "end_time": 1.2,
                        "type": "pronunciation",
                        "content": "world",
                        "vocabulary_filter_match": False,
                        "confidence": None,
                        "speaker": None,
                        "stable": None,
                    },
                    {
                        "start_time": 1.2,
                        "end_time": 1.2,
                        "type": "punctuation",
                        "content": ".",
                        "vocabulary_filter_match": False,
                        "confidence": None,
                        "speaker": None,
                        "stable": None,
                    },
                ],
                "entities": [],
            }
        ],
        "channel_id": None,
        "language_code": None,
        "language_identification": [],
        "transcript": "Hello, world.",
    }
    assert set(json.loads(lines[1])) == {f.name for f in dataclasses.fields(Result)} | {
        "transcript"
    }
    assert result_to_dict(FIXED[2])["transcript"] == "One more"


def long_result() -> Result:
    """Forty timed words, a sentence end after the twelfth."""
    items = []
    t = 10.0
    for k in range(40):
        items.append(item(t, t + 0.3, f"word{k:02d}"))
        if k == 11:
            items.append(item(t + 0.3, t + 0.3, ".", "punctuation"))
        t += 0.4
    return final("long", 10.0, t, *items)


def test_long_results_are_split_into_readable_cues() -> None:
    result = long_result()
    cues = cues_for(result)
    assert len(cues) > 1
    text = " ".join(" ".join(c.lines) for c in cues)
    assert text == result.transcript  # nothing lost, nothing added
    for cue in cues:
        assert 1 <= len(cue.lines) <= 2
        assert all(len(line) <= MAX_LINE_CHARS for line in cue.lines)
        assert cue.end - cue.start <= MAX_CUE_SECONDS
    for a, b in itertools.pairwise(cues):
        assert a.end <= b.start
    # The sentence end is a cue boundary.
    assert any(c.lines[-1].endswith("word11.") for c in cues)


def test_srt_numbers_every_cue() -> None:
    text = render("srt", [long_result(), FIXED[2]])
    blocks = text.strip().split("\n\n")
    assert [b.splitlines()[0] for b in blocks] == [str(k) for k in range(1, len(blocks) + 1)]


def test_results_without_items_spread_the_words_over_the_result() -> None:
    result = Result("x", 2.0, 4.0, False, (Alternative("one two three four"),))
    (cue,) = cues_for(result)
    assert (cue.start, cue.end, cue.lines) == (2.0, 4.0, ("one two three four",))
    assert cues_for(Result("e", 0.0, 1.0, False, ())) == []


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="allowed: text, jsonl, srt, vtt"):
        make_writer("docx", io.StringIO())
