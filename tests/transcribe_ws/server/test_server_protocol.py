"""The stream protocol: exceptions then close, both end-of-stream forms, result shapes."""

from __future__ import annotations

import asyncio
import itertools
import uuid

import numpy as np
from server_support import BASE, chunks, fixture_pcm, presigned, run_stream, signed_envelope
from websockets.asyncio.client import connect

from evstream import Decoder, encode
from transcribe_ws.models import Result
from transcribe_ws.protocol import audio_event, end_of_stream
from transcribe_ws.server import Server, Session, serve
from transcribe_ws.server.config import SessionConfig
from transcribe_ws.server.engines import make_engine
from transcribe_ws.server.session import MAX_MESSAGE_SIZE

SPEECH = fixture_pcm("two_sentences.wav")


def _check_results(results: list[Result]) -> None:
    """ResultId continuity, and item times increasing and inside their result."""
    open_ids: set[str] = set()
    closed: set[str] = set()
    for r in results:
        uuid.UUID(r.result_id)
        assert r.result_id not in closed, "a final's ResultId came back"
        if r.is_partial:
            open_ids.add(r.result_id)
        else:
            closed.add(r.result_id)
            open_ids.discard(r.result_id)
        assert r.start_time <= r.end_time
        items = r.alternatives[0].items
        assert items
        for a, b in itertools.pairwise(items):
            assert a.start_time <= b.start_time and a.end_time <= b.end_time
        for i in items:
            assert r.start_time <= i.start_time <= i.end_time <= r.end_time
            if i.type == "pronunciation":
                assert i.confidence is not None and 0 <= i.confidence <= 1
    assert not open_ids, "a segment's partials were never finalised"


async def test_a_stream_gets_partials_then_finals_and_a_normal_close(server: Server) -> None:
    out = await run_stream(presigned(server.url), chunks(SPEECH))
    assert out.close_code == 1000 and not out.exceptions
    finals = out.finals
    assert len(finals) == 2  # one per sentence: the pause between them ends the first
    assert len(out.results) > 2 * len(finals)
    _check_results(out.results)
    for r in finals:
        assert r.transcript.endswith(".") and r.language_code == "en-US"
        assert r.channel_id is None
    # partials about every 200 ms of audio: the first segment lasts about 2.7 s
    first = [r for r in out.results if r.result_id == finals[0].result_id and r.is_partial]
    assert 8 <= len(first) <= 16


async def test_the_final_of_a_pause_is_sent_before_the_end_of_stream(server: Server) -> None:
    async with connect(presigned(server.url)) as ws:
        for frame in chunks(SPEECH):
            await ws.send(frame)
        decoder, finals = Decoder(), 0
        while finals == 0:
            data = await asyncio.wait_for(ws.recv(), 10)
            assert isinstance(data, bytes)
            for m in decoder.feed(data):
                finals += b'"IsPartial":false' in m.payload
        assert finals >= 1  # no end of stream was sent yet
        await ws.send(end_of_stream())
        async for _ in ws:
            pass
        assert ws.close_code == 1000


async def test_end_of_stream_as_an_empty_frame(server: Server) -> None:
    a = await run_stream(presigned(server.url), chunks(SPEECH), end="event")
    b = await run_stream(presigned(server.url), chunks(SPEECH), end="frame")
    assert a.close_code == b.close_code == 1000
    assert a.transcript() == b.transcript() != ""


async def test_signed_envelopes_and_events_without_content_type(server: Server) -> None:
    bare = chunks(SPEECH)
    no_type = [
        encode({":message-type": "event", ":event-type": "AudioEvent"}, SPEECH[i : i + 3200])
        for i in range(0, len(SPEECH), 3200)
    ]
    enveloped = [signed_envelope(f) for f in bare] + [signed_envelope(b"")]
    a = await run_stream(presigned(server.url), bare)
    b = await run_stream(presigned(server.url), no_type)
    c = await run_stream(presigned(server.url), enveloped, end=None)
    assert c.close_code == 1000
    assert a.transcript() == b.transcript() == c.transcript() != ""


async def test_garbage_frame(server: Server) -> None:
    out = await run_stream(presigned(server.url), [*chunks(SPEECH[:32000]), b"\x00" * 40])
    assert out.exceptions and out.exceptions[0][0] == "BadRequestException"
    assert "prelude" in out.exceptions[0][1].lower() or "checksum" in out.exceptions[0][1]
    assert out.messages[-1].headers[":message-type"] == "exception"
    assert out.close_code == 1000


