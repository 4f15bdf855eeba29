"""Suite-wide pytest configuration."""

from __future__ import annotations

import os
import sys

from hypothesis import HealthCheck, settings

# Make ``tests/twins.py`` importable as ``twins`` from every test package.
sys.path.insert(0, os.path.dirname(__file__))

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=200
)
settings.register_profile(
    "thorough", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=2000
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
