"""The stream against the real local server, both engines: partials, finals, sending rules."""

from __future__ import annotations

import asyncio
import ssl
import uuid
from pathlib import Path

import pytest
from client_support import CREDS, SERVER_CREDENTIALS, TEXTS, chunks, fixture_pcm, wer

import transcribe_ws
from transcribe_ws import BadRequestException, TranscribeStream, TranscriptEvent
from transcribe_ws.server import Server, serve
from transcribe_ws.server.tls import self_signed, server_context


async def collect(stream: TranscribeStream) -> list[TranscriptEvent]:
    return [event async for event in stream]


async def test_partials_then_finals(server: Server) -> None:
    pcm = fixture_pcm("weather.wav")
    async with transcribe_ws.connect(endpoint=server.url, credentials=CREDS) as stream:
        for chunk in chunks(pcm):
            await stream.send_audio(chunk)
        await stream.end()
        events = await collect(stream)
    results = [r for e in events for r in e.results]
    partials = [r for r in results if r.is_partial]
    finals = [r for r in results if not r.is_partial]
    assert partials and finals
    # Every segment's partials come before its final, under the same result id.
    for f in finals:
        same = [k for k, r in enumerate(results) if r.result_id == f.result_id]
        assert results[same[-1]] == f
        assert all(results[k].is_partial for k in same[:-1])
    assert all(f.alternatives and f.transcript for f in finals)
    assert finals[-1].end_time <= len(pcm) / 32000 + 0.5
    if server.engine.name == "pocketsphinx":
        text = " ".join(f.transcript for f in finals)
        assert wer(TEXTS["weather.wav"], text) <= 0.25, text


async def test_finals_at_a_pause_while_audio_flows(server: Server) -> None:
    """A final result arrives at the pause, before the rest of the audio and its end."""
    pcm = fixture_pcm("two_sentences.wav")
    first = len(fixture_pcm("report.wav")) + 32000  # the first sentence and 1 s of its pause
    first_final = asyncio.Event()
    async with transcribe_ws.connect(endpoint=server.url, credentials=CREDS) as stream:

        async def reader() -> list[TranscriptEvent]:
            events = []
            async for event in stream:
                events.append(event)
                if any(not r.is_partial for r in event.results):
                    first_final.set()
            return events

        task = asyncio.create_task(reader())
        for chunk in chunks(pcm[:first]):
            await stream.send_audio(chunk)
        # No more audio and no end of stream until the pause has been finalised.
        await asyncio.wait_for(first_final.wait(), 30)
        for chunk in chunks(pcm[first:]):
            await stream.send_audio(chunk)
        await stream.end()
        events = await task
    finals = [r for e in events for r in e.results if not r.is_partial]
    assert len(finals) >= 2
    if server.engine.name == "pocketsphinx":
        text = " ".join(f.transcript for f in finals)
        assert wer(TEXTS["two_sentences.wav"], text) <= 0.25, text


async def test_session_id_is_sent_and_reported(synthetic: Server) -> None:
    sid = str(uuid.uuid4())
    async with transcribe_ws.connect(
        endpoint=synthetic.url, credentials=CREDS, session_id=sid
    ) as stream:
        assert stream.session_id == sid
        await stream.end()
        await collect(stream)
    async with transcribe_ws.connect(endpoint=synthetic.url, credentials=CREDS) as stream:
        assert str(uuid.UUID(stream.session_id)) == stream.session_id
        await stream.end()


async def test_long_chunks_are_split_at_one_second(synthetic: Server) -> None:
    pcm = fixture_pcm("weather.wav")  # 2.3 s
    async with transcribe_ws.connect(endpoint=synthetic.url, credentials=CREDS) as stream:
        sent: list[int] = []
        original = stream._ws.send

        async def spy(message: bytes) -> None:
            sent.append(len(message))
            await original(message)

        stream._ws.send = spy  # type: ignore[method-assign]
        await stream.send_audio(pcm)
        assert len(sent) == -(-len(pcm) // 32000)  # ceil: one event per started second
        await stream.send_audio(b"")  # nothing: an empty chunk would end the stream
        assert len(sent) == 3
        await stream.end()
        await stream.end()  # twice is harmless
        assert len(sent) == 4
        events = await collect(stream)
    assert any(not r.is_partial for e in events for r in e.results)


async def test_send_rules(synthetic: Server) -> None:
    async with transcribe_ws.connect(endpoint=synthetic.url, credentials=CREDS) as stream:
        with pytest.raises(ValueError, match="whole number of 2-byte frames"):
            await stream.send_audio(b"\x00\x00\x00")
        await stream.send_audio(bytearray(3200))
        await stream.send_audio(memoryview(bytes(3200)))
        await stream.end()
        with pytest.raises(RuntimeError, match="after end"):
            await stream.send_audio(bytes(3200))
        await collect(stream)


async def test_iteration_ends_when_server_closes(synthetic: Server) -> None:
    async with transcribe_ws.connect(endpoint=synthetic.url, credentials=CREDS) as stream:
        await stream.end()
        assert await collect(stream) == []
        assert await collect(stream) == []  # stays ended


async def test_keepalive_outlasts_the_idle_timeout() -> None:
    """With keep-alive silence, a caller pausing longer than the idle timeout keeps its stream."""
    pcm = fixture_pcm("weather.wav")
    async with serve(engine="synthetic", no_auth=True, idle_timeout=1.0) as server:
        async with transcribe_ws.connect(
            endpoint=server.url, credentials=CREDS, keepalive=0.2
        ) as stream:
            await stream.send_audio(pcm[:16000])
            await asyncio.sleep(2.5)
            await stream.send_audio(pcm[16000:])
            await stream.end()
            events = await collect(stream)
        assert any(not r.is_partial for e in events for r in e.results)

        # Without it the server ends the stream with the service's timeout error.
        async with transcribe_ws.connect(endpoint=server.url, credentials=CREDS) as stream:
            await stream.send_audio(pcm[:16000])
            with pytest.raises(BadRequestException) as info:
                await collect(stream)
        assert "no new audio" in info.value.message


async def test_wss_with_a_self_signed_certificate(tmp_path: Path) -> None:
    certs = self_signed(tmp_path)
    context = ssl.create_default_context(cafile=str(certs.ca))
    async with serve(
        engine="synthetic",
        credentials=SERVER_CREDENTIALS,
        ssl=server_context(certs.cert, certs.key),
    ) as server:
        assert server.url.startswith("wss://")
        async with transcribe_ws.connect(
            endpoint=server.url, credentials=CREDS, ssl=context
        ) as stream:
            await stream.send_audio(fixture_pcm("weather.wav"))
            await stream.end()
            events = await collect(stream)
    assert any(not r.is_partial for e in events for r in e.results)
