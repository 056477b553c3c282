"""One declaration per subcommand of ``handbook``: its name, help, arguments and what it runs.

Each command module declares its :class:`Command` values; :mod:`handbook.cli.parser`
lists them all in ``COMMANDS`` (the one registry) and builds the argument parser from it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    """A subcommand: ``handbook NAME …``."""

    name: str
    help: str  # one line, in ``handbook --help``
    description: str  # the paragraph of ``handbook NAME --help``
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]  # the exit status
