"""Which requests the captions server answers, and which pages may open its socket.

Two checks, both pure functions:

- :func:`host_allowed` — the ``Host`` header names this server: an IP
  literal, ``localhost``, the name the server was started with, or a name the
  operator allowed.  Any other name means the browser was pointed at us
  through someone else's DNS name (DNS rebinding), and the request is refused.
- :func:`origin_allowed` — the socket is opened by the page this server
  served: the ``Origin`` is ``http://`` plus the (allowed) ``Host`` the
  request came to, or one of the origins the operator listed (a TLS reverse
  proxy, say).  A missing or ``null`` origin is refused.

>>> origin_allowed("http://127.0.0.1:8080", "127.0.0.1:8080", server_host="127.0.0.1")
True
>>> origin_allowed("http://evil.example:8080", "evil.example:8080", server_host="127.0.0.1")
False
>>> origin_allowed("http://localhost:9999", "127.0.0.1:8080", server_host="127.0.0.1")
False
"""

from __future__ import annotations

import ipaddress
from collections.abc import Collection
from urllib.parse import urlsplit

__all__ = ["host_allowed", "normalize_origin", "origin_allowed"]

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _split_host(host: str) -> tuple[str, int | None] | None:
    """``(hostname, port)`` of a ``Host`` header value; None when it is malformed."""
    if not host or any(c in host for c in "/?#@ \t\\"):
        return None
    try:
        parts = urlsplit(f"//{host}")
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return parts.hostname.lower().rstrip("."), port


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_allowed(host: str | None, *, server_host: str, extra_hosts: Collection[str] = ()) -> bool:
    """Whether a request's ``Host`` header names this server (see the module docstring).

    *server_host* is the address or name the server listens on; *extra_hosts*
    are further host names (lower case, without port) the operator allowed.
    """
    if host is None:
        return False
    split = _split_host(host)
    if split is None:
        return False
    name = split[0]
    return (
        _is_ip(name)
        or name == "localhost"
        or name == server_host.lower().strip("[]").rstrip(".")
        or name in extra_hosts
    )


def normalize_origin(origin: str) -> str | None:
    """``scheme://host:port`` in lower case with the port always written; None if malformed.

    >>> normalize_origin("HTTP://LocalHost")
    'http://localhost:80'
    >>> normalize_origin("null") is None
    True
    """
    try:
        parts = urlsplit(origin)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        return None
    if port is None:
        port = _DEFAULT_PORTS[scheme]
    hostname = parts.hostname.lower().rstrip(".")
    if ":" in hostname:
        hostname = f"[{hostname}]"
    return f"{scheme}://{hostname}:{port}"


def origin_allowed(
    origin: str | None,
    host: str | None,
    *,
    server_host: str,
    allowed_origins: Collection[str] = (),
    extra_hosts: Collection[str] = (),
) -> bool:
    """Whether a socket upgrade with this ``Origin`` and ``Host`` comes from our own page.

    *allowed_origins* are further origins, already normalized with
    :func:`normalize_origin`, that may connect (the page behind a proxy).
    """
    if origin is None:
        return False
    mine = normalize_origin(origin)
    if mine is None:
        return False
    if mine in allowed_origins:
        return True
    if not host_allowed(host, server_host=server_host, extra_hosts=extra_hosts):
        return False
    assert host is not None
    page = normalize_origin(f"http://{host}")
    return page is not None and mine == page
