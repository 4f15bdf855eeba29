"""Build script: cythonizes every ``*_c.pyx`` beside its pure-Python twin.

The compiled extensions are optional: when compiling fails (no C compiler, no
Cython) the package installs as pure Python and prints one warning.  Setting
``TRANSCRIBE_WS_REQUIRE_EXTENSIONS=1`` turns that failure into an error.

Per-extension C sources and flags live in the ``.pyx`` itself, as Cython
``# distutils:`` directives.  Never ``-march=native``: SIMD kernels select
their instruction set at run time.
"""

from __future__ import annotations

import glob
import os
import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext

REQUIRE = os.environ.get("TRANSCRIBE_WS_REQUIRE_EXTENSIONS", "") not in ("", "0")
PYX = sorted(glob.glob(os.path.join("*", "_*_c.pyx")))


def _warn(reason: str) -> None:
    sys.stderr.write(
        "\nWARNING: transcribe-ws is being installed WITHOUT its compiled extensions "
        f"({reason}).\nEverything works in pure Python, only slower. Install a C compiler "
        "and reinstall to get the fast path.\n\n"
    )


class OptionalBuildExt(build_ext):
    """build_ext that degrades to pure Python unless extensions are required."""

    _warned = False

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # compiler missing, Cython failure, linker error
            self._fail(exc)

    def build_extension(self, ext) -> None:  # type: ignore[no-untyped-def]
        try:
            super().build_extension(ext)
        except Exception as exc:
            self._fail(exc)

    def _fail(self, exc: BaseException) -> None:
        if REQUIRE:
            raise RuntimeError(
                "TRANSCRIBE_WS_REQUIRE_EXTENSIONS is set and a compiled extension failed "
                f"to build: {exc}"
            ) from exc
        if not OptionalBuildExt._warned:
            OptionalBuildExt._warned = True
            _warn(f"{type(exc).__name__}: {exc}")


def _extensions() -> list:  # type: ignore[type-arg]
    try:
        import numpy
        from Cython.Build import cythonize
    except ImportError as exc:
        if REQUIRE:
            raise
        _warn(f"cannot import Cython or numpy: {exc}")
        return []
    try:
        return cythonize(
            PYX,
            language_level=3,
            compiler_directives={"embedsignature": True},
            include_path=[numpy.get_include()],
            quiet=True,
        )
    except Exception as exc:
        if REQUIRE:
            raise
        _warn(f"cythonize failed: {exc}")
        return []


exts = _extensions()
try:
    import numpy

    for _ext in exts:
        _ext.include_dirs.append(numpy.get_include())
        _ext.define_macros.append(("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION"))
except ImportError:
    pass

setup(ext_modules=exts, cmdclass={"build_ext": OptionalBuildExt})
