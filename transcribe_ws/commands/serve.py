"""``transcribe-ws serve``: run the local Transcribe-compatible server."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import socket
import subprocess
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
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes sharing the port (SO_REUSEPORT, Linux): recognition "
        "holds the GIL, so use one per core for many pocketsphinx sessions (1)",
    )
    p.add_argument("--reuse-port", action="store_true", help=argparse.SUPPRESS)
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
        args.tls_cert, args.tls_key = str(certs.cert), str(certs.key)  # for more workers
        print(f"CA certificate for clients: {certs.ca}", flush=True)

    placeholder = None
    children: list[subprocess.Popen[bytes]] = []
    if args.workers > 1:
        # hold the port (0 → a free one) while every worker binds it with SO_REUSEPORT
        placeholder = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET)
        placeholder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        placeholder.bind((args.host, args.port))
        args.port = placeholder.getsockname()[1]
        args.reuse_port = True
        children = [
            subprocess.Popen([sys.executable, "-m", "transcribe_ws", *_worker_argv(args)])
            for _ in range(args.workers - 1)
        ]

    async def main() -> None:
        async with serve(
            args.host,
            args.port,
            reuse_port=args.reuse_port,
            engine=args.engine,
            credentials=dict(args.credentials),
            no_auth=args.no_auth,
            ssl=context,
            idle_timeout=args.idle_timeout,
        ) as server:
            if placeholder is not None:
                placeholder.close()
            if not args.reuse_port or args.workers > 1:
                print(f"listening on {server.url}", flush=True)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            await stop.wait()
            # leaving the block closes the open streams and waits for their handlers

    try:
        asyncio.run(main())
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.wait(timeout=60)
    if not args.reuse_port or args.workers > 1:
        print("stopped", file=sys.stderr)
    return 0


def _worker_argv(args: argparse.Namespace) -> list[str]:
    """The command line of one more worker process serving the same port."""
    argv = ["serve", "--host", args.host, "--port", str(args.port), "--engine", args.engine]
    argv += ["--idle-timeout", str(args.idle_timeout), "--log-level", args.log_level]
    argv += ["--workers", "1", "--reuse-port"]
    for key, secret in args.credentials:
        argv += ["--credentials", f"{key}:{secret}"]
    if args.no_auth:
        argv.append("--no-auth")
    if args.tls_cert:
        argv += ["--tls-cert", args.tls_cert, "--tls-key", args.tls_key]
    return argv
