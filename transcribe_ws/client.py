"""The asyncio streaming client: ``connect()`` and the stream it opens.

>>> async def main():  # doctest: +SKIP
...     async with connect(language_code="en-US", sample_rate=16000) as stream:
...         await stream.send_audio(pcm)           # int16 little-endian, any length
...         await stream.end()                     # results keep coming after this
...         async for event in stream:             # TranscriptEvent, until the server closes
...             for result in event.results:
...                 print(result.is_partial, result.transcript)

What each call returns and raises, and what the caller does next:

- ``connect(...)`` validates every option (``ParameterError``, a ``ValueError``
  naming the parameter) and resolves credentials and region (sigv4 errors)
  *before* any connection is made; then a refused upgrade raises
  ``HandshakeError(status, reason)`` with the server's own explanation, and a
  host that cannot be reached raises ``OSError``.
- ``send_audio(pcm)`` sends one AudioEvent (chunks longer than the service's
  1 s limit are split).  Once the server has failed the stream it raises that
  typed error (``BadRequestException``, ...); once the connection is gone it
  raises ``ConnectionClosedError``.  Iterating the stream reports the same
  error after the results that came before it.
- ``end()`` sends the empty AudioEvent; keep iterating to get the finals.
- Iteration yields ``TranscriptEvent`` until the server closes the
  connection normally, then stops; a service exception raises its typed
  error, a dropped connection ``ConnectionClosedError``, both only after every
  event received before them.
- Leaving the ``async with`` block (normally, on an error or on
  cancellation) closes the connection and stops the stream's tasks.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
import ssl as ssl_module
import time
import uuid
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import websockets.exceptions
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect

from evstream import Decoder, EventStreamError
from sigv4 import Credentials, presign_url, redact_url, resolve_credentials, resolve_region

from .errors import (
    ConnectionClosedError,
    HandshakeError,
    ParameterError,
    TranscribeError,
    TranscribeWsError,
)
from .models import TranscriptEvent
from .params import PATHS, build_query, endpoint_for_region
from .protocol import ProtocolError, audio_event, end_of_stream, parse_server_message

__all__ = [
    "KEEPALIVE_AFTER",
    "MAX_CHUNK_SECONDS",
    "TranscribeStream",
    "build_url",
    "connect",
]

log = logging.getLogger("transcribe_ws")

#: The service refuses audio events longer than this; longer chunks are split.
MAX_CHUNK_SECONDS = 1.0
#: The service ends a stream after 15 s without audio; keep-alive silence goes out
#: after this many seconds of caller silence by default.
KEEPALIVE_AFTER = 10.0
_SILENCE_SECONDS = 0.1
_CLOSE_TIMEOUT = 2.0
_USER_AGENT = "transcribe-ws/0.1"


@dataclass(frozen=True)
class _Closed:
    """End of the event queue: how the stream ended (None = normally)."""

    error: BaseException | None


def build_url(
    *,
    language_code: str | None = None,
    sample_rate: int = 16000,
    region: str | None = None,
    endpoint: str | None = None,
    credentials: Credentials | None = None,
    profile: str | None = None,
    kind: str = "standard",
    expires: int = 300,
    **options: Any,
) -> str:
    """The presigned ``wss://`` (or ``ws://``) URL for a stream; no I/O but credential files.

    Takes the same arguments as :func:`connect` (see there).  Raises
    ``ParameterError`` for a bad option, endpoint or region, and the sigv4
    errors when credentials are needed but cannot be found.
    """
    if isinstance(expires, bool) or not isinstance(expires, int) or not 1 <= expires <= 300:
        raise ParameterError("X-Amz-Expires", f"{expires!r} is not allowed; allowed: 1 to 300")
    identify = options.get("identify_language") or options.get("identify_multiple_languages")
    if language_code is None and not identify:
        language_code = "en-US"
    query = build_query(kind, language_code=language_code, sample_rate=sample_rate, **options)
    if endpoint is None:
        if region is None:
            region = resolve_region(profile)
        if region is None:
            raise ParameterError(
                "region",
                "no region given and none configured (AWS_REGION, AWS_DEFAULT_REGION or the "
                "profile's region); pass region= or endpoint=",
            )
        base = endpoint_for_region(region, kind)
    else:
        base = _endpoint_url(endpoint, kind)
        if region is None:
            region = resolve_region(profile) or "us-east-1"
    if credentials is None:
        credentials = resolve_credentials(profile)
    return presign_url(
        f"{base}?{urlencode(query)}",
        credentials=credentials,
        region=region,
        service="transcribe",
        expires=expires,
    )


def _endpoint_url(endpoint: str, kind: str) -> str:
    """``endpoint`` (a base URL, ws:// or wss://) with the API's path."""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        raise ParameterError(
            "endpoint", f"{endpoint!r} is not a ws:// or wss:// URL (e.g. ws://127.0.0.1:8765)"
        )
    if parts.query or parts.fragment:
        raise ParameterError("endpoint", "give the base URL without a query or fragment")
    path = parts.path.rstrip("/")
    if path not in ("", PATHS[kind]):
        raise ParameterError("endpoint", f"unexpected path {parts.path!r}; give the base URL")
    return urlunsplit((parts.scheme, parts.netloc, PATHS[kind], "", ""))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class TranscribeStream:
    """One open transcription stream; created by :func:`connect`.

    ``session_id`` is the stream's session id (the one sent, or the one the
    server reported).  Audio goes in with :meth:`send_audio` and :meth:`end`;
    results come out by async iteration.
    """

    def __init__(
        self,
        ws: ClientConnection,
        *,
        session_id: str,
        sample_rate: int,
        channels: int,
        pcm: bool,
        keepalive: float | None,
    ) -> None:
        self._ws = ws
        self.session_id = session_id
        #: the request id the service answered the handshake with, if any
        self.request_id: str | None = None
        if ws.response is not None:
            headers = ws.response.headers
            self.session_id = headers.get("x-amzn-transcribe-session-id", session_id)
            self.request_id = headers.get("x-amzn-request-id")
        self._frame_bytes = 2 * channels
        self._max_bytes = int(sample_rate * MAX_CHUNK_SECONDS) * self._frame_bytes
        self._pcm = pcm
        self._silence = bytes(int(sample_rate * _SILENCE_SECONDS) * self._frame_bytes)
        self._queue: asyncio.Queue[TranscriptEvent | _Closed] = asyncio.Queue()
        self._failure: BaseException | None = None
        self._delivered = False  # the failure was raised to the caller
        self._ended = False
        self._finished = False
        self._last_send = time.monotonic()
        self._reader = asyncio.create_task(self._read(), name="transcribe-ws reader")
        self._keepalive: asyncio.Task[None] | None = None
        if keepalive is not None and pcm:
            self._keepalive = asyncio.create_task(
                self._keep_alive(keepalive), name="transcribe-ws keep-alive"
            )

    # ----------------------------------------------------------------- sending

    async def send_audio(self, pcm: bytes | bytearray | memoryview) -> None:
        """Send *pcm* (int16 little-endian, channels interleaved) as one AudioEvent.

        A chunk longer than 1 s of audio goes out as several events; an empty
        chunk sends nothing (use :meth:`end` to end the stream).  Raises the
        server's typed error once it failed the stream, ``ConnectionClosedError``
        once the connection is gone, ``RuntimeError`` after :meth:`end`.
        """
        if self._ended:
            raise RuntimeError("send_audio() after end(): the audio stream has ended")
        data = pcm if isinstance(pcm, bytes) else memoryview(pcm).cast("B").tobytes()
        if not data:
            return
        if self._pcm and len(data) % self._frame_bytes:
            raise ValueError(
                f"PCM chunk of {len(data)} bytes is not a whole number of "
                f"{self._frame_bytes}-byte frames"
            )
        step = self._max_bytes if self._pcm else len(data)
        if len(data) <= step:
            await self._send(audio_event(data))
            return
        for start in range(0, len(data), step):
            await self._send(audio_event(data[start : start + step]))

    async def end(self) -> None:
        """Send the empty AudioEvent that ends the audio; results keep coming.

        Calling it again does nothing.
        """
        if self._ended:
            return
        self._ended = True
        if self._keepalive is not None:
            self._keepalive.cancel()
        await self._send(end_of_stream())

    async def _send(self, message: bytes) -> None:
        if self._failure is not None:
            self._delivered = True
            raise self._failure
        try:
            await self._ws.send(message)
        except websockets.exceptions.ConnectionClosed:
            # The reader learns why (an exception message, a drop); wait for it.
            await asyncio.wait([self._reader])
            if self._failure is not None:
                self._delivered = True
                raise self._failure from None
            raise ConnectionClosedError(
                "the server closed the connection; the stream takes no more audio"
            ) from None
        self._last_send = time.monotonic()

    async def _keep_alive(self, after: float) -> None:
        while True:
            idle = time.monotonic() - self._last_send
            if idle < after:
                await asyncio.sleep(after - idle)
                continue
            log.debug("keep-alive: %.1f s without audio, sending silence", idle)
            try:
                await self._send(audio_event(self._silence))
            except TranscribeWsError:
                return

    # --------------------------------------------------------------- receiving

    async def _read(self) -> None:
        decoder = Decoder()
        error: BaseException | None = None
        try:
            async for frame in self._ws:
                if isinstance(frame, str):
                    raise ProtocolError("the server sent a text frame; expected event-stream")
                for message in decoder.feed(frame):
                    event = parse_server_message(message)
                    if event is not None:
                        self._queue.put_nowait(event)
            # A normal close (1000): the stream is over.
        except TranscribeError as exc:
            error = exc
        except websockets.exceptions.ConnectionClosedError as exc:
            error = ConnectionClosedError(_describe_close(exc))
        except (ProtocolError, EventStreamError) as exc:
            error = ProtocolError(f"the server sent a malformed message: {exc}")
        except asyncio.CancelledError:
            error = _ClosedByClient("the stream was closed by the client")
            raise
        except Exception as exc:  # never leave the iterator waiting
            error = exc
        finally:
            if self._failure is None:
                self._failure = error
                self._queue.put_nowait(_Closed(error))

    def __aiter__(self) -> TranscribeStream:
        return self

    async def __anext__(self) -> TranscriptEvent:
        """The next TranscriptEvent; see the module docstring for the errors."""
        if self._finished:
            raise StopAsyncIteration
        item = await self._queue.get()
        if isinstance(item, _Closed):
            self._finished = True
            if item.error is not None:
                self._delivered = True
                raise item.error
            raise StopAsyncIteration
        return item

    # ----------------------------------------------------------------- closing

    def _fail(self, error: BaseException) -> None:
        """End the iteration with *error* (a sender task failed, say)."""
        if self._failure is None:
            self._failure = error
            self._queue.put_nowait(_Closed(error))

    async def aclose(self) -> None:
        """Close the connection and stop the stream's tasks (safe to call twice)."""
        tasks = [t for t in (self._keepalive, self._reader) if t is not None]
        try:
            await asyncio.wait_for(self._ws.close(), _CLOSE_TIMEOUT)
        except (asyncio.TimeoutError, OSError, websockets.exceptions.WebSocketException):
            pass
        finally:
            if self._ws.transport is not None and not self._ws.transport.is_closing():
                self._ws.transport.abort()
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task


