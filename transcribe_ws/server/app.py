"""The asyncio layer: a websockets server that moves frames between sockets and sessions.

Everything the protocol decides lives in :mod:`.handshake` and :mod:`.session`;
this module only accepts connections, runs the timers, hands frames to the
session (in a worker thread when the engine is blocking), sends what the
session queued and closes.
"""

from __future__ import annotations

import asyncio
import logging
import os
import ssl as _ssl
import uuid
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from websockets.asyncio.server import ServerConnection
from websockets.asyncio.server import serve as ws_serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from sigv4 import CredentialsError, redact_url, resolve_credentials

from .engines import Engine, make_engine
from .handshake import Accepted, Refusal, check_request
from .session import Session

__all__ = ["Server", "serve"]

log = logging.getLogger("transcribe_ws.server")

#: websockets' own frame limit; larger event-stream messages are refused by the session
_MAX_FRAME = 4 * 2**20


@dataclass(frozen=True)
class _Fault:
    exception_type: str | None
    message: str
    drop: bool
    after_audio_events: int


class Server:
    """A local Transcribe server; ``async with serve(...) as server:`` runs it.

    *engine* is ``"pocketsphinx"``, ``"synthetic"`` or an :class:`Engine`;
    *credentials* maps access keys to secrets (the process's own resolved
    credentials are accepted too); *no_auth* skips signature checks; *ssl*
    serves ``wss://``.  Streams end after *idle_timeout* seconds without audio
    and after *max_duration* seconds.  ``host``, ``port`` and ``url`` tell where
    it listens (``url`` is the base URL a client passes as ``endpoint=``).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        engine: str | Engine = "pocketsphinx",
        credentials: Mapping[str, str] | None = None,
        no_auth: bool = False,
        ssl: _ssl.SSLContext | None = None,
        idle_timeout: float = 15.0,
        max_duration: float = 4 * 3600,
        reuse_port: bool = False,
    ) -> None:
        self.host = host
        self.port = port
        self.engine = make_engine(engine) if isinstance(engine, str) else engine
        self.idle_timeout = idle_timeout
        self.max_duration = max_duration
        self._ssl = ssl
        self._reuse_port = reuse_port
        self._secrets: dict[str, str] | None = None
        if not no_auth:
            self._secrets = {}
            try:
                own = resolve_credentials()
            except (CredentialsError, OSError):
                pass
            else:
                self._secrets[own.access_key] = own.secret_key
            self._secrets.update(credentials or {})
        self._accepted: dict[ServerConnection, Accepted] = {}
        self._faults: dict[str, _Fault] = {}
        self._sessions: set[str] = set()
        self._pool: ThreadPoolExecutor | None = None
        self._server: Any = None

    # ------------------------------------------------------------------ public

    @property
    def url(self) -> str:
        """``ws://host:port`` (``wss://`` with TLS)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'wss' if self._ssl else 'ws'}://{host}:{self.port}"

    def inject(
        self,
        session_id: str,
        *,
        exception_type: str | None = None,
        message: str = "",
        drop: bool = False,
        after_audio_events: int = 1,
    ) -> None:
        """Test hook: fail the session with this session-id after that many audio events.

        It is sent *exception_type* with *message*, then closed; with *drop* the
        TCP connection is aborted instead.
        """
        self._faults[session_id] = _Fault(exception_type, message, drop, after_audio_events)

    async def start(self) -> Server:
        """Listen; ``port`` becomes the real port when 0 was asked for."""
        self._pool = ThreadPoolExecutor(
            max_workers=min(32, 2 * (os.cpu_count() or 1)), thread_name_prefix="transcribe-ws"
        )
        if self.engine.blocking:
            warm = getattr(self.engine, "warm", None)
            if warm is not None:
                await asyncio.get_running_loop().run_in_executor(self._pool, warm)
        extra: dict[str, Any] = {"reuse_port": True} if self._reuse_port else {}
        self._server = await ws_serve(
            self._handle,
            self.host,
            self.port,
            ssl=self._ssl,
            process_request=self._process_request,
            process_response=self._process_response,
            max_size=_MAX_FRAME,
            compression=None,
            server_header="transcribe-ws",
            **extra,
        )
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        """Stop listening, close the open streams and release the engine."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        self.engine.close()

    async def serve_forever(self) -> None:
        """Run until cancelled."""
        await self._server.serve_forever()

    async def __aenter__(self) -> Server:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # ------------------------------------------------------------------ handshake

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        secrets = self._secrets
        try:
            accepted = check_request(
                request.path,
                request.headers.get("Host", ""),
                scheme="wss" if self._ssl else "ws",
                secret_for=None if secrets is None else secrets.get,
            )
        except Refusal as refusal:
            log.info(
                "refused %s: HTTP %d %s: %s",
                redact_url(request.path),
                refusal.status,
                refusal.error_type,
                refusal.message,
            )
            response = connection.respond(refusal.status, refusal.message + "\n")
            response.headers["x-amzn-ErrorType"] = refusal.error_type
            response.headers["x-amzn-RequestId"] = str(uuid.uuid4())
            return response
        self._accepted[connection] = accepted
        return None

    def _process_response(
        self, connection: ServerConnection, request: Request, response: Response
    ) -> Response | None:
        accepted = self._accepted.get(connection)
        if accepted is not None and response.status_code == 101:
            cfg = accepted.config
            headers: Headers = response.headers
            headers["x-amzn-RequestId"] = str(uuid.uuid4())
            headers["x-amzn-transcribe-session-id"] = cfg.session_id
            headers["x-amzn-transcribe-language-code"] = cfg.language_code
            headers["x-amzn-transcribe-sample-rate"] = str(cfg.sample_rate)
            headers["x-amzn-transcribe-media-encoding"] = cfg.media_encoding
        return None

    # ------------------------------------------------------------------ streaming

    async def _handle(self, ws: ServerConnection) -> None:
        accepted = self._accepted.pop(ws)
        cfg = accepted.config
        session = Session(cfg, self.engine, max_duration=self.max_duration)
        fault = self._faults.pop(cfg.session_id, None)
        peer = ws.remote_address
        log.info(
            "session %s start: %s %s %d Hz x%d, %s engine, key %s, from %s",
            cfg.session_id,
            cfg.kind,
            cfg.language_code,
            cfg.sample_rate,
            cfg.channels,
            self.engine.name,
            accepted.access_key or "-",
            f"{peer[0]}:{peer[1]}" if peer else "?",
        )
        loop = asyncio.get_running_loop()
        started = last_audio = loop.time()
        try:
            while not session.finished:
                now = loop.time()
                idle_left = last_audio + self.idle_timeout - now
                limit_left = started + self.max_duration - now
                try:
                    frame = await asyncio.wait_for(ws.recv(), max(0.0, min(idle_left, limit_left)))
                except TimeoutError:
                    if limit_left <= idle_left:
                        session.duration_exceeded()
                    else:
                        session.idle_timeout(self.idle_timeout)
                except ConnectionClosed:
                    session.outcome = "client closed the connection"
                    break
                else:
                    events = session.audio_events
                    if self.engine.blocking:
                        await loop.run_in_executor(self._pool, session.receive_frame, frame)
                    else:
                        session.receive_frame(frame)
                    if session.audio_events != events:
                        last_audio = loop.time()
                    if fault is not None and session.audio_events >= fault.after_audio_events:
                        if fault.drop:
                            session.outcome = "dropped (injected)"
                            for data in session.data_to_send():
                                await ws.send(data)
                            ws.transport.abort()
                            break
                        session.fail(
                            fault.exception_type or "InternalFailureException", fault.message
                        )
                        fault = None
                for data in session.data_to_send():
                    await ws.send(data)
        except ConnectionClosed:
            session.outcome = session.outcome or "client closed the connection"
            if not session.finished:
                session.outcome = "client closed the connection"
        finally:
            await _close(ws)
            if self.engine.blocking:
                await loop.run_in_executor(self._pool, session.close)
            else:
                session.close()
            log.info(
                "session %s end: %s; %.2f s of audio in %d events (%d signed), %d results",
                cfg.session_id,
                session.outcome or "closed",
                session.audio_seconds,
                session.audio_events,
                session.signed_messages,
                session.results_sent,
            )


async def _close(ws: ServerConnection) -> None:
    """Close normally, reading (and dropping) what the client still sends meanwhile.

    Without the reading, frames queued unread hold back the client's close frame and
    the closing handshake waits for its timeout.
    """

    async def drain() -> None:
        try:
            while True:
                await ws.recv()
        except ConnectionClosed:
            pass

    reader = asyncio.create_task(drain())
    try:
        await ws.close()
    finally:
        reader.cancel()


#: ``async with serve(...) as server:`` runs a local Transcribe server (see :class:`Server`).
serve = Server
