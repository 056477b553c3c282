"""The ``handbook`` command line: every subcommand from one registry (``COMMANDS``).

``main(argv) -> int`` never lets a traceback reach the user for bad input: data problems
are printed with ``file:line:col`` and the exit status says what happened (0 fine, 1
errors in the data, 2 bad usage). In the folder ``handbook new`` makes, every command
works without arguments (see :mod:`handbook.cli.sphinx_run`).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys

from handbook import __version__
from handbook.cli import audit, build, check, exchange, new, records, release, serve
from handbook.cli.registry import Command

#: every subcommand, in the order ``handbook --help`` lists them
COMMANDS: tuple[Command, ...] = (
    *check.COMMANDS[:1],
    new.COMMAND,
    *check.COMMANDS[1:],
    build.HTML,
    *audit.COMMANDS,
    *release.COMMANDS,
    *records.COMMANDS,
    serve.COMMAND,
    build.PDF,
    *exchange.COMMANDS,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="handbook",
        description="Check a company handbook's YAML data and help build it with Sphinx.",
    )
    parser.add_argument("--version", action="version", version=f"handbook {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        p = sub.add_parser(command.name, help=command.help, description=command.description)
        command.arguments(p)
        p.set_defaults(func=command.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # e.g. `handbook check | head`: stop quietly
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stays open until the process ends
        return 1
    except OSError as exc:  # a busy port, a folder we may not write to, a full disk …
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        print(f"handbook {args.command}: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
