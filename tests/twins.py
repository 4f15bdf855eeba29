"""Shared machinery for testing a compiled module against its pure-Python twin.

Every accelerated package has three files: ``_name_c.pyx`` (Cython),
``_name_py.py`` (the reference) and a chooser.  A test module asks for both
implementations through :func:`impl_fixture`; :func:`assert_twins_agree`
checks that the two return equal results or raise the same exception class.

Register a new twin pair in :data:`TWINS`; ``tests/test_extensions.py`` then
fails whenever ``TRANSCRIBE_WS_REQUIRE_EXTENSIONS=1`` and the compiled module
did not load, so a silent fallback never passes CI.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

__all__ = [
    "REQUIRE_EXTENSIONS",
    "TWINS",
    "Outcome",
    "assert_twins_agree",
    "impl_fixture",
    "load",
    "outcome",
]

#: package name -> (compiled module, pure-Python module)
TWINS: dict[str, tuple[str, str]] = {
    "evstream": ("evstream._codec_c", "evstream._codec_py"),
    "audio": ("audio._resample_c", "audio._resample_py"),
}

REQUIRE_EXTENSIONS = os.environ.get("TRANSCRIBE_WS_REQUIRE_EXTENSIONS", "") not in ("", "0")


def load(package: str, which: str) -> ModuleType:
    """Import one twin of *package*: *which* is ``"cython"`` or ``"python"``.

    The compiled twin is skipped when it cannot be imported, unless extensions
    are required, in which case the test fails.
    """
    c_name, py_name = TWINS[package]
    if which == "python":
        return importlib.import_module(py_name)
    try:
        return importlib.import_module(c_name)
    except ImportError as exc:
        if REQUIRE_EXTENSIONS:
            pytest.fail(f"compiled module {c_name} expected but did not load: {exc}")
        pytest.skip(f"compiled module {c_name} not built: {exc}")


def impl_fixture(package: str) -> Any:
    """Return a module-level pytest fixture named ``impl`` giving each twin.

    Usage in a test package's ``conftest.py``::

        impl = impl_fixture("evstream")
    """

    @pytest.fixture(
        scope="module", params=["cython", "python"], ids=["cython", "python"], name="impl"
    )
    def _impl(request: pytest.FixtureRequest) -> ModuleType:
        return load(package, request.param)

    return _impl


class Outcome:
    """What a call did: returned a value or raised an exception of some class."""

    __slots__ = ("exc_type", "message", "value")

    def __init__(self, value: Any = None, exc: BaseException | None = None) -> None:
        self.value = value
        self.exc_type = type(exc) if exc is not None else None
        self.message = str(exc) if exc is not None else None

    def __repr__(self) -> str:
        if self.exc_type is not None:
            return f"<raised {self.exc_type.__name__}: {self.message}>"
        return f"<returned {self.value!r}>"


def outcome(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Outcome:
    """Call *fn* and capture its return value or the exception it raised."""
    try:
        return Outcome(value=fn(*args, **kwargs))
    except Exception as exc:
        return Outcome(exc=exc)


def assert_twins_agree(
    c_fn: Callable[..., Any],
    py_fn: Callable[..., Any],
    *args: Any,
    normalize: Callable[[Any], Any] = lambda v: v,
    compare: Callable[[Any, Any], bool] | None = None,
    **kwargs: Any,
) -> Outcome:
    """Assert that both twins return equal results or raise the same exception class.

    *normalize* maps a result to something comparable with ``==`` (for example
    a numpy array to a list); *compare* replaces ``==`` entirely (for results
    allowed to differ within a tolerance).  Returns the reference's outcome.
    """
    c = outcome(c_fn, *args, **kwargs)
    p = outcome(py_fn, *args, **kwargs)
    assert c.exc_type is p.exc_type, f"twins disagree: cython {c!r}, python {p!r}"
    if p.exc_type is None:
        cv, pv = normalize(c.value), normalize(p.value)
        same = compare(cv, pv) if compare is not None else cv == pv
        assert same, f"twins return different results: cython {cv!r}, python {pv!r}"
    return p
