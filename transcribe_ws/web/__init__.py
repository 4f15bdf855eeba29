"""Live captions in the browser: ``transcribe-ws web``.

A small server (websockets only) serves one page and its socket.  The page
captures the microphone with an AudioWorklet and sends the device-rate PCM
to this server, which resamples it with :mod:`audio`, streams it with
:func:`transcribe_ws.connect` to the service (or the local server) and
relays the results back as JSON.  Credentials stay on the server side; the
socket accepts only the page's own origin.

>>> import asyncio
>>> async def main() -> str:
...     async with serve(connect_kwargs={"endpoint": "ws://127.0.0.1:9"}) as web:
...         return web.url.split(":")[0]
>>> asyncio.run(main())
'http'

Modules: :mod:`.app` (the HTTP and socket server), :mod:`.relay` (the
page's protocol and the relay), :mod:`.origin` (the Host and Origin checks).
"""

from __future__ import annotations

from .app import LANGUAGES, SOCKET_PATH, WebServer, serve
from .origin import host_allowed, normalize_origin, origin_allowed
from .relay import StartRequest, relay

__all__ = [
    "LANGUAGES",
    "SOCKET_PATH",
    "StartRequest",
    "WebServer",
    "host_allowed",
    "normalize_origin",
    "origin_allowed",
    "relay",
    "serve",
]
