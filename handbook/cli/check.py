"""``handbook check`` and ``handbook codes``: the data's problems, and what each code means.

Exit status: 0 no errors, 1 errors (or warnings with ``--strict``), 2 bad usage.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
from pathlib import Path

from handbook.audit.org_health import Limits, findings
from handbook.audit.release import approval_state
from handbook.cli.output import print_problems
from handbook.cli.registry import Command
from handbook.cli.sphinx_run import ConfUnreadable, ProjectError, conf_setting, conf_values, find_project
from handbook.problems import Code, codes_table_markdown, sort_problems
from handbook.status import table
from handbook.validate import check_dir

#: the example's data folder, checked when no project is found
DEFAULT_DATA_DIR = "source/org"


def summary(result) -> str:
    """``12 files: 9 departments, 40 roles, … vacant 3`` (empty when the data has errors)."""
    if result.handbook is None:
        return ""
    hb = result.handbook
    return (
        f"{len(result.files)} files: {len(hb.departments)} departments, {len(hb.roles)} roles, "
        f"{len(hb.people)} people, {len(hb.processes)} processes; "
        f"headcount {hb.company_staffing.headcount}"
        + (f" (+{hb.company_staffing.open} open)" if hb.company_staffing.open else "")
        + f", filled {hb.company_staffing.filled}, "
        f"vacant {hb.company_staffing.vacant}"
    )


def data_dir_for(arg: str | None) -> str:
    """What `handbook check` checks: a data folder; a project folder (its conf.py's data
    folder); by default the working folder's project, else source/org."""
    if arg is not None and not (Path(arg) / "conf.py").is_file():
        return arg
    try:
        project = find_project(arg)
    except ProjectError:
        return DEFAULT_DATA_DIR
    return os.path.relpath(project.data_dir) if arg is None else str(project.data_dir)


