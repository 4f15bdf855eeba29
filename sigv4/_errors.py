"""Exceptions raised by :mod:`sigv4`.

Two families, kept apart because the caller reacts differently:
verification errors mean *the peer sent something we refuse* (answer with an
HTTP error), credential errors mean *this machine is not set up* (tell the
user).  Misusing an API (a naive argument out of range, a URL that is not
absolute) raises plain :class:`ValueError` or :class:`TypeError`.

::

    SigV4Error(Exception)
    ├── SignatureError(SigV4Error, ValueError)  verify_presigned_url refused the URL
    │   ├── MalformedPresignedUrl               X-Amz-* field missing, repeated, unparsable (400)
    │   ├── InvalidCredentialScope              wrong date, region, service or terminator (403)
    │   ├── InvalidExpires                      X-Amz-Expires not a number, < 1, too long (400)
    │   ├── ExpiredSignature                    X-Amz-Date + X-Amz-Expires is past (403)
    │   ├── SignatureNotYetCurrent              X-Amz-Date further ahead than max_skew (403)
    │   ├── UnknownAccessKey                    secret_for() knows no such key (403)
    │   └── SignatureDoesNotMatch               not the signature we compute (403)
    └── CredentialsError(SigV4Error)            resolve_credentials() found nothing usable
        ├── CredentialsNotFound                 nothing anywhere; .searched says where it looked
        │   └── ProfileNotFound                 the named profile is in no file
        ├── CredentialsFileError                a shared file is malformed; .path and .line
        └── CredentialProcessError              credential_process failed, printed bad JSON
                                                or returned expired credentials

No message ever contains a secret key, a session token or a signature.
"""

from __future__ import annotations

__all__ = [
    "CredentialProcessError",
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
]


class SigV4Error(Exception):
    """Base class of every exception this package raises on purpose."""


class SignatureError(SigV4Error, ValueError):
    """A presigned URL was refused.

    ``http_status`` is the status a server answers with; ``code`` is the
    error code the AWS service uses for the same condition.
    """

    http_status: int = 403
    code: str = "InvalidSignatureException"


class MalformedPresignedUrl(SignatureError):
    """A required ``X-Amz-*`` parameter is missing, repeated or unparsable."""

    http_status = 400
    code = "AuthorizationQueryParametersError"


class InvalidCredentialScope(SignatureError):
    """The credential scope names another date, region or service, or a bad terminator."""


class InvalidExpires(SignatureError):
    """``X-Amz-Expires`` is not a whole number of seconds within the allowed range."""

    http_status = 400
    code = "AuthorizationQueryParametersError"


class ExpiredSignature(SignatureError):
    """The URL's lifetime (``X-Amz-Date`` + ``X-Amz-Expires``) is over."""


class SignatureNotYetCurrent(SignatureError):
    """``X-Amz-Date`` lies further in the future than the allowed clock skew."""


class UnknownAccessKey(SignatureError):
    """The access key id is not one the verifier knows."""

    code = "UnrecognizedClientException"


class SignatureDoesNotMatch(SignatureError):
    """The signature differs from the one computed from the request as received."""

    code = "SignatureDoesNotMatch"


class CredentialsError(SigV4Error):
    """Credentials could not be resolved."""


class CredentialsNotFound(CredentialsError):
    """No credentials anywhere; ``searched`` lists the places that were tried."""

    def __init__(self, searched: list[str] | tuple[str, ...]) -> None:
        self.searched: tuple[str, ...] = tuple(searched)
        super().__init__("no AWS credentials found; looked in: " + "; ".join(self.searched))


class ProfileNotFound(CredentialsNotFound):
    """A profile was asked for by name but no shared file defines it."""

    def __init__(self, profile: str, searched: list[str] | tuple[str, ...]) -> None:
        self.profile = profile
        super().__init__(searched)
        self.args = (f"the profile {profile!r} was not found; looked in: " + "; ".join(searched),)


class CredentialsFileError(CredentialsError):
    """A shared credentials or config file cannot be used.

    ``path`` is the file and ``line`` the 1-based line number, when known.
    The offending line's text is never quoted: it might hold a secret.
    """

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}, line {line}" if line is not None else path
        super().__init__(f"{where}: {problem}")


class CredentialProcessError(CredentialsError):
    """The ``credential_process`` command failed or printed unusable output."""
