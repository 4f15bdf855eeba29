"""The relay between the page's socket and a stream, without a browser.

First the message helpers, then :func:`relay` against fakes (every way an
exchange can end), then the whole server path with a websockets client in
the page's place and the local server behind it.
"""

from __future__ import annotations

import asyncio
import json

import numpy as np
import pytest
from web_support import DATA, TEXTS, FakeBrowser, FakeStream, Opener, event, result, wer
from websockets.asyncio.client import connect as ws_connect

import audio
from sigv4 import Credentials
from transcribe_ws.errors import BadRequestException, HandshakeError
from transcribe_ws.server import serve as serve_local
from transcribe_ws.web import serve as serve_web
from transcribe_ws.web.relay import (
    RequestError,
    StartRequest,
    decode_pcm,
    parse_control,
    parse_start,
    relay,
    result_message,
)

LANGS = ("en-US", "en-GB")


def start(rate: object = 48000, language: str = "en-US", **extra: object) -> str:
    return json.dumps({"type": "start", "sampleRate": rate, "languageCode": language, **extra})


STOP = json.dumps({"type": "stop"})


# ------------------------------------------------------------------ messages


def test_parse_start() -> None:
    assert parse_start(start(44100, "en-GB"), LANGS) == StartRequest(44100, "en-GB", "f32")
    assert parse_start(start(48000.0, encoding="s16"), LANGS) == StartRequest(48000, "en-US", "s16")


@pytest.mark.parametrize(
    ("message", "complaint"),
    [
        (b"\x00\x01", "binary"),
        ("not json", "not valid JSON"),
        ("[1, 2]", "not a JSON object"),
        (json.dumps({"type": "stop"}), "start message first"),
        (start(7999), "sampleRate 7999"),
        (start(192001), "sampleRate"),
        (start(True), "sampleRate"),
        (start(44100.5), "sampleRate"),
        (json.dumps({"type": "start", "languageCode": "en-US"}), "sampleRate None"),
        (start(language="de-DE"), "languageCode 'de-DE' is not offered; offered: en-GB, en-US"),
        (start(encoding="mp3"), "encoding 'mp3'"),
    ],
)
def test_parse_start_refuses(message: str | bytes, complaint: str) -> None:
    with pytest.raises(RequestError, match=complaint):
        parse_start(message, LANGS)


def test_parse_control() -> None:
    assert parse_control(STOP) == "stop"
    with pytest.raises(RequestError, match="expected stop"):
        parse_control(start())


def test_decode_pcm() -> None:
    f = np.array([0.5, -1.0, np.nan, np.inf], dtype="<f4")
    assert decode_pcm(f.tobytes(), "f32").tolist() == [0.5, -1.0, 0.0, 0.0]
    i = np.array([1, -32768, 32767], dtype="<i2")
    assert decode_pcm(i.tobytes(), "s16").tolist() == [1, -32768, 32767]
    with pytest.raises(RequestError, match="6 bytes is not a whole number of f32 samples"):
        decode_pcm(b"\0" * 6, "f32")


def test_result_message() -> None:
    msg = json.loads(result_message(result("Hello there.", partial=False, rid="abc", start=1.25)))
    assert msg == {
        "type": "result",
        "id": "abc",
        "partial": False,
        "text": "Hello there.",
        "start": 1.25,
        "end": 2.25,
        "channel": None,
    }


# -------------------------------------------------------------- relay + fakes


def tone(rate: int, seconds: float, *, dtype: str = "<f4") -> bytes:
    t = np.arange(int(rate * seconds)) / rate
    x = 0.3 * np.sin(2 * np.pi * 440 * t)
    if dtype == "<i2":
        return (x * 32767).astype("<i2").tobytes()
    return x.astype("<f4").tobytes()


async def test_audio_is_resampled_and_results_relayed_then_end() -> None:
    chunks = [tone(48000, 0.1)[i : i + 19200] for i in range(0, 19200, 19200)] * 10
    stream = FakeStream(
        events=[
            event(result("hello", partial=True)),
            event(result("hello world", partial=True)),
            event(result("Hello world.", partial=False)),
        ]
    )
    opener = Opener(stream)
    browser = FakeBrowser([start(48000), *chunks, STOP])
    how = await asyncio.wait_for(relay(browser, opener, languages=LANGS), 10)
    assert how == "end"
    assert opener.starts == [StartRequest(48000, "en-US", "f32")]
    assert opener.exited
    assert stream.ended
    # One second at 48 kHz in, one second at 16 kHz (int16) out, tail included.
    assert len(stream.audio) == 2 * 16000
    assert stream.sends >= 10
    assert browser.types() == ["ready", "result", "result", "result", "end"]
    assert browser.sent[0]["sessionId"] == "fake-session"
    assert [m["text"] for m in browser.sent[1:4]] == ["hello", "hello world", "Hello world."]
    assert browser.sent[-1] == {"type": "end", "audioSeconds": 1.0, "results": 3}
    assert browser.close_code == 1000


async def test_resampled_audio_matches_the_resampler() -> None:
    pcm = tone(44100, 0.5, dtype="<i2")
    stream = FakeStream()
    browser = FakeBrowser([start(44100, encoding="s16"), pcm[:30000], pcm[30000:], STOP])
    assert await relay(browser, Opener(stream), languages=LANGS) == "end"
    expected = audio.resample(np.frombuffer(pcm, dtype="<i2"), 44100, 16000)
    assert bytes(stream.audio) == audio.to_pcm16(expected)


