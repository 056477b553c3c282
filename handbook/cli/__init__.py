"""The ``handbook`` command: every subcommand, registered in one table."""

from handbook.cli.parser import main

__all__ = ["main"]
