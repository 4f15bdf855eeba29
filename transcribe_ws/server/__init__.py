"""A local Transcribe-compatible streaming server with offline speech recognition.

>>> import asyncio
>>> async def main() -> str:
...     async with serve(engine="synthetic", no_auth=True) as server:
...         return server.url.split(":")[0]
>>> asyncio.run(main())
'ws'

Modules: :mod:`.handshake` (the upgrade request checked as the service does),
:mod:`.session` (one stream's protocol logic, sans-I/O), :mod:`.results`
(engine segments as the service's results), :mod:`.engines` (recognition),
:mod:`.tls` (certificates), :mod:`.app` (the asyncio layer).
"""

from __future__ import annotations

from .app import Server, serve
from .engines import ENGINES, Engine, Recognizer, Segment, Word, make_engine
from .session import Session

__all__ = [
    "ENGINES",
    "Engine",
    "Recognizer",
    "Segment",
    "Server",
    "Session",
    "Word",
    "make_engine",
    "serve",
]