@pytest.mark.parametrize(
    ("messages", "complaint"),
    [
        ([STOP], "start message first"),
        ([start(language="xx-XX")], "languageCode"),
        ([start(), b"\0\0\0"], "3 bytes"),
        ([start(), json.dumps({"type": "pause"})], "unexpected message type 'pause'"),
    ],
)
async def test_protocol_breaks_get_a_request_error_and_1008(
    messages: list[str | bytes], complaint: str
) -> None:
    opener = Opener()
    browser = FakeBrowser(messages)
    assert await relay(browser, opener, languages=LANGS) == "request"
    error = browser.sent[-1]
    assert error["type"] == "error" and error["kind"] == "request"
    assert complaint in error["message"]
    assert browser.close_code == 1008
    assert not opener.stream.ended


async def test_no_start_message_in_time() -> None:
    browser = FakeBrowser()
    how = await relay(browser, Opener(), languages=LANGS, start_timeout=0.05)
    assert how == "request"
    assert browser.sent == [
        {"type": "error", "kind": "request", "message": "no start message arrived in time"}
    ]


async def test_refused_stream_is_a_service_error_with_its_message() -> None:
    opener = Opener(
        error=HandshakeError(403, "The security token included in the request is invalid.")
    )
    browser = FakeBrowser([start()])
    assert await relay(browser, opener, languages=LANGS) == "service"
    assert browser.types() == ["error"]
    assert browser.sent[0]["kind"] == "service"
    assert "security token included in the request is invalid" in browser.sent[0]["message"]
    assert browser.close_code == 1011


async def test_unreachable_service_is_a_service_error() -> None:
    opener = Opener(error=OSError(111, "cannot connect to 127.0.0.1:9: Connection refused"))
    browser = FakeBrowser([start()])
    assert await relay(browser, opener, languages=LANGS) == "service"
    assert "Connection refused" in browser.sent[0]["message"]


async def test_stream_failing_mid_way_relays_what_came_before_then_the_error() -> None:
    failure = BadRequestException("Your request timed out because no new audio was received.")
    stream = FakeStream(events=[event(result("so far", partial=False))], fail=failure, early=True)
    browser = FakeBrowser([start(), tone(48000, 0.1)])  # then the page keeps quiet
    how = await asyncio.wait_for(relay(browser, Opener(stream), languages=LANGS), 10)
    assert how == "service"
    assert browser.types() == ["ready", "result", "error"]
    assert browser.sent[2]["kind"] == "service"
    assert browser.sent[2]["message"] == f"BadRequestException: {failure.message}"
    assert browser.close_code == 1011


async def test_send_failing_waits_for_the_streams_error() -> None:
    failure = BadRequestException("bad audio")
    stream = FakeStream(fail=failure, early=True)
    browser = FakeBrowser([start(), tone(48000, 0.1), tone(48000, 0.1)])
    assert await asyncio.wait_for(relay(browser, Opener(stream), languages=LANGS), 10) == "service"
    assert browser.sent[-1]["message"] == "BadRequestException: bad audio"


async def test_page_leaving_closes_the_stream() -> None:
    stream = FakeStream()
    opener = Opener(stream)
    browser = FakeBrowser([start(), tone(48000, 0.1)])
    task = asyncio.create_task(relay(browser, opener, languages=LANGS))
    while stream.sends == 0:
        await asyncio.sleep(0.01)
    browser.leave()
    assert await asyncio.wait_for(task, 10) == "gone"
    assert opener.exited
    assert not stream.ended
    assert browser.types() == ["ready"]


async def test_page_leaving_before_start() -> None:
    browser = FakeBrowser([None])
    assert await relay(browser, Opener(), languages=LANGS) == "gone"
    assert browser.sent == []


async def test_stream_that_never_finishes_times_out() -> None:
    class Stuck(FakeStream):
        async def end(self) -> None:
            self.ended = True  # and never release the results

    browser = FakeBrowser([start(), STOP])
    how = await relay(browser, Opener(Stuck()), languages=LANGS, finish_timeout=0.1)
    assert how == "service"
    assert browser.sent[-1]["message"] == "the service did not finish the stream in time"


# --------------------------------------------- the whole path, no browser


async def test_fixture_through_the_server_and_the_local_server() -> None:
    """A page stand-in sends 44.1 kHz float32 speech; the captions match the text."""
    samples, rate = audio.read_wav(DATA / "report.wav")
    assert rate == 16000
    x = audio.resample(samples, 16000, 44100).astype(np.float32) / 32768
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    async with serve_local(engine="pocketsphinx", credentials={"AKIDWEBRELAY": secret}) as local:
        kwargs = {"endpoint": local.url, "credentials": Credentials("AKIDWEBRELAY", secret)}
        async with serve_web(connect_kwargs=kwargs, mode="local") as web:
            url = web.url.replace("http://", "ws://") + "socket"
            received: list[str] = []
            async with ws_connect(url, origin=web.url.rstrip("/"), proxy=None) as ws:  # type: ignore[arg-type]
                await ws.send(start(44100))
                received.append(str(await ws.recv()))
                assert json.loads(received[0])["type"] == "ready"
                step = 4410
                for i in range(0, x.size, step):
                    await ws.send(x[i : i + step].astype("<f4").tobytes())
                await ws.send(STOP)
                async for message in ws:
                    received.append(str(message))
                assert ws.close_code == 1000
    messages = [json.loads(m) for m in received]
    assert messages[-1]["type"] == "end"
    assert messages[-1]["audioSeconds"] == pytest.approx(x.size / 44100, abs=0.01)
    finals = " ".join(m["text"] for m in messages if m["type"] == "result" and not m["partial"])
    assert any(m["type"] == "result" and m["partial"] for m in messages)
    assert wer(TEXTS["report.wav"], finals) <= 0.15, finals
    # Nothing the page received holds a credential or a signature.
    everything = "".join(received)
    for secret_bit in (secret, "AKIDWEBRELAY", "Signature", "X-Amz"):
        assert secret_bit not in everything
