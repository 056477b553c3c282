"""``handbook diff`` and ``handbook clauses``: what changed between revisions, the clause list."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from handbook.cli.check import DEFAULT_DATA_DIR, data_dir_for
from handbook.cli.registry import Command
from handbook.cli.sphinx_run import ProjectError, conf_setting, find_project


def cmd_diff(args) -> int:
    """Compare two data sets: exit 0 when they are the same, 1 when they differ, 2 on trouble."""
    from handbook.audit import change_report as report
    from handbook.audit.compare import compare
    from handbook.audit.datasets import DatasetError, load, load_folder

    data_dir = Path(data_dir_for(args.data_dir))
    old_spec, base = args.old, None
    if old_spec is None:  # the project's own baseline (handbook_baseline in conf.py)
        try:
            project = find_project(None, "diff")
        except ProjectError:
            project = None
        old_spec = conf_setting(project.confdir / "conf.py", "handbook_baseline", "") if project else ""
        if not old_spec:
            print(
                "handbook diff: give OLD (a folder or a git revision), or set handbook_baseline in conf.py",
                file=sys.stderr,
            )
            return 2
        base = project.confdir if project else None
    try:
        old = load(old_spec, data_dir, base)
        new = load(args.new, data_dir) if args.new else load_folder(data_dir)
    except DatasetError as exc:
        print(f"handbook diff: {exc}", file=sys.stderr)
        return 2
    same_label = old.label == new.label  # e.g. both say B/1: name them by where they were read
    changes = compare(
        old.handbook,
        new.handbook,
        old.source if same_label else old.label,
        new.source if same_label else new.label,
        old.source,
        new.source,
    )
    if args.format == "json":
        sys.stdout.write(report.dumps(changes, args.language))
    elif args.format == "markdown":
        sys.stdout.write(report.format_markdown(changes, args.language))
    else:
        sys.stdout.write(report.format_text(changes, args.language))
    return 1 if changes else 0


def diff_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "old",
        metavar="OLD",
        nargs="?",
        default=None,
        help="the released data: a folder, or a git revision (tag, branch, commit); default: the "
        "project's handbook_baseline",
    )
    p.add_argument(
        "new",
        metavar="NEW",
        nargs="?",
        default=None,
        help="the new data: a folder or a git revision (default: DATA_DIR as it is now)",
    )
    p.add_argument(
        "--data",
        dest="data_dir",
        default=None,
        metavar="DATA_DIR",
        help="the data folder whose revisions OLD and NEW name (default: the data folder of the conf.py "
        f"in the working folder, else {DEFAULT_DATA_DIR})",
    )
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text", help="output format")
    p.add_argument(
        "--language",
        default="zh_CN",
        help="language of texts and labels (default: zh_CN; texts fall back to the first given)",
    )


def cmd_clauses(args) -> int:
    from handbook.audit.clauses import catalog

    cat = catalog()
    if args.format == "json":
        json.dump(
            {
                "standard": {"zh_CN": cat.standard_zh, "en": cat.standard_en},
                "clauses": [
                    {"number": c.number, "zh_CN": c.zh, "en": c.en, "lead_required": c.owner}
                    for c in cat.clauses.values()
                ],
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
        return 0
    for c in cat.clauses.values():
        mark = "*" if c.owner else " "
        print(f"{c.number:8} {mark} {c.zh}  {c.en}")
    print(f"\n{cat.standard_en} ({cat.standard_zh}); * = needs a lead department by default")
    return 0


def clauses_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("text", "json"), default="text")


COMMANDS = (
    Command(
        "diff",
        "what changed between two data sets (folders or git revisions)",
        "Compare two data sets object by object: departments, roles and processes "
        "added, removed, renamed, moved or changed, duty by duty, plus staffing and "
        "document control. OLD and NEW are folders, or git revisions of the data "
        "folder (`handbook diff B0 HEAD`); NEW defaults to the data folder as it is. "
        "Exit status 0: the same, 1: different, 2: trouble.",
        diff_arguments,
        cmd_diff,
    ),
    Command(
        "clauses",
        "list the ISO 9001 clauses duties may name",
        "List the ISO 9001:2015 clauses (GB/T 19001-2016 titles) that `clauses:` "
        "tags and `clause_owners` may name; * marks those needing a lead by default.",
        clauses_arguments,
        cmd_clauses,
    ),
)
