"""Options shared by the client subcommands (``transcribe``, ``presign``, ``mic``, ``web``).

Every query parameter of the WebSocket API becomes a flag named after it
(``--show-speaker-label``, ``--vocabulary-filter-method mask``,
``--pii-entity-types NAME,SSN``), generated from the table in
:mod:`transcribe_ws.params`, so none can be forgotten.  Values are checked by
``build_query`` (one clear line naming the parameter), not by argparse.
"""

from __future__ import annotations

import argparse
import contextlib
import secrets
from collections.abc import AsyncIterator
from typing import Any

from sigv4 import Credentials

from ..params import KINDS, PARAMS

__all__ = [
    "SERVICE_FLAGS",
    "add_connection_options",
    "add_local_options",
    "check_local",
    "connection_kwargs",
    "local_server",
]

#: Query parameters with their own flags or fixed by the command.
_SPECIAL = {"language-code", "sample-rate", "media-encoding"}
#: Service parameters that get a generated flag: (query name, keyword).
SERVICE_FLAGS = tuple((p.name, p.keyword) for p in PARAMS.values() if p.name not in _SPECIAL)


def add_connection_options(parser: argparse.ArgumentParser, *, media: bool = False) -> None:
    """Endpoint, credentials and every service option."""
    where = parser.add_argument_group("where and who")
    where.add_argument(
        "--endpoint", help="base URL of a compatible server (ws://HOST:PORT or wss://HOST:PORT)"
    )
    where.add_argument("--region", help="AWS region (default: AWS_REGION or the profile's)")
    where.add_argument("--profile", help="AWS profile for credentials and region")
    where.add_argument(
        "--api",
        default="standard",
        metavar="|".join(KINDS),
        help="which streaming API (default: standard)",
    )
    stream = parser.add_argument_group("stream")
    stream.add_argument("--language-code", default=None, help="e.g. en-US (the default)")
    stream.add_argument(
        "--sample-rate",
        type=int,
        default=16000,
        help="rate sent to the service, 8000-48000 (default: 16000)",
    )
    if media:
        stream.add_argument(
            "--media-encoding", default=None, help="pcm (default), ogg-opus or flac"
        )
    service = parser.add_argument_group("service options (see the Transcribe documentation)")
    for name, keyword in SERVICE_FLAGS:
        p = PARAMS[name]
        flag = f"--{name}"
        if p.kind == "bool":
            service.add_argument(flag, dest=keyword, action="store_const", const=True)
        elif p.kind == "int":
            service.add_argument(flag, dest=keyword, type=int, metavar="N")
        elif p.kind == "list":
            service.add_argument(flag, dest=keyword, metavar="A,B,...")
        elif p.kind == "choice":
            service.add_argument(flag, dest=keyword, metavar="|".join(p.choices))
        else:
            service.add_argument(flag, dest=keyword, metavar=p.kind.upper())


def connection_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """Keywords for ``connect``/``transcribe_file``/``build_url`` from parsed flags."""
    identify = bool(args.identify_language or args.identify_multiple_languages)
    language = args.language_code or (None if identify else "en-US")
    kwargs: dict[str, Any] = {
        "language_code": language,
        "sample_rate": args.sample_rate,
        "region": args.region,
        "endpoint": args.endpoint,
        "profile": args.profile,
        "kind": args.api,
    }
    for _name, keyword in SERVICE_FLAGS:
        value = getattr(args, keyword)
        if value is not None:
            kwargs[keyword] = value
    if getattr(args, "media_encoding", None) is not None:
        kwargs["media_encoding"] = args.media_encoding
    return kwargs


def add_local_options(parser: argparse.ArgumentParser) -> None:
    """``--local`` (run the local server in-process) and its ``--engine``."""
    parser.add_argument(
        "--local",
        action="store_true",
        help="run the local server in this process (offline, no AWS account) and use it",
    )
    parser.add_argument(
        "--engine",
        default="pocketsphinx",
        help="recognition engine of the --local server: pocketsphinx (default) or synthetic",
    )


def check_local(args: argparse.Namespace) -> None:
    """Refuse ``--local`` together with ``--endpoint``."""
    if args.local and args.endpoint:
        raise ValueError("--local and --endpoint cannot be combined")


@contextlib.asynccontextmanager
async def local_server(engine: str) -> AsyncIterator[dict[str, Any]]:
    """Run the local server in-process; yields the keywords that point a client at it."""
    from ..server import serve

    async with serve(host="127.0.0.1", port=0, engine=engine, no_auth=True) as server:
        yield {
            "endpoint": server.url,
            # The server takes any signature (no_auth); sign with throw-away keys.
            "credentials": Credentials(
                "LOCAL" + secrets.token_hex(6).upper(), secrets.token_hex(16)
            ),
        }
