"""Errors of the Transcribe streaming client and server.

Hierarchy::

    Exception
     └── TranscribeWsError
          ├── TranscribeError                 the service (or the local server) said no
          │    ├── BadRequestException
          │    ├── LimitExceededException
          │    ├── InternalFailureException
          │    ├── ConflictException
          │    └── ServiceUnavailableException
          ├── HandshakeError                  the WebSocket upgrade was refused (status, reason)
          └── ConnectionClosedError           the connection dropped before the stream ended

    ValueError
     └── ParameterError                       a query parameter is not allowed (names it)

A ``TranscribeError`` carries the service's own message; ``HandshakeError``
carries the HTTP status and the body the server sent.  None of them ever
contains a credential or a signature.
"""

from __future__ import annotations

__all__ = [
    "EXCEPTION_TYPES",
    "BadRequestException",
    "ConflictException",
    "ConnectionClosedError",
    "HandshakeError",
    "InternalFailureException",
    "LimitExceededException",
    "ParameterError",
    "ServiceUnavailableException",
    "TranscribeError",
    "TranscribeWsError",
    "error_for",
]


class TranscribeWsError(Exception):
    """Base class of the errors raised by transcribe_ws."""


class TranscribeError(TranscribeWsError):
    """An exception message from the service; ``message`` is the service's text."""

    #: the ``:exception-type`` header value that carries this error
    exception_type = "TranscribeError"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"{self.exception_type}: {self.message}"


class BadRequestException(TranscribeError):
    """The request or the audio stream was invalid (also the 15 s no-audio timeout)."""

    exception_type = "BadRequestException"


class LimitExceededException(TranscribeError):
    """A limit was exceeded (concurrent streams, stream length)."""

    exception_type = "LimitExceededException"


class InternalFailureException(TranscribeError):
    """The service failed while processing the stream."""

    exception_type = "InternalFailureException"


class ConflictException(TranscribeError):
    """A stream with the same session id is already running."""

    exception_type = "ConflictException"


class ServiceUnavailableException(TranscribeError):
    """The service cannot take the stream now."""

    exception_type = "ServiceUnavailableException"


EXCEPTION_TYPES: dict[str, type[TranscribeError]] = {
    cls.exception_type: cls
    for cls in (
        BadRequestException,
        LimitExceededException,
        InternalFailureException,
        ConflictException,
        ServiceUnavailableException,
    )
}


def error_for(exception_type: str, message: str) -> TranscribeError:
    """The typed error for an ``:exception-type`` value (unknown types → TranscribeError).

    >>> error_for("LimitExceededException", "too many streams")
    LimitExceededException('too many streams')
    """
    cls = EXCEPTION_TYPES.get(exception_type)
    if cls is None:
        err = TranscribeError(message)
        err.exception_type = exception_type
        return err
    return cls(message)


class HandshakeError(TranscribeWsError):
    """The server refused the WebSocket upgrade: ``status`` and its ``reason`` (the body)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"HTTP {status}: {reason}")
        self.status = status
        self.reason = reason


class ConnectionClosedError(TranscribeWsError):
    """The connection closed before the server ended the stream normally.

    Raised only after every result received before the drop was delivered.
    """


class ParameterError(ValueError):
    """A query parameter (or its Python keyword) has a value that is not allowed.

    ``parameter`` is the query parameter's name (``sample-rate``).
    """

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