class _ClosedByClient(ConnectionClosedError):
    """Iterating after the ``async with`` block closed the stream."""


def _describe_close(exc: websockets.exceptions.ConnectionClosed) -> str:
    frame = exc.rcvd or exc.sent
    if frame is None:
        return "the connection dropped before the stream ended (no close frame)"
    reason = f": {frame.reason}" if frame.reason else ""
    return f"the connection closed with code {frame.code}{reason} before the stream ended"


class connect:  # lower case: it reads as a call, ``async with connect(...)``
    """Open a transcription stream: ``async with connect(...) as stream``.

    Arguments:

    - ``language_code`` (``"en-US"`` unless ``identify_language`` or
      ``identify_multiple_languages`` is set), ``sample_rate`` and every other WebSocket query
      parameter as a keyword (``show_speaker_label=True``,
      ``vocabulary_filter_method="mask"``, ``pii_entity_types=["NAME"]``,
      ``session_id=...``; see :mod:`transcribe_ws.params`), validated before
      connecting.  A session id is generated when none is given.
    - ``kind``: ``"standard"``, ``"medical"`` or ``"call-analytics"`` (the path).
    - ``region`` (default: resolved like the AWS CLI) or ``endpoint``, a base
      URL such as ``ws://127.0.0.1:8765`` or ``wss://host:8443``.
    - ``credentials`` (a :class:`sigv4.Credentials`; default: resolved from the
      environment or ``profile``), ``expires`` (at most 300 s).
    - ``keepalive``: seconds of caller silence after which 100 ms of silence
      is sent, so the service's 15 s no-audio timeout does not end the stream
      (None, the default, sends none).
    - ``ssl``: an ``ssl.SSLContext`` for ``wss://`` (a self-signed local server).
    - ``open_timeout``: seconds for the TCP, TLS and WebSocket handshakes.
    """

    def __init__(
        self,
        *,
        language_code: str | None = None,
        sample_rate: int = 16000,
        region: str | None = None,
        endpoint: str | None = None,
        credentials: Credentials | None = None,
        profile: str | None = None,
        kind: str = "standard",
        expires: int = 300,
        keepalive: float | None = None,
        ssl: ssl_module.SSLContext | None = None,
        open_timeout: float = 10.0,
        **options: Any,
    ) -> None:
        if keepalive is not None and not 0 < keepalive < 15:
            raise ParameterError("keepalive", f"{keepalive!r} is not allowed; use 0 < s < 15")
        session_id = options.pop("session_id", None)
        if session_id is None:
            session_id = str(uuid.uuid4())
        self._url = build_url(
            language_code=language_code,
            sample_rate=sample_rate,
            region=region,
            endpoint=endpoint,
            credentials=credentials,
            profile=profile,
            kind=kind,
            expires=expires,
            session_id=session_id,
            **options,
        )
        identification = options.get("enable_channel_identification") is True
        self._stream_args: dict[str, Any] = {
            "session_id": str(session_id),
            "sample_rate": sample_rate,
            "channels": int(options.get("number_of_channels") or 2) if identification else 1,
            "pcm": options.get("media_encoding", "pcm") in (None, "pcm"),
            "keepalive": keepalive,
        }
        self._ssl = ssl
        self._open_timeout = open_timeout
        self._stream: TranscribeStream | None = None

    @property
    def url(self) -> str:
        """The presigned URL, with its signature and token redacted."""
        return redact_url(self._url)

    async def __aenter__(self) -> TranscribeStream:
        parts = urlsplit(self._url)
        host = parts.hostname or ""
        kwargs: dict[str, Any] = {
            "compression": None,
            "open_timeout": self._open_timeout,
            "close_timeout": _CLOSE_TIMEOUT,
            "user_agent_header": _USER_AGENT,
            "max_queue": None,
        }
        if _is_loopback(host):
            kwargs["proxy"] = None
        if self._ssl is not None:
            kwargs["ssl"] = self._ssl
        log.debug("connecting to %s", self.url)
        try:
            ws = await ws_connect(self._url, **kwargs)
        except websockets.exceptions.InvalidStatus as exc:
            response = exc.response
            body = (response.body or b"").decode("utf-8", "replace").strip()
            raise HandshakeError(
                response.status_code, _reason(body) or response.reason_phrase
            ) from None
        except websockets.exceptions.InvalidHandshake as exc:
            raise HandshakeError(0, f"the WebSocket handshake failed: {exc}") from None
        except (OSError, asyncio.TimeoutError) as exc:
            what = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            message = f"cannot connect to {parts.netloc}: {what or type(exc).__name__}"
            errno = getattr(exc, "errno", None)
            raise (OSError(errno, message) if errno else OSError(message)) from exc
        try:
            self._stream = TranscribeStream(ws, **self._stream_args)
        except BaseException:
            ws.transport.abort()
            raise
        return self._stream

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._stream is not None:
            stream, self._stream = self._stream, None
            await stream.aclose()
            failure = stream._failure
            if (
                exc is None
                and not stream._delivered
                and isinstance(failure, TranscribeWsError)
                and not isinstance(failure, _ClosedByClient)
            ):
                # The server failed the stream (or the connection dropped) and the
                # block never saw it: do not let it pass silently.
                raise failure


def _reason(body: str) -> str:
    """The message in a refusal body (plain text, or JSON with a Message field)."""
    if body.startswith("{"):
        try:
            obj = json.loads(body)
        except ValueError:
            return body
        if isinstance(obj, dict):
            for key in ("Message", "message"):
                if isinstance(obj.get(key), str):
                    return str(obj[key])
    return body
