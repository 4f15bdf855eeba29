"""``transcribe-ws web``: live captions in the browser (the service, or ``--local``)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from typing import Any

from ..client import build_url
from ..params import LANGUAGE_CODES
from ._options import add_local_options, check_local, local_server

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``web`` subcommand."""
    parser = subparsers.add_parser(
        "web",
        help="live captions in the browser",
        description=(
            "Serve a page that captures the microphone and shows live captions. The audio "
            "comes to this process, which resamples it and streams it to Amazon Transcribe "
            "(credentials resolved here, never sent to the page) or, with --local, to the "
            "local server run in-process."
        ),
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; browsers allow the microphone only "
        "on localhost or https)",
    )
    parser.add_argument(
        "--port", type=int, default=8080, help="port to listen on (default 8080; 0 picks one)"
    )
    add_local_options(parser)
    parser.add_argument(
        "--language-code", default="en-US", help="the page's default language (en-US)"
    )
    parser.add_argument("--region", help="AWS region (default: AWS_REGION or the profile's)")
    parser.add_argument("--profile", help="AWS profile for credentials and region")
    parser.add_argument(
        "--endpoint", help="base URL of a compatible server (ws://HOST:PORT or wss://HOST:PORT)"
    )
    parser.add_argument(
        "--allow-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="another origin whose pages may use the socket (e.g. https://captions.example "
        "behind a TLS proxy); repeatable",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Check the settings, then serve until interrupted (Ctrl-C or SIGTERM)."""
    from ..web import WebServer  # noqa: F401  (fail early if the package data is missing)

    check_local(args)
    if not 0 <= args.port <= 65535:
        raise ValueError(f"--port {args.port} is not a port number")
    if args.language_code not in LANGUAGE_CODES:
        raise ValueError(
            f"--language-code {args.language_code!r} is not a streaming language code "
            "(for example en-US, es-US)"
        )
    kwargs: dict[str, Any] = {
        "region": args.region,
        "profile": args.profile,
        "endpoint": args.endpoint,
    }
    if not args.local:
        # Resolve region and credentials now: one clear line instead of an error per page.
        build_url(language_code=args.language_code, **kwargs)
    return asyncio.run(_main(args, kwargs))


async def _main(args: argparse.Namespace, kwargs: dict[str, Any]) -> int:
    from ..web import serve as serve_web

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    async with contextlib.AsyncExitStack() as stack:
        mode = "endpoint" if args.endpoint else "service"
        if args.local:
            kwargs = await stack.enter_async_context(local_server(args.engine))
            mode = "local"
        languages = ("en-US",) if args.local else None
        web = await stack.enter_async_context(
            serve_web(
                args.host,
                args.port,
                language_code=args.language_code,
                languages=languages,
                connect_kwargs=kwargs,
                allowed_origins=args.allow_origin,
                mode=mode,
            )
        )
        if args.host in ("0.0.0.0", "::", ""):
            print(
                "transcribe-ws web: listening on every interface; anyone who can reach this "
                "port can transcribe with this server's credentials",
                file=sys.stderr,
            )
        where = {"local": "the local server", "endpoint": args.endpoint}.get(
            mode, "Amazon Transcribe"
        )
        print(f"Live captions ({where}) at {web.url}  (Ctrl-C to stop)", flush=True)
        await stop.wait()
    return 0
