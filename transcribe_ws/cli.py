"""The ``transcribe-ws`` command line (also ``python -m transcribe_ws``).

Each subcommand lives in ``transcribe_ws/commands/<name>.py`` and exposes
``register(subparsers)``, which adds its parser and sets ``func(args) -> int``
as the parser's default.  Errors end the program with one line on stderr and a
non-zero status; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

__all__ = ["COMMANDS", "main"]

#: subcommands, in the order ``--help`` lists them
COMMANDS = ("transcribe", "serve", "presign", "mic", "web")


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every available subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="transcribe-ws",
        description="Amazon Transcribe streaming over WebSocket, and a local stand-in server.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"transcribe_ws.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"transcribe_ws.commands.{name}":
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    >>> main(["--help"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    SystemExit: 0
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("transcribe-ws: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            raise
        logging.getLogger("transcribe_ws").debug("command failed", exc_info=True)
        print(f"transcribe-ws: error: {exc}", file=sys.stderr)
        return 1
