"""Servers for the server tests (helpers live in server_support, not here)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from server_support import CREDS

from transcribe_ws.server import Server, serve


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    """A synthetic-engine server that knows the test key; 1 s idle timeout."""
    async with serve(
        engine="synthetic", credentials={CREDS.access_key: CREDS.secret_key}, idle_timeout=1.0
    ) as s:
        yield s


@pytest.fixture
async def sphinx_server() -> AsyncIterator[Server]:
    """A pocketsphinx server that knows the test key."""
    async with serve(engine="pocketsphinx", credentials={CREDS.access_key: CREDS.secret_key}) as s:
        yield s
