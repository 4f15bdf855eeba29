"""The WebSocket upgrade request checked as the service checks it, sans-I/O.

``check_request(...)`` takes the request target, the ``Host`` header and the
scheme and returns an :class:`Accepted` (the session's config and the access
key that signed it) or raises :class:`Refusal` with the HTTP status, the
service's error type and a body saying exactly what was wrong: 404 for an
unknown path, 403 for a bad, expired, future-dated or unknown-key signature,
400 for a query parameter that is not allowed (naming it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from sigv4 import SignatureError, verify_presigned_url

from ..errors import ParameterError
from ..params import PATHS, check_query, kind_for_path
from .config import SessionConfig

__all__ = ["Accepted", "Refusal", "check_request"]

#: media encodings the local server decodes
SUPPORTED_ENCODINGS = ("pcm",)
#: query parameters clients add that are not options of the stream (the AWS SDKs send
#: their user agent this way over WebSocket)
IGNORED_PARAMS = frozenset({"user-agent", "x-amz-user-agent"})


class Refusal(Exception):
    """The upgrade is refused: ``status``, ``error_type`` and ``message`` (the body)."""

    def __init__(self, status: int, error_type: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message


@dataclass(frozen=True)
class Accepted:
    """An accepted upgrade: the stream's options and who signed the URL (None without auth)."""

    config: SessionConfig
    access_key: str | None


def check_request(
    target: str,
    host: str,
    *,
    scheme: str = "ws",
    secret_for: Callable[[str], str | None] | None = None,
    now: float | None = None,
) -> Accepted:
    """Check the request *target* (path and query) that arrived with *host*.

    Without *secret_for* the signature is not checked (``--no-auth``).
    Raises :class:`Refusal`.
    """
    parts = urlsplit(target)
    kind = kind_for_path(parts.path)
    if kind is None:
        raise Refusal(
            404,
            "NotFoundException",
            f"No streaming API at {parts.path!r}; use one of: {', '.join(PATHS.values())}",
        )
    access_key = None
    if secret_for is not None:
        try:
            access_key = verify_presigned_url(
                f"{scheme}://{host}{target}",
                secret_for=secret_for,
                service="transcribe",
                now=now,
            )
        except SignatureError as exc:
            raise Refusal(exc.http_status, exc.code, str(exc)) from None
    query = {
        k: v for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in IGNORED_PARAMS
    }
    try:
        params = check_query(kind, query)
    except ParameterError as exc:
        raise Refusal(400, "BadRequestException", str(exc)) from None
    encoding = params.get("media-encoding", "pcm")
    if encoding not in SUPPORTED_ENCODINGS:
        raise Refusal(
            400,
            "BadRequestException",
            f"media-encoding: {encoding!r} is not supported by the local server; use pcm",
        )
    return Accepted(SessionConfig.from_query(kind, params), access_key)
