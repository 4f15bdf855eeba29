"""``transcribe-ws presign``: print a presigned URL for a browser or another client."""

from __future__ import annotations

import argparse
from typing import Any

from ..client import build_url
from ._options import add_connection_options, connection_kwargs

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``presign`` subcommand."""
    parser = subparsers.add_parser(
        "presign",
        help="print a presigned WebSocket URL",
        description=(
            "Print a presigned URL for the streaming API (valid for --expires seconds, at most "
            "300), for a browser or another client. It carries a signature: treat it as a "
            "short-lived secret."
        ),
    )
    parser.add_argument(
        "--expires", type=int, default=300, help="seconds the URL stays valid (1-300; 300)"
    )
    add_connection_options(parser, media=True)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the URL."""
    print(build_url(expires=args.expires, **connection_kwargs(args)))
    return 0
