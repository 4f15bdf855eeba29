"""``transcribe-ws mic``: live captions from the microphone (needs the ``[mic]`` extra)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from typing import Any

from ..client import connect
from ..mic import list_devices, microphone
from ..params import build_query
from ..writers import FORMATS, make_writer
from ._options import (
    add_connection_options,
    add_local_options,
    check_local,
    connection_kwargs,
    local_server,
)
from .transcribe import _CONNECTION, LiveLine

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``mic`` subcommand."""
    parser = subparsers.add_parser(
        "mic",
        help="live captions from the microphone",
        description=(
            "Transcribe the microphone until Ctrl-C (or --duration); final results go to stdout, "
            "the live partial result to stderr on a terminal. Needs sounddevice "
            "(pip install 'transcribe-ws[mic]')."
        ),
    )
    parser.add_argument("--device", help="input device (number or name; default: the system's)")
    parser.add_argument("--list-devices", action="store_true", help="list audio devices and exit")
    parser.add_argument("--duration", type=float, help="stop after this many seconds")
    add_local_options(parser)
    parser.add_argument(
        "--format", default="text", metavar="|".join(FORMATS), help="output format (text)"
    )
    add_connection_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Capture and transcribe until stopped."""
    if args.list_devices:
        print(list_devices())
        return 0
    if args.format not in FORMATS:
        raise ValueError(f"--format {args.format!r} is not allowed; allowed: {', '.join(FORMATS)}")
    check_local(args)
    kwargs = connection_kwargs(args)
    build_query(kwargs["kind"], **{k: v for k, v in kwargs.items() if k not in _CONNECTION})
    return asyncio.run(_main(args, kwargs))


async def _main(args: argparse.Namespace, kwargs: dict[str, Any]) -> int:
    device: int | str | None = args.device
    if isinstance(device, str) and device.isdigit():
        device = int(device)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGINT, stop.set)  # Ctrl-C: end the stream, keep finals
    if args.duration is not None:
        loop.call_later(args.duration, stop.set)
    writer = make_writer(args.format, sys.stdout)
    live = LiveLine(sys.stderr) if sys.stderr.isatty() else None
    # Open the device first: a missing microphone fails before any connection.
    chunks = microphone(kwargs["sample_rate"], device=device, stop=stop)
    first = await anext(chunks)
    async with contextlib.AsyncExitStack() as stack:
        if args.local:
            kwargs.update(await stack.enter_async_context(local_server(args.engine)))
        stream = await stack.enter_async_context(connect(keepalive=10.0, **kwargs))

        async def send() -> None:
            await stream.send_audio(first)
            async with contextlib.aclosing(chunks):
                async for chunk in chunks:
                    await stream.send_audio(chunk)
            await stream.end()

        sender = asyncio.create_task(send())
        try:
            async for event in stream:
                for result in event.results:
                    if live is not None:
                        live.show(result)
                    writer.add(result)
        finally:
            if live is not None:
                live.clear()
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await sender
    writer.finish()
    return 0
