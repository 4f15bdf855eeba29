"""Failures against the real local server: service exceptions, refusals, drops, cancellation."""

from __future__ import annotations

import asyncio
import socket
import uuid

import pytest
from client_support import CREDS, chunks, fixture_pcm

import transcribe_ws
from sigv4 import Credentials
from transcribe_ws import (
    ConnectionClosedError,
    HandshakeError,
    TranscribeError,
    TranscriptEvent,
)
from transcribe_ws.errors import EXCEPTION_TYPES
from transcribe_ws.server import Server

PCM = fixture_pcm("weather.wav")


def client_tasks() -> set[asyncio.Task[object]]:
    """Running tasks except the in-process server's (its handlers live in this loop too)."""
    out = set()
    for task in asyncio.all_tasks():
        code = getattr(task.get_coro(), "cr_code", None)
        name = getattr(code, "co_qualname", "")
        if "protocol_handler" in name or "Server." in name:
            continue
        out.add(task)
    return out


async def stream_until_error(
    server: Server, session_id: str
) -> tuple[list[TranscriptEvent], BaseException]:
    """Send the fixture while reading; returns the events before the error and the error."""
    events: list[TranscriptEvent] = []
    with pytest.raises(transcribe_ws.TranscribeWsError) as info:
        async with transcribe_ws.connect(
            endpoint=server.url, credentials=CREDS, session_id=session_id
        ) as stream:

            async def send() -> None:
                for chunk in chunks(PCM):
                    await stream.send_audio(chunk)
                    await asyncio.sleep(0.005)
                await stream.end()

            sender = asyncio.create_task(send())
            try:
                async for event in stream:
                    events.append(event)
            finally:
                sender.cancel()
                await asyncio.gather(sender, return_exceptions=True)
    return events, info.value


@pytest.mark.parametrize("exception_type", sorted(EXCEPTION_TYPES))
async def test_every_service_exception_is_typed(server: Server, exception_type: str) -> None:
    sid = str(uuid.uuid4())
    message = f"injected {exception_type} for the test"
    server.inject(sid, exception_type=exception_type, message=message, after_audio_events=12)
    events, error = await stream_until_error(server, sid)
    assert type(error) is EXCEPTION_TYPES[exception_type]
    assert isinstance(error, TranscribeError)
    assert error.message == message
    assert str(error) == f"{exception_type}: {message}"
    # What came before the exception was delivered first.
    assert any(r.is_partial for e in events for r in e.results)


async def test_unknown_exception_type_is_a_transcribe_error(synthetic: Server) -> None:
    sid = str(uuid.uuid4())
    synthetic.inject(sid, exception_type="ThrottlingException", message="slow down")
    _events, error = await stream_until_error(synthetic, sid)
    assert type(error) is TranscribeError
    assert error.exception_type == "ThrottlingException"
    assert error.message == "slow down"


async def test_exception_raised_by_send_audio_too(synthetic: Server) -> None:
    """A sender that never iterates learns of the failure from send_audio."""
    sid = str(uuid.uuid4())
    synthetic.inject(sid, exception_type="LimitExceededException", message="too many")
    with pytest.raises(transcribe_ws.LimitExceededException, match="too many"):
        async with transcribe_ws.connect(
            endpoint=synthetic.url, credentials=CREDS, session_id=sid
        ) as stream:
            for _ in range(1000):
                await stream.send_audio(bytes(3200))
                await asyncio.sleep(0.002)


async def test_unobserved_failure_is_raised_when_the_block_ends(synthetic: Server) -> None:
    sid = str(uuid.uuid4())
    synthetic.inject(sid, exception_type="ConflictException", message="same session")
    with pytest.raises(transcribe_ws.ConflictException, match="same session"):
        async with transcribe_ws.connect(
            endpoint=synthetic.url, credentials=CREDS, session_id=sid
        ) as stream:
            await stream.send_audio(bytes(3200))
            await stream._reader  # the server has answered and closed


async def test_dropped_connection_after_results(server: Server) -> None:
    sid = str(uuid.uuid4())
    server.inject(sid, drop=True, after_audio_events=12)
    events, error = await stream_until_error(server, sid)
    assert type(error) is ConnectionClosedError
    assert "dropped" in str(error)
    partials = [r for e in events for r in e.results if r.is_partial]
    assert partials, "results received before the drop must be delivered first"


async def test_every_event_before_a_drop_is_delivered(synthetic: Server) -> None:
    """Even when nobody reads until after the drop, the buffered events all come out."""
    sid = str(uuid.uuid4())
    synthetic.inject(sid, drop=True, after_audio_events=len(PCM) // 3200)
    async with transcribe_ws.connect(
        endpoint=synthetic.url, credentials=CREDS, session_id=sid
    ) as stream:
        with pytest.raises(ConnectionClosedError):
            for chunk in chunks(PCM):
                await stream.send_audio(chunk)
                await asyncio.sleep(0.005)
        events: list[TranscriptEvent] = []
        with pytest.raises(ConnectionClosedError):
            async for event in stream:
                events.append(event)
    assert len(events) >= 3


@pytest.mark.parametrize(
    "credentials, reason",
    [
        (Credentials(CREDS.access_key, "not-the-secret"), "signature"),
        (Credentials("AKIDUNKNOWN", CREDS.secret_key), "security token"),
    ],
)
async def test_handshake_refusal(synthetic: Server, credentials: Credentials, reason: str) -> None:
    with pytest.raises(HandshakeError) as info:
        async with transcribe_ws.connect(endpoint=synthetic.url, credentials=credentials):
            pytest.fail("the handshake should have been refused")
    assert info.value.status == 403
    assert reason in info.value.reason.lower()
    assert credentials.secret_key not in str(info.value)


async def test_nothing_listening() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(OSError, match=f"cannot connect to 127.0.0.1:{port}"):
        async with transcribe_ws.connect(endpoint=f"ws://127.0.0.1:{port}", credentials=CREDS):
            pass


async def test_error_in_the_block_closes_and_propagates(synthetic: Server) -> None:
    with pytest.raises(KeyError):
        async with transcribe_ws.connect(endpoint=synthetic.url, credentials=CREDS) as stream:
            await stream.send_audio(bytes(3200))
            raise KeyError("boom")
    assert stream._ws.state.name == "CLOSED"
    assert stream._reader.done()
    with pytest.raises(ConnectionClosedError):
        await stream.send_audio(bytes(3200))


async def test_cancellation_cleans_up(server: Server) -> None:
    opened: list[transcribe_ws.TranscribeStream] = []
    receiving = asyncio.Event()

    async def consumer() -> None:
        async with transcribe_ws.connect(endpoint=server.url, credentials=CREDS, keepalive=5) as st:
            opened.append(st)
            for chunk in chunks(PCM[:32000]):
                await st.send_audio(chunk)
            async for _event in st:
                receiving.set()

    before = client_tasks()
    task = asyncio.create_task(consumer())
    await asyncio.wait_for(receiving.wait(), 30)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    (stream,) = opened
    assert stream._ws.state.name == "CLOSED"
    assert stream._reader.done() and stream._keepalive is not None and stream._keepalive.done()
    assert client_tasks() - before - {task} == set()


async def test_cancellation_while_connecting(synthetic: Server) -> None:
    before = client_tasks()
    task = asyncio.create_task(
        transcribe_ws.connect(endpoint=synthetic.url, credentials=CREDS).__aenter__()
    )
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.sleep(0.05)
    assert client_tasks() - before - {task} == set()
