"""``python -m evstream``: see :mod:`evstream._dump`."""

from ._dump import main

raise SystemExit(main())
