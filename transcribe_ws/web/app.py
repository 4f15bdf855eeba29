"""The captions web server: one page, its assets, and the page's socket.

Built on websockets' asyncio server alone: ``process_request`` answers the
plain GET requests (the page, its script, style sheet and audio worklet, and
``config.json``) and lets only :data:`SOCKET_PATH` go on to the WebSocket
upgrade, after the ``Host`` and ``Origin`` checks of :mod:`.origin`.  Each
socket runs :func:`.relay.relay` against a stream opened with
:func:`transcribe_ws.connect` and the server-side settings (endpoint,
region, credentials): the page never sees them.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator, Collection, Mapping
from http import HTTPStatus
from importlib import resources
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from websockets.asyncio.server import Server, ServerConnection
from websockets.asyncio.server import serve as ws_serve
from websockets.datastructures import Headers
from websockets.http11 import Request, Response

from ..client import connect
from ..params import LANGUAGE_CODES
from .origin import host_allowed, normalize_origin, origin_allowed
from .relay import TARGET_RATE, StartRequest, Stream, relay

__all__ = ["LANGUAGES", "SOCKET_PATH", "STATIC_FILES", "WebServer", "serve"]

log = logging.getLogger("transcribe_ws.web")

#: the page's socket
SOCKET_PATH = "/socket"
#: URL path → (file under ``static/``, content type)
STATIC_FILES = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/index.html": ("index.html", "text/html; charset=utf-8"),
    "/captions.css": ("captions.css", "text/css; charset=utf-8"),
    "/captions.js": ("captions.js", "text/javascript; charset=utf-8"),
    "/capture-worklet.js": ("capture-worklet.js", "text/javascript; charset=utf-8"),
}
#: languages the page offers for the service, in this order (the default is put first)
LANGUAGES = (
    "en-US", "en-GB", "en-AU", "en-IN", "en-IE", "en-NZ", "en-ZA", "es-US", "es-ES",
    "fr-FR", "fr-CA", "de-DE", "de-CH", "it-IT", "pt-BR", "pt-PT", "nl-NL", "sv-SE",
    "da-DK", "no-NO", "fi-FI", "pl-PL", "cs-CZ", "ro-RO", "ru-RU", "uk-UA", "el-GR",
    "ar-SA", "ar-AE", "he-IL", "hi-IN", "th-TH", "vi-VN", "id-ID", "ms-MY",
    "ja-JP", "ko-KR", "zh-CN", "zh-TW", "zh-HK",
)  # fmt: skip
#: the page's frames: 100 ms of 192 kHz float32 is 77 KB; leave room
_MAX_FRAME = 1 << 20
#: what every answer to a GET carries
_SECURITY_HEADERS = (
    (
        "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-store"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
)


def _read_static(name: str) -> bytes:
    return resources.files(__package__).joinpath("static").joinpath(name).read_bytes()


class WebServer:
    """A running captions server; use :func:`serve` to make one.

    ``url`` is the page's address once started (``port`` 0 becomes the real
    port).  *connect_kwargs* go to :func:`transcribe_ws.connect` for every
    stream (``endpoint``, ``region``, ``credentials``, ``profile``, service
    options); the page only chooses the language, among *languages*.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        language_code: str = "en-US",
        languages: Collection[str] | None = None,
        connect_kwargs: Mapping[str, Any] | None = None,
        allowed_origins: Collection[str] = (),
        mode: str = "service",
    ) -> None:
        if language_code not in LANGUAGE_CODES:
            raise ValueError(
                f"--language-code {language_code!r} is not a streaming language code "
                "(for example en-US, es-US)"
            )
        offered = list(languages if languages is not None else LANGUAGES)
        for code in offered:
            if code not in LANGUAGE_CODES:
                raise ValueError(f"{code!r} is not a streaming language code")
        if language_code in offered:
            offered.remove(language_code)
        self.languages = (language_code, *offered)
        self.language_code = language_code
        self.host = host
        self.port = port
        self.mode = mode
        self.connect_kwargs = dict(connect_kwargs or {})
        self.allowed_origins: set[str] = set()
        self.extra_hosts: set[str] = set()
        for origin in allowed_origins:
            normal = normalize_origin(origin)
            if normal is None:
                raise ValueError(f"--allow-origin {origin!r} is not an origin (scheme://host:port)")
            self.allowed_origins.add(normal)
        self.streams = 0  # sockets being relayed now
        self._server: Server | None = None
        self._static = {
            path: (_read_static(name), ctype) for path, (name, ctype) in STATIC_FILES.items()
        }

    @property
    def url(self) -> str:
        """The page's address: ``http://host:port/``."""
        host = self.host
        if host in ("", "0.0.0.0"):
            host = "127.0.0.1"
        elif host == "::":
            host = "::1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/"

    def config(self) -> dict[str, Any]:
        """What ``config.json`` tells the page (no endpoint, key or signature)."""
        return {
            "languages": list(self.languages),
            "languageCode": self.language_code,
            "mode": self.mode,
            "targetRate": TARGET_RATE,
            "socketPath": SOCKET_PATH,
        }

    # ------------------------------------------------------------------ HTTP

    def _respond(
        self, status: HTTPStatus, body: bytes, content_type: str, *, extra: bool = True
    ) -> Response:
        headers = Headers()
        headers["Content-Type"] = content_type
        headers["Content-Length"] = str(len(body))
        headers["Connection"] = "close"
        if extra:
            for name, value in _SECURITY_HEADERS:
                headers[name] = value
        return Response(status.value, status.phrase, headers, body)

    def _refuse(self, status: HTTPStatus, message: str) -> Response:
        return self._respond(status, f"{message}\n".encode(), "text/plain; charset=utf-8")

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        hosts, origins = request.headers.get_all("Host"), request.headers.get_all("Origin")
        if len(hosts) > 1 or len(origins) > 1:
            return self._refuse(HTTPStatus.BAD_REQUEST, "Repeated Host or Origin header.")
        host = hosts[0] if hosts else None
        if not host_allowed(host, server_host=self.host, extra_hosts=self.extra_hosts):
            log.info("refused a request for host %r", host)
            return self._refuse(HTTPStatus.FORBIDDEN, f"Host {host!r} is not served here.")
        path = urlsplit(request.path).path
        if path == SOCKET_PATH:
            origin = origins[0] if origins else None
            if not origin_allowed(
                origin,
                host,
                server_host=self.host,
                allowed_origins=self.allowed_origins,
                extra_hosts=self.extra_hosts,
            ):
                log.info("refused a socket from origin %r", origin)
                return self._refuse(
                    HTTPStatus.FORBIDDEN, f"Origin {origin!r} may not open this socket."
                )
            return None  # on to the WebSocket handshake
        if path == "/config.json":
            body = json.dumps(self.config()).encode()
            return self._respond(HTTPStatus.OK, body, "application/json")
        if path in self._static:
            body, content_type = self._static[path]
            return self._respond(HTTPStatus.OK, body, content_type)
        if path == "/favicon.ico":
            return self._respond(HTTPStatus.NO_CONTENT, b"", "text/plain")
        return self._refuse(HTTPStatus.NOT_FOUND, f"{path} is not here; the page is at /")

    # ---------------------------------------------------------------- socket

    def _open_stream(self, start: StartRequest) -> contextlib.AbstractAsyncContextManager[Stream]:
        kwargs = {
            **self.connect_kwargs,
            "language_code": start.language_code,
            "sample_rate": TARGET_RATE,
        }
        return _as_stream(connect(**kwargs))

    async def _handle(self, connection: ServerConnection) -> None:
        self.streams += 1
        try:
            how = await relay(connection, self._open_stream, languages=self.languages)
        finally:
            self.streams -= 1
        log.info("captions socket from %s ended: %s", connection.remote_address, how)

    # ------------------------------------------------------------- lifecycle

    async def start(self) -> WebServer:
        """Listen; ``port`` becomes the real port when 0 was asked for."""
        self._server = await ws_serve(
            self._handle,
            self.host or None,
            self.port,
            process_request=self._process_request,
            max_size=_MAX_FRAME,
            compression=None,
            server_header="transcribe-ws",
            logger=logging.getLogger("transcribe_ws.web.http"),
        )
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        """Stop listening and close the open sockets (their upstream streams close too)."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def __aenter__(self) -> WebServer:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


@contextlib.asynccontextmanager
async def _as_stream(manager: connect) -> AsyncIterator[Stream]:
    async with manager as stream:
        yield stream


def serve(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    language_code: str = "en-US",
    languages: Collection[str] | None = None,
    connect_kwargs: Mapping[str, Any] | None = None,
    allowed_origins: Collection[str] = (),
    mode: str = "service",
) -> WebServer:
    """The captions server; ``async with serve(...) as web:`` runs it (``web.url``).

    *connect_kwargs* are the server-side settings of every stream (see
    :class:`WebServer`); *mode* is what the page shows (``"local"``,
    ``"service"`` or ``"endpoint"``).
    """
    return WebServer(
        host,
        port,
        language_code=language_code,
        languages=languages,
        connect_kwargs=connect_kwargs,
        allowed_origins=allowed_origins,
        mode=mode,
    )
