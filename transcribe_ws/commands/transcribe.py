"""``transcribe-ws transcribe FILE...``: transcribe WAV files (the service, or ``--local``)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import sys
from typing import Any, TextIO

from .._file import transcribe_file
from ..models import Result
from ..params import build_query
from ..writers import FORMATS, make_writer
from ._options import (
    add_connection_options,
    add_local_options,
    check_local,
    connection_kwargs,
    local_server,
)

__all__ = ["LiveLine", "register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``transcribe`` subcommand."""
    parser = subparsers.add_parser(
        "transcribe",
        help="transcribe WAV files",
        description=(
            "Transcribe WAV files (any rate and channel count; resampled for the service). "
            "Final results go to stdout (or -o FILE); on a terminal, stderr shows the live "
            "partial result and progress."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="WAV files")
    add_local_options(parser)
    parser.add_argument(
        "--format", default="text", metavar="|".join(FORMATS), help="output format (text)"
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    parser.add_argument(
        "--realtime", action="store_true", help="send audio at the pace it plays, as a live source"
    )
    add_connection_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Check everything that can be checked offline, then transcribe."""
    if args.format not in FORMATS:
        raise ValueError(f"--format {args.format!r} is not allowed; allowed: {', '.join(FORMATS)}")
    check_local(args)
    if args.format in ("srt", "vtt") and len(args.files) > 1:
        raise ValueError(f"--format {args.format} takes one FILE (subtitles are per file)")
    for path in args.files:
        if not os.path.exists(path):
            raise FileNotFoundError(f"{path}: no such file")
        if os.path.isdir(path):
            raise IsADirectoryError(f"{path}: is a directory, not a WAV file")
    kwargs = connection_kwargs(args)
    # Every option is checked before anything starts (one line naming the parameter).
    build_query(kwargs["kind"], **{k: v for k, v in kwargs.items() if k not in _CONNECTION})
    return asyncio.run(_main(args, kwargs))


_CONNECTION = {"region", "endpoint", "profile", "kind"}


async def _main(args: argparse.Namespace, kwargs: dict[str, Any]) -> int:
    with contextlib.ExitStack() as files:
        out: TextIO = (
            files.enter_context(open(args.output, "w", encoding="utf-8"))
            if args.output
            else sys.stdout
        )
        async with contextlib.AsyncExitStack() as stack:
            if args.local:
                kwargs.update(await stack.enter_async_context(local_server(args.engine)))
            for path in args.files:
                if len(args.files) > 1 and args.format == "text":
                    out.write(f"==> {path} <==\n")
                await _transcribe_one(path, args, kwargs, out)
    return 0


async def _transcribe_one(
    path: str, args: argparse.Namespace, kwargs: dict[str, Any], out: TextIO
) -> None:
    writer = make_writer(args.format, out)
    live = LiveLine(sys.stderr) if sys.stderr.isatty() else None
    results = transcribe_file(
        path,
        realtime=args.realtime,
        progress=live.progress if live is not None else None,
        **kwargs,
    )
    try:
        async with contextlib.aclosing(results):
            async for result in results:
                if live is not None:
                    live.show(result)
                writer.add(result)
    finally:
        if live is not None:
            live.clear()
    writer.finish()


class LiveLine:
    """One self-overwriting status line on a terminal: progress and the partial result."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.seconds = 0.0
        self.text = ""
        self.shown = False

    def progress(self, seconds: float) -> None:
        """Audio sent so far."""
        self.seconds = seconds
        self._show()

    def show(self, result: Result) -> None:
        """A partial result stays on the line; a final one clears it (it goes to the output)."""
        if result.is_partial:
            self.partial(result.transcript)
        else:
            self.clear()

    def partial(self, text: str) -> None:
        """The latest partial result."""
        self.text = text
        self._show()

    def _show(self) -> None:
        width = shutil.get_terminal_size((80, 24)).columns - 1
        line = f"[{self.seconds:6.1f} s] {self.text}"
        if len(line) > width:
            line = line[:12] + "…" + line[len(line) - (width - 13) :]
        self.out.write(f"\r\x1b[K{line}")
        self.out.flush()
        self.shown = True

    def clear(self) -> None:
        """Remove the line (before a final result is printed)."""
        if self.shown:
            self.out.write("\r\x1b[K")
            self.out.flush()
            self.shown = False
        self.text = ""
