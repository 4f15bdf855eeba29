"""Amazon Transcribe streaming over WebSocket: client, command line and local server.

``connect(...)`` opens a stream (:mod:`transcribe_ws.client`);
``transcribe_file(path)`` streams a WAV file and yields its results.  The
protocol pieces shared by the client and the server live in
:mod:`transcribe_ws.protocol`, :mod:`transcribe_ws.params`,
:mod:`transcribe_ws.models` and :mod:`transcribe_ws.errors`.
"""

from __future__ import annotations

from ._file import transcribe_file
from .client import TranscribeStream, connect
from .errors import (
    BadRequestException,
    ConflictException,
    ConnectionClosedError,
    HandshakeError,
    InternalFailureException,
    LimitExceededException,
    ParameterError,
    ServiceUnavailableException,
    TranscribeError,
    TranscribeWsError,
)
from .models import Alternative, Entity, Item, LanguageWithScore, Result, TranscriptEvent

__all__ = [
    "Alternative",
    "BadRequestException",
    "ConflictException",
    "ConnectionClosedError",
    "Entity",
    "HandshakeError",
    "InternalFailureException",
    "Item",
    "LanguageWithScore",
    "LimitExceededException",
    "ParameterError",
    "Result",
    "ServiceUnavailableException",
    "TranscribeError",
    "TranscribeStream",
    "TranscribeWsError",
    "TranscriptEvent",
    "connect",
    "transcribe_file",
]
