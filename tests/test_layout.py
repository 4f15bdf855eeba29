"""The test tree's layout: module names must be unique across folders.

Test folders have no ``__init__.py``, so pytest imports every test and helper module
by its bare name; two files with the same name in different folders break collection.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).parent


def test_module_names_are_unique() -> None:
    names = Counter(p.name for p in TESTS.rglob("*.py") if p.name != "conftest.py")
    assert [n for n, count in names.items() if count > 1] == []
