"""Installing without a C compiler gives a working pure-Python package, unless extensions
are required, in which case the install fails loudly."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD_PRODUCTS = shutil.ignore_patterns(
    ".venv*", ".git", "build", "dist", "*.so", "*_c.c", "*.egg-info", "__pycache__", ".*cache"
)


def pip_install(src: Path, target: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "TRANSCRIBE_WS_REQUIRE_EXTENSIONS"}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "pip", "install", "-v", "--no-build-isolation", "--no-deps",
         "--no-cache-dir", "--target", str(target), str(src)],
        env=full_env, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("pkg")
    shutil.copytree(ROOT, work / "src", ignore=BUILD_PRODUCTS)
    return work


def test_install_without_compiler_is_pure_python_and_passes(source: Path) -> None:
    site = source / "site"
    proc = pip_install(source / "src", site, CC="false", CXX="false")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (proc.stdout + proc.stderr).count("WITHOUT its compiled extensions") == 1
    assert not list(site.glob("**/*.so"))
    # `python -S` with the test environment's packages on PYTHONPATH: no .pth files run, so
    # an editable install of the working tree cannot shadow the pure-Python install.
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRANSCRIBE_WS_")}
    paths = sysconfig.get_paths()
    env["PYTHONPATH"] = os.pathsep.join([str(site), paths["purelib"], paths["platlib"]])
    code = "import evstream; print(evstream.IMPLEMENTATION, evstream.__file__)"
    probe = subprocess.run(
        [sys.executable, "-S", "-c", code],
        cwd=source, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    implementation, where = probe.stdout.split()
    assert implementation == "python"
    assert where.startswith(str(site))
    # The evstream suite, run against the installed pure-Python package.
    tests = source / "tests"
    shutil.copytree(ROOT / "tests", tests, ignore=BUILD_PRODUCTS)
    run = subprocess.run(
        [sys.executable, "-S", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/evstream",
         # that one cross-compiles the C source tree, which a pure-Python install lacks
         "--ignore=tests/evstream/test_crc32_aarch64.py"],
        cwd=source, env=env, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:]
    assert " passed" in run.stdout


def test_required_extensions_make_a_failed_compile_an_error(source: Path) -> None:
    proc = pip_install(
        source / "src", source / "site-required", CC="false", CXX="false",
        TRANSCRIBE_WS_REQUIRE_EXTENSIONS="1",
    )  # fmt: skip
    assert proc.returncode != 0
    assert "TRANSCRIBE_WS_REQUIRE_EXTENSIONS is set" in proc.stderr + proc.stdout
