"""Options shared by the client subcommands (``transcribe``, ``presign``, ``mic``).

Every query parameter of the WebSocket API becomes a flag named after it
(``--show-speaker-label``, ``--vocabulary-filter-method mask``,
``--pii-entity-types NAME,SSN``), generated from the table in
:mod:`transcribe_ws.params`, so none can be forgotten.  Values are checked by
``build_query`` (one clear line naming the parameter), not by argparse.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..params import KINDS, PARAMS

__all__ = ["SERVICE_FLAGS", "add_connection_options", "connection_kwargs"]

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
