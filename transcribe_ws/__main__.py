"""``python -m transcribe_ws``: the command line."""

from .cli import main

raise SystemExit(main())
