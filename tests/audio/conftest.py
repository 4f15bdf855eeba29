"""Both audio twins (``impl``), and a fixture that restores the compiled kernel choice."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pytest
from twins import impl_fixture, load

impl = impl_fixture("audio")


@pytest.fixture
def compiled() -> Iterator[ModuleType]:
    """The compiled twin; its kernel selection is reset to the best afterwards."""
    mod = load("audio", "cython")
    yield mod
    mod._select_kernel(None)
