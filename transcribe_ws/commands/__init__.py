"""Subcommands of the ``transcribe-ws`` command line (see :mod:`transcribe_ws.cli`)."""
