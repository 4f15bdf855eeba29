"""The compiled twins really load when they are required (no silent fallback)."""

from __future__ import annotations

import importlib

import pytest
from twins import REQUIRE_EXTENSIONS, TWINS


@pytest.mark.parametrize("package", sorted(TWINS))
def test_compiled_module_loaded_when_required(package: str) -> None:
    c_name, _ = TWINS[package]
    pkg = importlib.import_module(package)
    if not REQUIRE_EXTENSIONS:
        pytest.skip("TRANSCRIBE_WS_REQUIRE_EXTENSIONS is not set")
    assert importlib.import_module(c_name) is not None
    assert pkg.IMPLEMENTATION == "cython", f"{package} fell back to {pkg.IMPLEMENTATION}"


@pytest.mark.parametrize("package", sorted(TWINS))
def test_pure_python_switch(package: str) -> None:
    """TRANSCRIBE_WS_PURE_PYTHON=1 selects the reference twin in a fresh interpreter."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, TRANSCRIBE_WS_PURE_PYTHON="1")
    out = subprocess.run(
        [sys.executable, "-c", f"import {package}; print({package}.IMPLEMENTATION)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "python"
