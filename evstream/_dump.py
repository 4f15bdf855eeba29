"""``python -m evstream FILE|-``: print each message of a captured stream as JSON.

One JSON object per line: the message's byte ``offset`` and ``length`` in the
stream, its ``headers`` (in wire order, each with its wire ``type``), the
``payload_length``, and the payload itself as ``payload`` when it is JSON or as
``payload_text`` when it is other UTF-8 text.  Bad input ends the listing with
a one-line error naming the byte offset and what was wrong (exit status 1).
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

from . import Decoder, EventStreamError, Int8, Int16, Int32, Int64, Message, encode

__all__ = ["describe", "main", "messages"]

_INT_TYPES = ((Int8, "int8"), (Int16, "int16"), (Int32, "int32"), (Int64, "int64"))


def _header(name: str, value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"name": name, "type": "bool", "value": value}
    for cls, label in _INT_TYPES:
        if isinstance(value, cls):
            return {"name": name, "type": label, "value": int(value)}
    if isinstance(value, bytes):
        return {"name": name, "type": "bytes", "value": base64.b64encode(value).decode()}
    if isinstance(value, str):
        return {"name": name, "type": "string", "value": value}
    if isinstance(value, datetime):
        return {"name": name, "type": "timestamp", "value": value.isoformat()}
    if isinstance(value, uuid.UUID):
        return {"name": name, "type": "uuid", "value": str(value)}
    raise TypeError(f"unexpected header value type {type(value).__name__}")  # pragma: no cover


def describe(message: Message, offset: int) -> dict[str, Any]:
    """The JSON-ready description of *message*, found at *offset* in the stream.

    >>> describe(Message({"a": "b"}, b'{"x": 1}'), 0)["payload"]
    {'x': 1}
    """
    out: dict[str, Any] = {
        "offset": offset,
        "length": len(encode(message.headers, message.payload)),
        "headers": [_header(n, v) for n, v in message.headers.items()],
        "payload_length": len(message.payload),
    }
    try:
        text = message.payload.decode("utf-8")
    except UnicodeDecodeError:
        return out
    try:
        out["payload"] = json.loads(text)
    except ValueError:
        out["payload_text"] = text
    return out


def messages(stream: IO[bytes], chunk_size: int = 65536) -> Iterator[tuple[int, Message]]:
    """Yield ``(offset, message)`` for each message read from *stream*.

    Raises :class:`EventStreamError` (with ``offset``) when the stream is invalid,
    after every message before the bad one has been yielded.
    """
    decoder = Decoder()
    offset = 0
    while True:
        chunk = stream.read(chunk_size)
        if not chunk:
            break
        for message in decoder.feed(chunk):
            yield offset, message
            offset += len(encode(message.headers, message.payload))
    decoder.close()


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m evstream``."""
    parser = argparse.ArgumentParser(
        prog="python -m evstream",
        description="Print each message of an AWS event stream as one JSON line.",
    )
    parser.add_argument("file", help="a captured event stream, or - for standard input")
    args = parser.parse_args(argv)
    try:
        stream: IO[bytes] = sys.stdin.buffer if args.file == "-" else open(args.file, "rb")
    except OSError as exc:
        print(f"evstream: cannot open {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        with stream:
            for offset, message in messages(stream):
                print(json.dumps(describe(message, offset), ensure_ascii=False), flush=True)
    except EventStreamError as exc:
        print(f"evstream: invalid stream: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    return 0
