"""``transcribe-ws serve``: run the local Transcribe-compatible server."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
import tempfile
from typing import Any

__all__ = ["register", "run"]


def _credential(text: str) -> tuple[str, str]:
    key, sep, secret = text.partition(":")
    if not sep or not key or not secret:
        raise argparse.ArgumentTypeError("use KEY:SECRET")
    return key, secret


def register(subparsers: Any) -> None:
    """Add the ``serve`` parser."""
    from ..server import ENGINES

    p = subparsers.add_parser(
        "serve",
        help="run the local Transcribe-compatible server",
        description="A local stand-in for the Transcribe streaming WebSocket API, "
        "with offline speech recognition.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port; 0 picks a free one (8765)")
    p.add_argument("--engine", choices=ENGINES, default="pocketsphinx", help="recognizer")
    p.add_argument(
        "--credentials",
        metavar="KEY:SECRET",
        type=_credential,
        action="append",
        default=[],
        help="an access key the server accepts (repeatable); "
        "the process's own AWS credentials are accepted too",
    )
    p.add_argument("--no-auth", action="store_true", help="accept URLs without checking signatures")
    p.add_argument("--tls-cert", metavar="PEM", help="serve wss:// with this certificate chain")
    p.add_argument("--tls-key", metavar="PEM", help="the certificate's private key")
    p.add_argument(
        "--tls-self-signed",
        action="store_true",
        help="serve wss:// with a generated certificate (its CA file is printed)",
    )
    p.add_argument("--idle-timeout", type=float, default=15.0, help="seconds without audio (15)")
    p.add_argument(
        "--log-level",
        default="INFO",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="logging level (INFO: one line per session start and end)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Serve until SIGINT or SIGTERM, then close the open streams and stop."""
    from ..server import serve
    from ..server.tls import self_signed, server_context

    logging.basicConfig(
        level=getattr(logging, args.log_level),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("websockets").setLevel(max(logging.WARNING, logging.root.level))
    if bool(args.tls_cert) != bool(args.tls_key):
        raise ValueError("--tls-cert and --tls-key go together")
    context = None
    if args.tls_cert:
        context = server_context(args.tls_cert, args.tls_key)
    elif args.tls_self_signed:
        certs = self_signed(tempfile.mkdtemp(prefix="transcribe-ws-tls-"))
        context = server_context(certs.cert, certs.key)
        print(f"CA certificate for clients: {certs.ca}", flush=True)

    async def main() -> None:
        async with serve(
            args.host,
            args.port,
            engine=args.engine,
            credentials=dict(args.credentials),
            no_auth=args.no_auth,
            ssl=context,
            idle_timeout=args.idle_timeout,
        ) as server:
            print(f"listening on {server.url}", flush=True)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            await stop.wait()
            # leaving the block closes the open streams and waits for their handlers

    asyncio.run(main())
    print("stopped", file=sys.stderr)
    return 0