async def test_unknown_event(server: Server) -> None:
    bad = encode({":message-type": "event", ":event-type": "VideoEvent"}, b"x")
    out = await run_stream(presigned(server.url), [bad])
    assert out.exceptions == [
        ("BadRequestException", "Could not decode the event stream: unknown event type "
         "'VideoEvent'; expected 'AudioEvent'")
    ]  # fmt: skip


async def test_text_frame(server: Server) -> None:
    out = await run_stream(presigned(server.url), ["hello"])
    assert out.exceptions[0][0] == "BadRequestException"
    assert "Text frames" in out.exceptions[0][1]


async def test_oversize_message(server: Server) -> None:
    out = await run_stream(presigned(server.url), [audio_event(bytes(MAX_MESSAGE_SIZE + 2))])
    assert len(out.exceptions) == 1
    kind, message = out.exceptions[0]
    assert kind == "BadRequestException" and str(MAX_MESSAGE_SIZE) in message


async def test_idle_timeout(server: Server) -> None:
    out = await run_stream(presigned(server.url), chunks(SPEECH[:16000]), end=None)
    assert out.exceptions == [
        ("BadRequestException",
         "Your request timed out because no new audio was received for 1 seconds.")
    ]  # fmt: skip
    assert out.close_code == 1000


async def test_the_duration_limit() -> None:
    async with serve(engine="synthetic", no_auth=True, max_duration=2) as s:
        out = await run_stream(f"{s.url}/stream-transcription-websocket?language-code=en-US"
                               "&media-encoding=pcm&sample-rate=16000", chunks(SPEECH))  # fmt: skip
    assert out.exceptions[0][0] == "LimitExceededException"


async def test_channel_identification(server: Server) -> None:
    left = np.frombuffer(SPEECH, dtype="<i2")
    right = np.zeros_like(left)
    right[: len(left) // 2] = left[len(left) // 2 :][: len(left) // 2]
    stereo = np.stack([left, right], axis=1).astype("<i2").tobytes()
    params = {**BASE, "enable-channel-identification": "true", "number-of-channels": "2"}
    out = await run_stream(presigned(server.url, params=params), chunks(stereo, 6400))
    channels = {r.channel_id for r in out.finals}
    assert channels == {"ch_0", "ch_1"}
    assert out.transcript("ch_0") != out.transcript("ch_1")
    _check_results([r for r in out.results if r.channel_id == "ch_0"])


async def test_stabilization_marks_items(server: Server) -> None:
    params = {**BASE, "enable-partial-results-stabilization": "true",
              "partial-results-stability": "low", "show-speaker-label": "true"}  # fmt: skip
    out = await run_stream(presigned(server.url, params=params), chunks(SPEECH))
    partial_items = [i for r in out.results if r.is_partial for i in r.alternatives[0].items]
    assert {i.stable for i in partial_items} == {True, False}
    assert all(i.stable for r in out.finals for i in r.alternatives[0].items)
    assert all(i.speaker == "0" for i in partial_items)


async def test_other_sample_rates_are_resampled(server: Server) -> None:
    from audio import resample

    pcm8k = resample(np.frombuffer(SPEECH, dtype="<i2"), 16000, 8000).astype("<i2").tobytes()
    ref = await run_stream(presigned(server.url), chunks(SPEECH))
    out = await run_stream(presigned(server.url, params={**BASE, "sample-rate": "8000"}),
                           chunks(pcm8k, 1600))  # fmt: skip
    assert len(out.finals) == len(ref.finals) == 2
    for a, b in zip(out.finals, ref.finals, strict=True):
        assert abs(a.start_time - b.start_time) < 0.1


async def test_injected_exception_and_drop(server: Server) -> None:
    sid = str(uuid.uuid4())
    server.inject(sid, exception_type="InternalFailureException", message="boom",
                  after_audio_events=3)  # fmt: skip
    out = await run_stream(
        presigned(server.url, params={**BASE, "session-id": sid}), chunks(SPEECH)
    )
    assert out.exceptions == [("InternalFailureException", "boom")]
    sid = str(uuid.uuid4())
    server.inject(sid, drop=True, after_audio_events=2)
    out = await run_stream(
        presigned(server.url, params={**BASE, "session-id": sid}), chunks(SPEECH)
    )
    assert out.dropped and not out.exceptions


def test_session_is_sans_io() -> None:
    session = Session(SessionConfig(), make_engine("synthetic"))
    for frame in chunks(SPEECH):
        session.receive_frame(frame)
    assert not session.finished
    during = session.data_to_send()
    assert during and session.data_to_send() == []
    session.receive_frame(b"")
    assert session.finished and session.outcome == "end of stream"
    assert session.data_to_send()
    session.receive_frame(b"\x00")  # ignored once over
    assert session.data_to_send() == []
    session.close()
