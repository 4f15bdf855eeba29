"""Fixtures of the client tests: a real local server per test (helpers: client_support)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from client_support import ENGINES, SERVER_CREDENTIALS

from transcribe_ws.server import Server, serve


@pytest.fixture
async def synthetic() -> AsyncIterator[Server]:
    """The local server, synthetic engine, checking signatures."""
    async with serve(engine="synthetic", credentials=SERVER_CREDENTIALS) as server:
        yield server


@pytest.fixture(params=ENGINES)
async def server(request: pytest.FixtureRequest) -> AsyncIterator[Server]:
    """The local server with each engine, checking signatures."""
    async with serve(engine=request.param, credentials=SERVER_CREDENTIALS) as server:
        yield server


@pytest.fixture(autouse=True)
def no_aws_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No real credentials or region leak in from the machine running the tests."""
    empty = tmp_path_factory.mktemp("aws")
    for var in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty / "credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty / "config"))
