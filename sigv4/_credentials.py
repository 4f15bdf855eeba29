"""AWS credentials and region, resolved the way the AWS CLI resolves them.

Order for credentials: the environment (``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, ``AWS_SESSION_TOKEN``) unless a profile is named
explicitly; then the profile (``profile`` argument, ``AWS_PROFILE``,
``AWS_DEFAULT_PROFILE`` or ``default``) in the shared credentials file
(``AWS_SHARED_CREDENTIALS_FILE`` or ``~/.aws/credentials``); then that
profile's ``credential_process``; then static keys in the config file
(``AWS_CONFIG_FILE`` or ``~/.aws/config``, sections ``[profile NAME]``).
"""

from __future__ import annotations

import configparser
import json
import logging
import os
import re
import shlex
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone

from ._errors import (
    CredentialProcessError,
    CredentialsFileError,
    CredentialsNotFound,
    ProfileNotFound,
)

__all__ = ["Credentials", "resolve_credentials", "resolve_region"]

log = logging.getLogger("sigv4")

_PROCESS_TIMEOUT = 60.0


@dataclass(frozen=True, slots=True, repr=False)
class Credentials:
    """An access key id, its secret and, for temporary credentials, a session token.

    ``expiration`` is set when the source said when the credentials stop
    working (``credential_process``).  The repr hides every secret:

    >>> Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "token")
    Credentials(access_key='…MPLE', secret_key=<hidden>, session_token=<hidden>)
    """

    access_key: str
    secret_key: str
    session_token: str | None = None
    expiration: datetime | None = None

    def __post_init__(self) -> None:
        for field in ("access_key", "secret_key"):
            value = getattr(self, field)
            if not isinstance(value, str) or not value:
                raise ValueError(f"Credentials.{field} must be a non-empty string")
        if self.session_token is not None and not isinstance(self.session_token, str):
            raise ValueError("Credentials.session_token must be a string or None")
        if "/" in self.access_key:
            raise ValueError("Credentials.access_key must not contain '/'")

    def __repr__(self) -> str:
        token = "<hidden>" if self.session_token else "None"
        expiration = (
            "" if self.expiration is None else f", expiration={self.expiration.isoformat()!r}"
        )
        return (
            f"Credentials(access_key='…{self.access_key[-4:]}', secret_key=<hidden>, "
            f"session_token={token}{expiration})"
        )

    __str__ = __repr__


def _credentials_path() -> str:
    return os.path.expanduser(
        os.environ.get("AWS_SHARED_CREDENTIALS_FILE") or os.path.join("~", ".aws", "credentials")
    )


def _config_path() -> str:
    return os.path.expanduser(
        os.environ.get("AWS_CONFIG_FILE") or os.path.join("~", ".aws", "config")
    )


