"""TLS for ``wss://``: a server context from a certificate and key, or a self-signed set.

``self_signed(directory)`` makes a small certificate authority and a server
certificate for ``127.0.0.1``, ``::1`` and ``localhost`` signed by it, with the
``openssl`` command; clients trust ``ca.pem`` (``NODE_EXTRA_CA_CERTS``,
``ssl.create_default_context(cafile=...)``).
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CertificateSet", "self_signed", "server_context"]


@dataclass(frozen=True)
class CertificateSet:
    """Paths of a generated CA certificate, server certificate and server key."""

    ca: Path
    cert: Path
    key: Path


def server_context(cert: str | Path, key: str | Path) -> ssl.SSLContext:
    """A server-side TLS context serving *cert* (PEM chain) with *key* (PEM)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(str(cert), str(key))
    return context


def _openssl(*args: str, cwd: Path) -> None:
    exe = shutil.which("openssl")
    if exe is None:
        raise RuntimeError("the openssl command is needed to make a self-signed certificate")
    done = subprocess.run(
        [exe, *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=60
    )
    if done.returncode != 0:
        raise RuntimeError(f"openssl {args[0]} failed: {done.stderr.strip()}")


def self_signed(directory: str | Path, *, days: int = 30) -> CertificateSet:
    """Write ``ca.pem``, ``cert.pem`` and ``key.pem`` into *directory* (made if missing)."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    (d / "server.ext").write_text(
        "basicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\n"
        "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\n"
    )
    ec = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
    _openssl(
        "req", "-x509", *ec, "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", str(days),
        "-subj", "/CN=transcribe-ws local test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        cwd=d,
    )  # fmt: skip
    _openssl(
        "req", "-new", *ec, "-keyout", "key.pem", "-out", "server.csr",
        "-subj", "/CN=127.0.0.1",
        cwd=d,
    )  # fmt: skip
    _openssl(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
        "-CAcreateserial", "-out", "cert.pem", "-days", str(days), "-extfile", "server.ext",
        cwd=d,
    )  # fmt: skip
    return CertificateSet(d / "ca.pem", d / "cert.pem", d / "key.pem")
