"""SigV4 for Python, standard library only: sign, presign, verify, resolve credentials.

>>> from sigv4 import Credentials, presign_url, verify_presigned_url
>>> creds = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
>>> url = presign_url(
...     "wss://transcribestreaming.us-east-1.amazonaws.com:8443/stream-transcription-websocket"
...     "?language-code=en-US&media-encoding=pcm&sample-rate=16000",
...     credentials=creds, region="us-east-1", service="transcribe", now=1440938160)
>>> verify_presigned_url(url, secret_for={creds.access_key: creds.secret_key}.get,
...                      service="transcribe", region="us-east-1", now=1440938170)
'AKIDEXAMPLE'
"""

from __future__ import annotations

from ._canonical import EMPTY_SHA256
from ._credentials import Credentials, resolve_credentials, resolve_region
from ._errors import (
    CredentialProcessError,
    CredentialsError,
    CredentialsFileError,
    CredentialsNotFound,
    ExpiredSignature,
    InvalidCredentialScope,
    InvalidExpires,
    MalformedPresignedUrl,
    ProfileNotFound,
    SignatureDoesNotMatch,
    SignatureError,
    SignatureNotYetCurrent,
    SigV4Error,
    UnknownAccessKey,
)
from ._redact import redact_url
from ._signer import UNSIGNED_PAYLOAD, presign_url, sign_headers
from ._verify import verify_presigned_url

__all__ = [
    "EMPTY_SHA256",
    "IMPLEMENTATION",
    "UNSIGNED_PAYLOAD",
    "CredentialProcessError",
    "Credentials",
    "CredentialsError",
    "CredentialsFileError",
    "CredentialsNotFound",
    "ExpiredSignature",
    "InvalidCredentialScope",
    "InvalidExpires",
    "MalformedPresignedUrl",
    "ProfileNotFound",
    "SigV4Error",
    "SignatureDoesNotMatch",
    "SignatureError",
    "SignatureNotYetCurrent",
    "UnknownAccessKey",
    "presign_url",
    "redact_url",
    "resolve_credentials",
    "resolve_region",
    "sign_headers",
    "verify_presigned_url",
]

#: sigv4 has no compiled twin: hashlib and hmac already run in C.
IMPLEMENTATION = "python"