class _Ini:
    """A parsed shared file: sections, and the line each section starts on."""

    def __init__(self, path: str, sections: dict[str, dict[str, str]], lines: dict[str, int]):
        self.path = path
        self.sections = sections
        self.lines = lines

    def get(self, name: str) -> dict[str, str] | None:
        return self.sections.get(name)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _read_ini(path: str) -> _Ini | None:
    """Parse a shared file; None when it does not exist."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise CredentialsFileError(path, None, "is a directory, not a file") from None
    except OSError as exc:
        raise CredentialsFileError(path, None, f"cannot be read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise CredentialsFileError(path, line, "is not valid UTF-8 text") from None
    parser = configparser.RawConfigParser(strict=True)
    try:
        parser.read_string(text, source=path)
    except configparser.MissingSectionHeaderError as exc:
        problem = "a setting appears before any [section] header"
        raise CredentialsFileError(path, exc.lineno, problem) from None
    except configparser.DuplicateSectionError as exc:
        problem = f"section [{exc.section}] appears more than once"
        raise CredentialsFileError(path, exc.lineno, problem) from None
    except configparser.DuplicateOptionError as exc:
        problem = f"setting {exc.option!r} appears more than once in [{exc.section}]"
        raise CredentialsFileError(path, exc.lineno, problem) from None
    except configparser.ParsingError as exc:
        bad_line: int | None = exc.errors[0][0] if exc.errors else None
        raise CredentialsFileError(
            path, bad_line, "expected 'name = value' or '[section]'"
        ) from None
    except configparser.Error as exc:  # pragma: no cover - every subclass is handled above
        raise CredentialsFileError(path, None, type(exc).__name__) from None
    sections = {name: dict(parser.items(name)) for name in parser.sections()}
    lines: dict[str, int] = {}
    for m in re.finditer(r"^[ \t]*\[([^\]\n]*)\]", text, re.M):
        lines.setdefault(m.group(1).strip(), _line_of(text, m.start()))
    return _Ini(path, sections, lines)


def _profile_section(config: _Ini | None, name: str) -> tuple[str, dict[str, str]] | None:
    if config is None:
        return None
    candidates = [f"profile {name}"] + (["default"] if name == "default" else [])
    for section in candidates:
        values = config.get(section)
        if values is not None:
            return section, values
    return None


def _static(values: dict[str, str], ini: _Ini, section: str) -> Credentials | None:
    key = values.get("aws_access_key_id", "").strip()
    secret = values.get("aws_secret_access_key", "").strip()
    if not key and not secret:
        return None
    if not key or not secret:
        have, missing = (
            ("aws_access_key_id", "aws_secret_access_key")
            if key
            else ("aws_secret_access_key", "aws_access_key_id")
        )
        raise CredentialsFileError(
            ini.path, ini.lines.get(section), f"[{section}] sets {have} but not {missing}"
        )
    token = (values.get("aws_session_token") or values.get("aws_security_token") or "").strip()
    try:
        return Credentials(key, secret, token or None)
    except ValueError as exc:
        raise CredentialsFileError(ini.path, ini.lines.get(section), str(exc)) from None


def _parse_expiration(text: str) -> datetime:
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


def _run_credential_process(command: str, profile: str) -> Credentials:
    """Run a ``credential_process`` command and read the credentials it prints."""
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise CredentialProcessError(
            f"credential_process of profile {profile!r} cannot be parsed: {exc}"
        ) from None
    if not argv:
        raise CredentialProcessError(f"credential_process of profile {profile!r} is empty")
    # Only the program is ever named in a message: its arguments may hold secrets.
    program = argv[0]
    what = f"credential_process {program!r} of profile {profile!r}"
    try:
        proc = subprocess.run(
            argv,
            capture_output=True,
            timeout=_PROCESS_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except OSError as exc:
        raise CredentialProcessError(f"{what} could not be started ({exc.strerror})") from None
    except subprocess.TimeoutExpired:
        raise CredentialProcessError(
            f"{what} did not finish within {_PROCESS_TIMEOUT:g} s"
        ) from None
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = f": {err[-1][:200]}" if err else ""
        raise CredentialProcessError(f"{what} exited with status {proc.returncode}{detail}")
    try:
        data = json.loads(proc.stdout)
    except (ValueError, UnicodeDecodeError):
        raise CredentialProcessError(f"{what} did not print a JSON object") from None
    if not isinstance(data, dict):
        raise CredentialProcessError(f"{what} did not print a JSON object")
    if data.get("Version") != 1:
        raise CredentialProcessError(f"{what} printed an unsupported Version (1 is required)")
    key, secret = data.get("AccessKeyId"), data.get("SecretAccessKey")
    if not isinstance(key, str) or not key or not isinstance(secret, str) or not secret:
        raise CredentialProcessError(f"{what} did not print AccessKeyId and SecretAccessKey")
    token = data.get("SessionToken")
    if token is not None and not isinstance(token, str):
        raise CredentialProcessError(f"{what} printed a SessionToken that is not a string")
    expiration: datetime | None = None
    if data.get("Expiration") is not None:
        raw = data["Expiration"]
        try:
            if not isinstance(raw, str):
                raise ValueError
            expiration = _parse_expiration(raw)
        except ValueError:
            raise CredentialProcessError(
                f"{what} printed an Expiration that is not an ISO 8601 time"
            ) from None
        if expiration <= datetime.now(timezone.utc):
            raise CredentialProcessError(
                f"{what} returned credentials that expired at {expiration.isoformat()}"
            )
    try:
        return Credentials(key, secret, token or None, expiration)
    except ValueError as exc:
        raise CredentialProcessError(f"{what}: {exc}") from None


def resolve_credentials(profile: str | None = None) -> Credentials:
    """Find credentials as the AWS CLI does; see the module docstring for the order.

    A *profile* given here skips the environment variables (an explicit
    choice wins).  Raises :class:`CredentialsNotFound` (listing where it
    looked), :class:`ProfileNotFound`, :class:`CredentialsFileError` (file
    and line) or :class:`CredentialProcessError`.

    >>> import os
    >>> os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"] = "AKID", "secret"
    >>> resolve_credentials()
    Credentials(access_key='…AKID', secret_key=<hidden>, session_token=None)
    """
    searched: list[str] = []
    if profile is None:
        key = os.environ.get("AWS_ACCESS_KEY_ID", "")
        secret = os.environ.get("AWS_SECRET_ACCESS_KEY", "")
        if key and secret:
            token = os.environ.get("AWS_SESSION_TOKEN") or os.environ.get("AWS_SECURITY_TOKEN")
            log.debug("credentials from the environment")
            return Credentials(key, secret, token or None)
        searched.append("environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
        named = os.environ.get("AWS_PROFILE") or os.environ.get("AWS_DEFAULT_PROFILE")
    else:
        named = profile
    name = named or "default"

    cred_path, conf_path = _credentials_path(), _config_path()
    cred_ini, conf_ini = _read_ini(cred_path), _read_ini(conf_path)
    cred_values = cred_ini.get(name) if cred_ini is not None else None
    conf_found = _profile_section(conf_ini, name)

    if cred_values is not None and cred_ini is not None:
        found = _static(cred_values, cred_ini, name)
        if found is not None:
            log.debug("credentials from %s [%s]", cred_path, name)
            return found
    command = (cred_values or {}).get("credential_process") or (
        conf_found[1].get("credential_process") if conf_found else None
    )
    if command:
        log.debug("credentials from the credential_process of profile %r", name)
        return _run_credential_process(command, name)
    if conf_found is not None and conf_ini is not None:
        found = _static(conf_found[1], conf_ini, conf_found[0])
        if found is not None:
            log.debug("credentials from %s [%s]", conf_path, conf_found[0])
            return found

    def state(ini: _Ini | None, present: bool) -> str:
        if ini is None:
            return "no such file"
        return "no keys or credential_process" if present else "no such profile"

    searched.append(f"{cred_path} [{name}] ({state(cred_ini, cred_values is not None)})")
    section = conf_found[0] if conf_found else f"profile {name}"
    searched.append(f"{conf_path} [{section}] ({state(conf_ini, conf_found is not None)})")
    if named and cred_values is None and conf_found is None:
        raise ProfileNotFound(name, searched)
    raise CredentialsNotFound(searched)


def resolve_region(profile: str | None = None) -> str | None:
    """The region: ``AWS_REGION``, ``AWS_DEFAULT_REGION``, then the profile's ``region``.

    Returns None when none is set.  A malformed config file raises
    :class:`CredentialsFileError`.

    >>> import os
    >>> os.environ["AWS_REGION"] = "eu-west-1"
    >>> resolve_region()
    'eu-west-1'
    """
    for var in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        value = os.environ.get(var, "").strip()
        if value:
            return value
    name = profile or os.environ.get("AWS_PROFILE") or os.environ.get("AWS_DEFAULT_PROFILE")
    found = _profile_section(_read_ini(_config_path()), name or "default")
    if found is not None:
        region = found[1].get("region", "").strip()
        if region:
            return region
    return None
