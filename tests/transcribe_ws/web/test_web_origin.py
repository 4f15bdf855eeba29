"""The Host and Origin checks: pure functions, then through the running server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
import websockets.exceptions
from web_support import http_get
from websockets.asyncio.client import connect as ws_connect

from sigv4 import Credentials
from transcribe_ws.web import WebServer, host_allowed, normalize_origin, origin_allowed, serve


@pytest.mark.parametrize(
    ("origin", "host", "server_host"),
    [
        ("http://127.0.0.1:8080", "127.0.0.1:8080", "127.0.0.1"),
        ("http://localhost:8080", "localhost:8080", "127.0.0.1"),
        ("http://LOCALHOST:8080", "localhost:8080", "127.0.0.1"),
        ("http://[::1]:8080", "[::1]:8080", "::1"),
        ("http://127.0.0.1", "127.0.0.1:80", "127.0.0.1"),
        ("http://192.168.1.20:8080", "192.168.1.20:8080", "0.0.0.0"),
        ("http://mybox.lan:8080", "mybox.lan:8080", "mybox.lan"),
    ],
)
def test_the_pages_own_origin_is_allowed(origin: str, host: str, server_host: str) -> None:
    assert host_allowed(host, server_host=server_host)
    assert origin_allowed(origin, host, server_host=server_host)


@pytest.mark.parametrize(
    ("origin", "host"),
    [
        (None, "127.0.0.1:8080"),  # not a browser page
        ("null", "127.0.0.1:8080"),  # file:// or a sandboxed frame
        ("", "127.0.0.1:8080"),
        ("http://127.0.0.1:9999", "127.0.0.1:8080"),  # another port, another origin
        ("http://localhost:8080", "127.0.0.1:8080"),  # another name for us is another origin
        ("https://127.0.0.1:8080", "127.0.0.1:8080"),  # another scheme
        ("http://evil.example", "127.0.0.1:8080"),
        ("http://127.0.0.1:8080.evil.example", "127.0.0.1:8080"),
        ("http://user@127.0.0.1:8080", "127.0.0.1:8080"),
        ("http://127.0.0.1:8080/page", "127.0.0.1:8080"),
        ("ws://127.0.0.1:8080", "127.0.0.1:8080"),
        ("http://127.0.0.1:99999", "127.0.0.1:99999"),  # not a port
        # DNS rebinding: an attacker's name resolving to 127.0.0.1 is same-origin
        # with itself, but we do not answer to that name.
        ("http://evil.example:8080", "evil.example:8080"),
        ("http://127.0.0.1:8080", None),
        ("http://127.0.0.1:8080", "127.0.0.1:8080/x"),
        ("http://127.0.0.1:8080", "user@127.0.0.1:8080"),
    ],
)
def test_other_origins_are_refused(origin: str | None, host: str | None) -> None:
    assert not origin_allowed(origin, host, server_host="127.0.0.1")


def test_host_header_must_name_this_server() -> None:
    assert host_allowed("10.1.2.3:8080", server_host="127.0.0.1")  # an address cannot rebind
    assert host_allowed("localhost", server_host="127.0.0.1")
    assert not host_allowed("evil.example:8080", server_host="127.0.0.1")
    assert not host_allowed("", server_host="127.0.0.1")
    assert not host_allowed(None, server_host="127.0.0.1")
    assert not host_allowed("a b", server_host="127.0.0.1")
    assert host_allowed(
        "captions.example:443", server_host="0.0.0.0", extra_hosts={"captions.example"}
    )


def test_operator_listed_origins_are_allowed() -> None:
    extra = {str(normalize_origin("https://captions.example"))}
    assert origin_allowed(
        "https://captions.example", "127.0.0.1:8080", server_host="127.0.0.1", allowed_origins=extra
    )
    assert not origin_allowed(
        "https://other.example", "127.0.0.1:8080", server_host="127.0.0.1", allowed_origins=extra
    )


def test_normalize_origin() -> None:
    assert normalize_origin("http://LocalHost") == "http://localhost:80"
    assert normalize_origin("https://x.example") == "https://x.example:443"
    assert normalize_origin("http://[::1]:8080") == "http://[::1]:8080"
    assert normalize_origin("file:///tmp/x.html") is None
    assert normalize_origin("null") is None
    with pytest.raises(ValueError, match="allow-origin"):
        WebServer(allowed_origins=["not an origin"])


# ------------------------------------------------------------ through the server


@pytest.fixture
async def web() -> AsyncIterator[WebServer]:
    # Nothing listens upstream: these tests never get as far as a stream.
    kwargs = {"endpoint": "ws://127.0.0.1:9", "credentials": Credentials("AKIDWEBTEST", "s3cr3t")}
    async with serve(connect_kwargs=kwargs, allowed_origins=["https://proxy.example"]) as w:
        yield w


def _socket_url(web: WebServer) -> str:
    return web.url.replace("http://", "ws://") + "socket"


async def _refused(url: str, **kwargs: object) -> tuple[int, str]:
    with pytest.raises(websockets.exceptions.InvalidStatus) as info:
        async with ws_connect(url, proxy=None, **kwargs):  # type: ignore[arg-type]
            pass
    response = info.value.response
    return response.status_code, (response.body or b"").decode()


async def test_socket_from_the_page_origin_is_accepted(web: WebServer) -> None:
    origin = web.url.rstrip("/")
    async with ws_connect(_socket_url(web), origin=origin, proxy=None) as ws:  # type: ignore[arg-type]
        await ws.send(json.dumps({"type": "hello"}))
        reply = json.loads(await ws.recv())
    assert reply["type"] == "error"
    assert reply["kind"] == "request"
    async with ws_connect(
        _socket_url(web),
        origin="https://proxy.example",  # type: ignore[arg-type]
        proxy=None,
    ):
        pass


@pytest.mark.parametrize(
    "origin", [None, "http://evil.example", "null", "http://127.0.0.1:1", "http://localhost:1"]
)
async def test_socket_from_another_origin_is_refused_with_403(
    web: WebServer, origin: str | None
) -> None:
    kwargs = {} if origin is None else {"origin": origin}
    status, body = await _refused(_socket_url(web), **kwargs)
    assert status == 403
    assert "may not open this socket" in body


async def test_rebound_host_name_is_refused(web: WebServer) -> None:
    # A page at http://evil.example:PORT whose name resolves to 127.0.0.1.
    evil = f"evil.example:{web.port}"
    headers = {"Host": evil}
    status, _, body = await asyncio.to_thread(http_get, web.url, headers)
    assert status == 403
    assert b"not served here" in body
    upgrade = {
        **headers,
        "Origin": f"http://{evil}",
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version": "13",
    }
    status, _, body = await asyncio.to_thread(
        http_get, _socket_url(web).replace("ws:", "http:"), upgrade
    )
    assert status == 403
    assert b"not served here" in body


async def test_repeated_host_or_origin_is_refused(web: WebServer) -> None:
    status, _ = await _refused(
        _socket_url(web), origin=web.url.rstrip("/"), additional_headers={"Origin": "http://x"}
    )
    assert status == 400
