"""The CRC32 dispatcher on aarch64: cross-compiled, run under qemu user-mode emulation.

The hardware path there is the ARMv8 CRC32 instructions; this checks that the C
file compiles for aarch64 without warnings, that the dispatcher picks that
kernel on a CPU that has it, and that it equals a bitwise CRC-32.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CC = "aarch64-linux-gnu-gcc"
QEMU = "qemu-aarch64"


def test_aarch64_kernel(tmp_path: Path) -> None:
    missing = [tool for tool in (CC, QEMU) if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not installed (.ci/run installs them)")
    exe = tmp_path / "crc32_harness"
    build = subprocess.run(
        [CC, "-O2", "-Wall", "-Wextra", "-Werror", "-static", f"-I{ROOT / 'evstream'}",
         str(Path(__file__).with_name("crc32_harness.c")), str(ROOT / "evstream" / "_crc32.c"),
         "-o", str(exe)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    run = subprocess.run([QEMU, str(exe)], capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.split() == ["armv8-crc32", "ok"]