def _date_arg(text: str):
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{text}` is not a date: write YYYY-MM-DD") from None


def conf_for(data_dir: str) -> Path | None:
    """The conf.py folder whose ``handbook_data_dir`` is this data folder (it or up to three
    folders above it: ``handbook new``'s layout and the example's)."""
    target = Path(data_dir).resolve()
    for up in list(target.parents)[:3]:
        conf = up / "conf.py"
        if conf.is_file() and (up / conf_setting(conf, "handbook_data_dir", "org")).resolve() == target:
            return up
    return None


_CONF_NAMES = ("handbook_today", "handbook_document_statuses", "handbook_org_health")
_RECORD_SETTINGS = (
    "handbook_baseline",
    "handbook_acknowledgement_days",
    "handbook_recall_days",
    "handbook_receipt_days",
)


def _conf_settings(folder: Path | None) -> tuple[object, object, object] | None:
    """``(today, statuses, org-health limits)`` from ``folder/conf.py`` (handbook_today,
    handbook_document_statuses, handbook_org_health), read without running it (plain values,
    as conf.py usually holds them)."""
    if folder is None:
        return None, None, None
    path = folder / "conf.py"
    if not path.is_file():
        print(f"handbook check: {path} does not exist", file=sys.stderr)
        return None
    try:
        values, not_plain = conf_values(path, _CONF_NAMES)
    except ConfUnreadable as exc:
        print(f"handbook check: {path}: {exc}", file=sys.stderr)
        return None
    for name in not_plain:
        print(f"{path}: {name} is not a plain value; `handbook check` uses the built-in one", file=sys.stderr)
    statuses, problems = table(values.get("handbook_document_statuses") or {})  # type: ignore[arg-type]
    for problem in problems:
        print(f"{path}: handbook_document_statuses: {problem}", file=sys.stderr)
    today = values.get("handbook_today") or None
    try:
        today = dt.date.fromisoformat(today) if today else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        print(f"{path}: handbook_today = {today!r} is not a date (YYYY-MM-DD); using today", file=sys.stderr)
        today = None
    limits = None
    if values.get("handbook_org_health") is not None:
        try:
            limits = Limits.from_setting(values["handbook_org_health"])  # type: ignore[arg-type]
        except (ValueError, AttributeError) as exc:
            print(f"{path}: handbook_org_health: {exc}", file=sys.stderr)
            return None
    return today, statuses, limits


def project_language(folder: Path | None) -> str:
    """The language problems are said in: ``language`` of the project's conf.py, else the locale's."""
    from handbook.problem_words import message_language

    conf = folder / "conf.py" if folder is not None else None
    return message_language(conf_setting(conf, "language", "") if conf is not None and conf.is_file() else None)


def _record_problems(hb, data_dir: str, confdir: Path | None, today: dt.date) -> list:
    """The warnings about acknowledgements, recalled copies and receipts (``audit.record_checks``),
    against the project's ``handbook_baseline`` (the previous release) when conf.py names one."""
    from handbook.audit import record_checks
    from handbook.audit.datasets import DatasetError, load

    values: dict[str, object] = {}
    conf = confdir / "conf.py" if confdir is not None else None
    if conf is not None and conf.is_file():
        with contextlib.suppress(ConfUnreadable):  # reported by _conf_settings
            values = conf_values(conf, _RECORD_SETTINGS)[0]
    previous = None
    if isinstance(spec := values.get("handbook_baseline"), str) and spec and confdir is not None:
        try:
            previous = load(spec, Path(data_dir), confdir).handbook
        except DatasetError as exc:
            print(f"handbook check: handbook_baseline = {spec!r}: {exc}", file=sys.stderr)

    def days(name: str) -> int | None:
        value = values.get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None

    limits = record_checks.Days(
        days("handbook_acknowledgement_days"), days("handbook_recall_days"), days("handbook_receipt_days")
    )
    return record_checks.problems(hb, previous, today, limits)


def cmd_check(args) -> int:
    data_dir = data_dir_for(args.data_dir)
    conf_dir = Path(args.conf) if args.conf else conf_for(data_dir)
    conf = _conf_settings(conf_dir)
    if conf is None:
        return 2
    conf_today, statuses, limits = conf
    today = args.today or conf_today or dt.date.today()
    result = check_dir(data_dir, today=today, statuses=statuses)  # type: ignore[arg-type]
    if result.handbook is not None and isinstance(limits, Limits):
        result.problems = sort_problems([*result.problems, *findings(result.handbook, limits)])
    if result.handbook is not None:  # changed since its revision was released?
        result.handbook, approval, _changes = approval_state(result.handbook, data_dir, statuses=statuses)
        confdir = Path(args.conf) if args.conf else conf_for(data_dir)
        records = _record_problems(result.handbook, data_dir, confdir, today)
        result.problems = sort_problems([*result.problems, *approval, *records])
    if args.format == "json":
        payload = {
            "ok": result.ok,
            "errors": len(result.errors),
            "warnings": len(result.warnings),
            "problems": [p.as_dict() for p in result.problems],
        }
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print_problems(result.problems, sys.stdout, args.quiet, summary(result), project_language(conf_dir))
    if result.errors or (args.strict and result.warnings):
        return 1
    return 0


def data_dir_argument(p: argparse.ArgumentParser) -> None:
    """The optional DATA_DIR of the commands that read the data."""
    p.add_argument(
        "data_dir",
        nargs="?",
        default=None,
        metavar="DATA_DIR",
        help="folder of YAML files, or a project folder (default: the data folder of the conf.py "
        f"in the working folder, else {DEFAULT_DATA_DIR})",
    )


def check_arguments(p: argparse.ArgumentParser) -> None:
    data_dir_argument(p)
    p.add_argument("--format", choices=("human", "json"), default="human", help="output format")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.add_argument(
        "--today",
        type=_date_arg,
        default=None,
        metavar="YYYY-MM-DD",
        help="check the review date (review_due) against this date (default: handbook_today of conf.py, else today)",
    )
    p.add_argument(
        "--conf",
        default=None,
        metavar="DIR",
        help="read handbook_document_statuses and handbook_today from DIR/conf.py (default: the "
        "conf.py whose handbook_data_dir is the data folder, found beside it or above it)",
    )


def cmd_codes(args) -> int:
    if args.format == "markdown":
        sys.stdout.write(codes_table_markdown())
    else:
        for code in Code:
            print(f"{code.value:26} {code.severity.value:8} {code.__doc__}")  # type: ignore[attr-defined]
    return 0


def codes_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("text", "markdown"), default="text")


COMMANDS = (
    Command(
        "check",
        "check the data and print every problem",
        "Check the handbook data and print every problem with file:line:col. "
        "Exit status 1 if there are errors, 0 otherwise.",
        check_arguments,
        cmd_check,
    ),
    Command(
        "codes",
        "list the problem codes",
        "List every problem code with its severity and meaning.",
        codes_arguments,
        cmd_codes,
    ),
)
