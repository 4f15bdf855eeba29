"""Both codec twins, as the ``impl`` fixture."""

from __future__ import annotations

from twins import impl_fixture

impl = impl_fixture("evstream")
