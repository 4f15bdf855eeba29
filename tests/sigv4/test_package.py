"""The public surface: names, exception hierarchy, docstring examples."""

from __future__ import annotations

import doctest
import importlib
import inspect
import os
from pathlib import Path

import pytest
from sigv4_support import isolate_aws_env

import sigv4
from sigv4 import (
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

MODULES = [
    "sigv4",
    "sigv4._canonical",
    "sigv4._clock",
    "sigv4._credentials",
    "sigv4._errors",
    "sigv4._redact",
    "sigv4._signer",
    "sigv4._verify",
]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """No AWS_* variables and an empty temporary HOME; the HOME path."""
    return isolate_aws_env(monkeypatch, tmp_path)


def test_public_names() -> None:
    for name in sigv4.__all__:
        assert hasattr(sigv4, name), name
    assert sigv4.IMPLEMENTATION == "python"
    for name in [
        "Credentials",
        "resolve_credentials",
        "resolve_region",
        "presign_url",
        "sign_headers",
        "verify_presigned_url",
        "redact_url",
    ]:
        assert name in sigv4.__all__


def test_exception_hierarchy() -> None:
    for exc in (
        MalformedPresignedUrl,
        InvalidCredentialScope,
        InvalidExpires,
        ExpiredSignature,
        SignatureNotYetCurrent,
        UnknownAccessKey,
        SignatureDoesNotMatch,
    ):
        assert issubclass(exc, SignatureError)
    assert issubclass(SignatureError, ValueError)
    assert issubclass(SignatureError, SigV4Error)
    assert issubclass(CredentialsError, SigV4Error)
    assert not issubclass(CredentialsError, SignatureError)
    assert issubclass(ProfileNotFound, CredentialsNotFound)
    for exc in (CredentialsNotFound, CredentialsFileError, CredentialProcessError):
        assert issubclass(exc, CredentialsError)
    assert MalformedPresignedUrl.http_status == 400
    assert SignatureDoesNotMatch.http_status == 403


@pytest.mark.parametrize("module", MODULES)
def test_public_functions_are_typed_and_documented(module: str) -> None:
    mod = importlib.import_module(module)
    for name in mod.__all__:
        obj = getattr(mod, name)
        if inspect.isfunction(obj):
            assert obj.__doc__, f"{module}.{name} has no docstring"
            hints = inspect.get_annotations(obj)
            assert "return" in hints, f"{module}.{name} has no return type"


@pytest.mark.parametrize(
    "name", ["presign_url", "sign_headers", "verify_presigned_url", "redact_url",
             "resolve_credentials", "resolve_region"],
)  # fmt: skip
def test_public_functions_have_examples(name: str) -> None:
    assert ">>> " in (getattr(sigv4, name).__doc__ or "")


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples(module: str, clean_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # resolve_* examples set variables: keep them inside this test.
    monkeypatch.setattr(os, "environ", os.environ.copy())
    mod = importlib.import_module(module)
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS, raise_on_error=False)
    assert result.failed == 0
    if module != "sigv4._errors":
        assert result.attempted > 0
