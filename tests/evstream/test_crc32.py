"""crc32 equals zlib.crc32 for every input and start value, on every kernel this CPU has."""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st
from twins import load

SIZES = [*range(0, 300), 511, 512, 513, 1023, 1024, 1025, 3300, 4096 + 15, 65535, 65536, 70001]


@pytest.fixture(scope="module")
def compiled() -> ModuleType:
    return load("evstream", "cython")


def kernels(c: ModuleType) -> Iterator[str]:
    default = c.CRC32_KERNEL
    try:
        for name in c._crc32_kernels():
            c._use_crc32_kernel(name)
            yield name
    finally:
        c._use_crc32_kernel(default)


@given(st.binary(max_size=3000), st.integers(0, 2**32 - 1))
def test_equals_zlib(impl: ModuleType, data: bytes, value: int) -> None:
    assert impl.crc32(data, value) == zlib.crc32(data, value)


def test_every_kernel_at_every_size_and_alignment(compiled: ModuleType) -> None:
    blob = os.urandom(max(SIZES) + 64)
    names = list(kernels(compiled))
    assert "zlib" in names
    for name in kernels(compiled):
        for size in SIZES:
            for align in (0, 1, 7, 13):
                data = blob[align : align + size]
                for value in (0, 0xFFFFFFFF, size * 2654435761 % 2**32):
                    assert compiled.crc32(data, value) == zlib.crc32(data, value), (name, size)


def test_hardware_kernel_is_chosen_when_the_cpu_has_one(compiled: ModuleType) -> None:
    flags = ""
    if os.path.exists("/proc/cpuinfo"):
        with open("/proc/cpuinfo") as f:
            flags = f.read()
    if " pclmulqdq" in flags:
        assert compiled.CRC32_KERNEL in ("pclmulqdq", "vpclmulqdq-avx512")
    if " vpclmulqdq" in flags and " avx512bw" in flags and " avx512vl" in flags:
        assert compiled.CRC32_KERNEL == "vpclmulqdq-avx512"


def test_start_value_is_masked_like_zlib(impl: ModuleType) -> None:
    assert impl.crc32(b"abc", -1) == zlib.crc32(b"abc", -1)
    assert impl.crc32(b"abc", 2**40 + 5) == zlib.crc32(b"abc", 2**40 + 5)
    assert impl.crc32(bytearray(b"abc")) == zlib.crc32(b"abc")
    assert impl.crc32(memoryview(b"a_b_c")[::2]) == zlib.crc32(b"abc")


def test_large_buffer_with_the_gil_released(impl: ModuleType) -> None:
    data = os.urandom(3 * 2**20 + 3)
    assert impl.crc32(data) == zlib.crc32(data)


def test_misuse(impl: ModuleType) -> None:
    with pytest.raises(TypeError, match="data must be a bytes-like object, not str"):
        impl.crc32("abc")
    with pytest.raises(TypeError, match="value must be an int, not float"):
        impl.crc32(b"abc", 1.0)
