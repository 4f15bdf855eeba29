"""Credentials and region resolution, with a temporary HOME and environment."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sigv4_support import SECRET, TOKEN, isolate_aws_env

from sigv4 import (
    CredentialProcessError,
    Credentials,
    CredentialsError,
    CredentialsFileError,
    CredentialsNotFound,
    ProfileNotFound,
    resolve_credentials,
    resolve_region,
)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """No AWS_* variables and an empty temporary HOME; the HOME path."""
    return isolate_aws_env(monkeypatch, tmp_path)


def write(home: str, name: str, text: str) -> Path:
    path = Path(home) / ".aws" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def process_command(tmp_path: Path, *, stdout: str = "", stderr: str = "", code: int = 0) -> str:
    """A credential_process command: a Python script printing what it is told."""
    script = tmp_path / "helper.py"
    script.write_text(
        "import sys\n"
        f"sys.stdout.write({stdout!r})\n"
        f"sys.stderr.write({stderr!r})\n"
        f"sys.exit({code})\n",
        encoding="utf-8",
    )
    return f'"{sys.executable}" "{script}" --password hunter2'


def process_json(**overrides: object) -> str:
    data: dict[str, object] = {
        "Version": 1,
        "AccessKeyId": "AKIDPROCESS",
        "SecretAccessKey": SECRET,
        "SessionToken": TOKEN,
        "Expiration": (datetime.now(timezone.utc) + timedelta(hours=1)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        ),
    }
    data.update(overrides)
    return json.dumps({k: v for k, v in data.items() if v is not None})


# -- Credentials ----------------------------------------------------------------


def test_repr_hides_secrets() -> None:
    creds = Credentials("AKIDEXAMPLE", SECRET, TOKEN)
    for text in (repr(creds), str(creds), f"{creds}", repr([creds])):
        assert SECRET not in text
        assert TOKEN not in text
        assert "AKIDEXAMPLE" not in text
        assert "MPLE" in text
    assert "session_token=None" in repr(Credentials("AKIDEXAMPLE", SECRET))


@pytest.mark.parametrize(
    "args", [("", SECRET), ("AKID", ""), ("AKID/X", SECRET), (None, SECRET), ("AKID", SECRET, 5)]
)
def test_invalid_credentials_are_rejected_without_echoing(args: tuple[object, ...]) -> None:
    with pytest.raises(ValueError) as info:
        Credentials(*args)  # type: ignore[arg-type]
    assert SECRET not in str(info.value)


def test_credentials_are_frozen() -> None:
    creds = Credentials("AKID", SECRET)
    with pytest.raises(AttributeError):
        creds.secret_key = "x"  # type: ignore[misc]


# -- environment ----------------------------------------------------------------


def test_environment(clean_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
    assert resolve_credentials() == Credentials("AKIDENV", "env-secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "env-token")
    assert resolve_credentials().session_token == "env-token"


def test_legacy_security_token_variable(clean_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
    monkeypatch.setenv("AWS_SECURITY_TOKEN", "old-token")
    assert resolve_credentials().session_token == "old-token"


def test_environment_wins_over_profile(clean_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        clean_env, "credentials", "[default]\naws_access_key_id=AKIDFILE\naws_secret_access_key=f\n"
    )
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
    assert resolve_credentials().access_key == "AKIDENV"
    # ... unless a profile is named explicitly.
    assert resolve_credentials("default").access_key == "AKIDFILE"


def test_half_set_environment_is_ignored(clean_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        clean_env, "credentials", "[default]\naws_access_key_id=AKIDFILE\naws_secret_access_key=f\n"
    )
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    assert resolve_credentials().access_key == "AKIDFILE"


# -- shared files -----------------------------------------------------------------


def test_credentials_file_default_and_named_profiles(
    clean_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        clean_env,
        "credentials",
        "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n\n"
        "[work]\naws_access_key_id = AKIDWORK\naws_secret_access_key = w\n"
        "aws_session_token = wt\n",
    )
    assert resolve_credentials() == Credentials("AKIDDEFAULT", "d")
    assert resolve_credentials("work") == Credentials("AKIDWORK", "w", "wt")
    monkeypatch.setenv("AWS_PROFILE", "work")
    assert resolve_credentials().access_key == "AKIDWORK"


def test_config_profile_sections(clean_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        clean_env,
        "config",
        "[default]\nregion = us-east-1\naws_access_key_id = AKIDCFGDEFAULT\n"
        "aws_secret_access_key = c\n\n"
        "[profile x]\nregion = eu-west-1\naws_access_key_id = AKIDX\naws_secret_access_key = x\n"
        "s3 =\n  max_concurrent_requests = 20\n",
    )
    assert resolve_credentials().access_key == "AKIDCFGDEFAULT"
    assert resolve_credentials("x").access_key == "AKIDX"
    monkeypatch.setenv("AWS_PROFILE", "x")
    assert resolve_credentials().access_key == "AKIDX"
    assert resolve_region() == "eu-west-1"
    # "[x]" without the "profile " prefix is not a config-file profile.
    write(clean_env, "config", "[x]\naws_access_key_id = AKIDX\naws_secret_access_key = x\n")
    with pytest.raises(ProfileNotFound):
        resolve_credentials()


def test_credentials_file_wins_over_config(clean_env: str) -> None:
    write(clean_env, "credentials", "[p]\naws_access_key_id=AKIDCRED\naws_secret_access_key=a\n")
    write(clean_env, "config", "[profile p]\naws_access_key_id=AKIDCONF\naws_secret_access_key=b\n")
    assert resolve_credentials("p").access_key == "AKIDCRED"


def test_file_locations_from_environment(
    clean_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    creds = tmp_path / "elsewhere-credentials"
    creds.write_text("[default]\naws_access_key_id=AKIDMOVED\naws_secret_access_key=m\n")
    conf = Path(clean_env) / "my-config"
    conf.write_text("[default]\nregion = sa-east-1\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(creds))
    monkeypatch.setenv("AWS_CONFIG_FILE", "~/my-config")
    assert resolve_credentials().access_key == "AKIDMOVED"
    assert resolve_region() == "sa-east-1"


# -- credential_process -------------------------------------------------------------


def test_credential_process_success(clean_env: str, tmp_path: Path) -> None:
    command = process_command(tmp_path, stdout=process_json())
    write(clean_env, "config", f"[profile proc]\ncredential_process = {command}\n")
    creds = resolve_credentials("proc")
    assert (creds.access_key, creds.secret_key, creds.session_token) == (
        "AKIDPROCESS",
        SECRET,
        TOKEN,
    )
    assert creds.expiration is not None
    assert creds.expiration > datetime.now(timezone.utc)


def test_credential_process_without_expiration(clean_env: str, tmp_path: Path) -> None:
    command = process_command(tmp_path, stdout=process_json(Expiration=None, SessionToken=None))
    write(clean_env, "credentials", f"[default]\ncredential_process = {command}\n")
    creds = resolve_credentials()
    assert creds.expiration is None
    assert creds.session_token is None


def test_static_keys_in_credentials_file_win_over_process(clean_env: str, tmp_path: Path) -> None:
    command = process_command(tmp_path, code=1)
    write(clean_env, "credentials", "[p]\naws_access_key_id=AKIDSTATIC\naws_secret_access_key=s\n")
    write(clean_env, "config", f"[profile p]\ncredential_process = {command}\n")
    assert resolve_credentials("p").access_key == "AKIDSTATIC"


@pytest.mark.parametrize(
    ("stdout", "stderr", "code", "expected"),
    [
        ("", "token service unreachable\n", 3, "exited with status 3: token service unreachable"),
        ("not json", "", 0, "did not print a JSON object"),
        ("[1, 2]", "", 0, "did not print a JSON object"),
        (process_json(Version=2), "", 0, "unsupported Version"),
        (process_json(AccessKeyId=None), "", 0, "did not print AccessKeyId and SecretAccessKey"),
        (process_json(SessionToken=5), "", 0, "SessionToken that is not a string"),
        (process_json(Expiration="next tuesday"), "", 0, "Expiration that is not an ISO 8601"),
        (process_json(Expiration="2001-01-01T00:00:00Z"), "", 0, "expired at 2001-01-01T00:00"),
    ],
)
def test_credential_process_failures(
    clean_env: str, tmp_path: Path, stdout: str, stderr: str, code: int, expected: str
) -> None:
    command = process_command(tmp_path, stdout=stdout, stderr=stderr, code=code)
    write(clean_env, "config", f"[default]\ncredential_process = {command}\n")
    with pytest.raises(CredentialProcessError) as info:
        resolve_credentials()
    message = str(info.value)
    assert expected in message
    assert "'default'" in message
    for secret in (SECRET, TOKEN, "hunter2"):
        assert secret not in message


def test_credential_process_that_cannot_start(clean_env: str, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-program"
    write(clean_env, "config", f"[default]\ncredential_process = {missing} --secret s3cr3t\n")
    with pytest.raises(CredentialProcessError, match="could not be started") as info:
        resolve_credentials()
    assert "s3cr3t" not in str(info.value)


def test_credential_process_unparsable_command(clean_env: str) -> None:
    write(clean_env, "config", '[default]\ncredential_process = "unterminated\n')
    with pytest.raises(CredentialProcessError, match="cannot be parsed"):
        resolve_credentials()


# -- nothing found, malformed files ---------------------------------------------------


def test_nothing_found_lists_where_it_looked(clean_env: str) -> None:
    with pytest.raises(CredentialsNotFound) as info:
        resolve_credentials()
    error = info.value
    assert not isinstance(error, ProfileNotFound)
    home = Path(clean_env)
    assert len(error.searched) == 3
    assert "AWS_ACCESS_KEY_ID" in error.searched[0]
    assert str(home / ".aws" / "credentials") in error.searched[1]
    assert "no such file" in error.searched[1]
    assert str(home / ".aws" / "config") in error.searched[2]
    assert all(place in str(error) for place in error.searched)


def test_profile_without_keys(clean_env: str) -> None:
    write(clean_env, "config", "[default]\nregion = us-east-1\n")
    with pytest.raises(CredentialsNotFound) as info:
        resolve_credentials()
    assert "no keys or credential_process" in str(info.value)


def test_named_profile_not_found(clean_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    write(clean_env, "credentials", "[default]\naws_access_key_id=A\naws_secret_access_key=s\n")
    with pytest.raises(ProfileNotFound) as info:
        resolve_credentials("nope")
    assert info.value.profile == "nope"
    assert "'nope'" in str(info.value)
    monkeypatch.setenv("AWS_PROFILE", "nope")
    with pytest.raises(ProfileNotFound):
        resolve_credentials()


@pytest.mark.parametrize(
    ("name", "text", "line", "problem"),
    [
        ("credentials", "aws_access_key_id = A\n[default]\n", 1, "before any [section]"),
        ("credentials", "[default]\naws_access_key_id = A\n[default]\n", 3, "more than once"),
        (
            "credentials",
            "[default]\naws_access_key_id=A\naws_access_key_id=B\n",
            3,
            "more than once",
        ),
        (
            "credentials",
            f"[default]\naws_access_key_id=A\n{SECRET}\n",
            3,
            "expected 'name = value'",
        ),
        ("credentials", "\n\n[default]\naws_access_key_id = A\n", 3, "not aws_secret_access_key"),
        (
            "config",
            f"[profile d]\n\naws_secret_access_key = {SECRET}\n",
            1,
            "not aws_access_key_id",
        ),
    ],
)
def test_malformed_file_names_file_and_line(
    clean_env: str, name: str, text: str, line: int, problem: str
) -> None:
    path = write(clean_env, name, text)
    with pytest.raises(CredentialsFileError) as info:
        resolve_credentials("d" if "profile d" in text else None)
    error = info.value
    assert error.path == str(path)
    assert error.line == line
    assert str(error).startswith(f"{path}, line {line}: ")
    assert problem in str(error)
    assert SECRET not in str(error)


def test_file_that_is_not_utf8(clean_env: str) -> None:
    path = write(clean_env, "credentials", "")
    path.write_bytes(b"[default]\naws_access_key_id = \xff\xfe\n")
    with pytest.raises(CredentialsFileError) as info:
        resolve_credentials()
    assert info.value.line == 2
    assert "UTF-8" in str(info.value)


def test_file_that_is_a_directory(clean_env: str) -> None:
    (Path(clean_env) / ".aws" / "credentials").mkdir(parents=True)
    with pytest.raises(CredentialsFileError, match="is a directory"):
        resolve_credentials()


def test_unreadable_file(clean_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import sigv4._credentials as module

    path = write(clean_env, "credentials", "[default]\n")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(module, "open", refuse, raising=False)
    with pytest.raises(CredentialsFileError, match=r"cannot be read \(Permission denied\)"):
        resolve_credentials()


def test_errors_share_one_base() -> None:
    for exc in (CredentialsNotFound, ProfileNotFound, CredentialsFileError, CredentialProcessError):
        assert issubclass(exc, CredentialsError)


# -- region ------------------------------------------------------------------------


def test_region_precedence(clean_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_region() is None
    write(clean_env, "config", "[default]\nregion = ap-south-1\n[profile x]\nregion = eu-north-1\n")
    assert resolve_region() == "ap-south-1"
    assert resolve_region("x") == "eu-north-1"
    assert resolve_region("missing") is None
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-west-1")
    assert resolve_region("x") == "us-west-1"
    monkeypatch.setenv("AWS_REGION", "us-west-2")
    assert resolve_region() == "us-west-2"


# -- nothing secret in the logs -----------------------------------------------------


def test_logs_hold_no_secrets(
    clean_env: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    command = process_command(tmp_path, stdout=process_json())
    write(clean_env, "config", f"[default]\ncredential_process = {command}\n")
    with caplog.at_level(logging.DEBUG, logger="sigv4"):
        resolve_credentials()
    assert caplog.records
    for secret in (SECRET, TOKEN, "hunter2"):
        assert secret not in caplog.text
