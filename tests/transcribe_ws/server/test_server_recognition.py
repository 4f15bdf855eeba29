"""Real speech through the pocketsphinx engine: the fixtures' words come back."""

from __future__ import annotations

from server_support import TEXTS, chunks, fixture_pcm, presigned, run_stream, wer

from transcribe_ws.server import Server


async def test_fixtures_at_most_10_percent_wer(sphinx_server: Server) -> None:
    edits = words = 0
    for name, text in TEXTS.items():
        out = await run_stream(presigned(sphinx_server.url), chunks(fixture_pcm(name)))
        assert out.close_code == 1000 and not out.exceptions
        e, n = wer(text, out.transcript())
        assert e / n <= 0.25, (name, out.transcript())
        edits, words = edits + e, words + n
    assert edits / words <= 0.10, (edits, words)


async def test_two_sentences_give_two_finals_with_word_times(sphinx_server: Server) -> None:
    out = await run_stream(presigned(sphinx_server.url), chunks(fixture_pcm("two_sentences.wav")))
    finals = out.finals
    assert len(finals) == 2
    assert finals[0].end_time < 3.5 < 4.0 < finals[1].start_time
    items = finals[1].alternatives[0].items
    assert [i.content for i in items][-2:] == ["morning", "."]
    assert items[-1].type == "punctuation"
