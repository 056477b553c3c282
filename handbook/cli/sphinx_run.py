"""Running Sphinx for the ``handbook`` command: ``handbook html`` and ``handbook pdf``.

The commands work in the folder ``handbook new`` makes, with no arguments: the project
is the folder holding ``conf.py`` (the working folder, or the one given), its data folder
is its ``handbook_data_dir``, the output goes to ``_build/<format>`` inside it. The
example handbook's layout (``conf.py`` beside a ``source/`` folder) is found too.

A build that cannot start — no such folder, no ``conf.py``, an error in ``conf.py``, a
package that is not installed — is one line on stderr and exit status 2, never Sphinx's
crash report ("please open an issue at sphinx-doc", meant for Sphinx's own bugs). Data
errors stop the build with the problems and one closing line (exit status 1), as in
:mod:`handbook.errors`.
"""

from __future__ import annotations

import ast
import os
import sys
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

#: the root documents Sphinx looks for, to tell a source folder from a folder holding only conf.py
_ROOT_DOCS = ("index.md", "index.rst", "index.txt")


class ProjectError(Exception):
    """The project cannot be found or built as asked: a one-line message for the user."""


@dataclass(frozen=True)
class Project:
    """A handbook project: where conf.py is, and the source folder (usually the same)."""

    confdir: Path
    srcdir: Path

    @property
    def data_dir(self) -> Path:
        """The organisation data: ``handbook_data_dir`` of conf.py, relative to it."""
        return self.confdir / conf_setting(self.confdir / "conf.py", "handbook_data_dir", "org")

    def out(self, fmt: str) -> Path:
        return self.confdir / "_build" / fmt


def find_project(folder: str | os.PathLike[str] | None = None, command: str = "html") -> Project:
    """The project in ``folder`` (default: the working folder), by its conf.py."""
    base = Path(folder) if folder is not None else Path.cwd()
    shown = display(base)
    if not base.exists():
        raise ProjectError(f"{shown} does not exist")
    if not base.is_dir():
        raise ProjectError(f"{shown} is not a folder")
    if not (base / "conf.py").is_file():
        if folder is None:
            raise ProjectError(
                f"there is no conf.py in the working folder: run this in the folder `handbook new` "
                f"made, or name that folder (e.g. `handbook {command} my-handbook`)"
            )
        raise ProjectError(f"{shown} has no conf.py: name the folder `handbook new` made")
    srcdir = base
    if not any((base / d).is_file() for d in _ROOT_DOCS) and any((base / "source" / d).is_file() for d in _ROOT_DOCS):
        srcdir = base / "source"  # the example's layout: conf.py beside source/
    return Project(base, srcdir)


class ConfUnreadable(Exception):
    """conf.py cannot be read or parsed (the message says why)."""


def conf_values(conf: Path, names: Collection[str]) -> tuple[dict[str, object], list[str]]:
    """The settings ``names`` written as plain values in conf.py (``name = <literal>``), read
    without running the file, and the names assigned something else (an expression).
    Raises :class:`ConfUnreadable` when the file cannot be read or parsed."""
    try:
        tree = ast.parse(conf.read_text(encoding="utf-8"), str(conf))
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError) as exc:
        raise ConfUnreadable(str(exc)) from None
    values: dict[str, object] = {}
    not_plain: list[str] = []
    for node in tree.body:
        if not isinstance(node, ast.Assign):
            continue
        for t in node.targets:
            if isinstance(t, ast.Name) and t.id in names:
                try:
                    values[t.id] = ast.literal_eval(node.value)
                except ValueError:
                    not_plain.append(t.id)
    return values, not_plain


def conf_setting(conf: Path, name: str, default: str) -> str:
    """A string setting written plainly in conf.py (``name = "value"``), without running the file."""
    try:
        value = conf_values(conf, (name,))[0].get(name, default)
    except ConfUnreadable:
        return default  # the build reports a broken conf.py; the check still tries the default
    return value if isinstance(value, str) else default


def display(path: Path) -> str:
    from handbook.problems import display_path

    return display_path(path)


@dataclass
class BuildOptions:
    """What ``handbook html`` and ``handbook pdf`` pass on to Sphinx (as sphinx-build's flags)."""

    warnings_are_errors: bool = False
    keep_going: bool = False
    fresh_env: bool = False
    quiet: bool = False
    verbose: int = 0
    define: tuple[str, ...] = ()
    jobs: str | None = None


def add_build_options(p) -> None:
    """sphinx-build's everyday flags, for an argparse subcommand."""
    p.add_argument("-W", dest="warnings_are_errors", action="store_true", help="turn warnings into errors")
    p.add_argument("--keep-going", action="store_true", help="with -W: report every warning, then fail")
    p.add_argument("-E", "--fresh-env", action="store_true", help="read every page again")
    p.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    p.add_argument("-v", "--verbose", action="count", default=0)
    p.add_argument("-D", "--define", action="append", metavar="SETTING=VALUE", help="override a conf.py setting")
    p.add_argument("-j", "--jobs", default=None, help="parallel reading (as sphinx-build -j)")


def options_from(args) -> BuildOptions:
    return BuildOptions(
        getattr(args, "warnings_are_errors", False) or getattr(args, "W", False),
        args.keep_going,
        args.fresh_env,
        args.quiet,
        args.verbose,
        tuple(args.define or ()),
        args.jobs,
    )


def run_sphinx(
    builder: str, srcdir: Path, confdir: Path, outdir: Path, doctreedir: Path, options: BuildOptions, command: str
) -> int:
    """Build with Sphinx in this process; every failure to start is one line on stderr."""
    import sphinx
    from sphinx.application import Sphinx
    from sphinx.util.console import color_terminal, nocolor
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    from handbook.errors import HandbookExit

    if not srcdir.is_dir():
        return _fail(command, f"the source folder {display(srcdir)} does not exist")
    if not (confdir / "conf.py").is_file():
        return _fail(command, f"{display(confdir)} has no conf.py")
    overrides: dict[str, str] = {}
    for item in options.define:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            return _fail(command, f"-D {item}: write -D setting=value")
        overrides[key.strip()] = value
    jobs = 0
    if options.jobs:
        if options.jobs == "auto":
            jobs = os.cpu_count() or 1
        elif options.jobs.isdigit():
            jobs = int(options.jobs)
        else:
            return _fail(command, f"-j {options.jobs}: give a number of processes or `auto`")
    if not color_terminal():
        nocolor()
    extra = {}
    if sphinx.version_info[:2] < (8, 1):  # from 8.1 on, -W keeps going by itself
        extra["keep_going"] = options.keep_going
    app = None
    try:
        with patch_docutils(str(confdir)), docutils_namespace():
            app = Sphinx(
                str(srcdir),
                str(confdir),
                str(outdir),
                str(doctreedir),
                builder,
                confoverrides=overrides,
                status=None if options.quiet else sys.stdout,
                warning=sys.stderr,
                freshenv=options.fresh_env,
                warningiserror=options.warnings_are_errors,
                verbosity=options.verbose,
                parallel=jobs,
                **extra,
            )
            app.build()
            return app.statuscode
    except HandbookExit as exc:  # data errors: the problems are listed above
        print(exc.code, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if options.verbose:
            raise
        return _fail(command, describe_failure(exc), status=2 if app is None else 1)


def describe_failure(exc: BaseException) -> str:
    """One line for an exception from Sphinx or from conf.py."""
    from sphinx.errors import ConfigError, ExtensionError

    text = str(exc).strip()
    if isinstance(exc, ExtensionError):
        missing = isinstance(exc.orig_exc, ImportError)
        return "conf.py: " + " ".join(text.split()) + ("; is the package installed?" if missing else "")
    if isinstance(exc, ConfigError):
        # "There is a syntax error in your configuration file: invalid syntax (conf.py, line 3)", or a
        # "programmable error" with the traceback of conf.py in the text: its last line says what
        return "conf.py: " + (_last_line(text) if "Traceback" in text else " ".join(text.split()))
    if isinstance(exc, ImportError):
        return f"a package is missing: {exc}"
    name = type(exc).__name__
    return (
        f"{' '.join(text.split())}" if "sphinx.errors" in type(exc).__module__ else f"{name}: {text}"
    ) + " (run with -v for the traceback)"


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else text


def _fail(command: str, message: str, status: int = 2) -> int:
    print(f"handbook {command}: {message}", file=sys.stderr)
    return status


def build_project(
    builder: str, fmt: str, project_arg: str | None, options: BuildOptions, command: str, out: str | None = None
) -> tuple[int, Path | None]:
    """``handbook html|pdf [PROJECT]``: build into PROJECT/_build/<fmt> (or ``out``)."""
    try:
        project = find_project(project_arg, command)
    except ProjectError as exc:
        return _fail(command, str(exc)), None
    outdir = Path(out) if out else project.out(fmt)
    doctrees = project.confdir / "_build" / "doctrees" / fmt
    return run_sphinx(builder, project.srcdir, project.confdir, outdir, doctrees, options, command), outdir
