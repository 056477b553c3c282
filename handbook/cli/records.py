"""``handbook acknowledgements`` and ``handbook recall``: who must re-read what since the
previous release, and which copies of it come back.

Exit status: 0 everyone has acknowledged / every copy is back, 1 some have not / are not,
2 trouble (no previous release, data errors).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from handbook.cli.check import conf_for, data_dir_argument, data_dir_for
from handbook.cli.registry import Command
from handbook.cli.sphinx_run import conf_setting


def _load(args):
    """(current dataset, previous dataset) or an exit status."""
    from handbook.audit.datasets import DatasetError, load, load_folder

    data_dir = Path(data_dir_for(args.data_dir))
    since, base = args.since, None
    if since is None:
        confdir = conf_for(str(data_dir))
        since = conf_setting(confdir / "conf.py", "handbook_baseline", "") if confdir else ""
        base = confdir
    try:
        current = load_folder(data_dir)
        previous = load(since, data_dir, base) if since else None
    except DatasetError as exc:
        print(f"handbook {args.command}: {exc}", file=sys.stderr)
        return 2
    return current, previous


def cmd_acknowledgements(args) -> int:
    from handbook import i18n
    from handbook.audit import acknowledgements as ack
    from handbook.audit import record_report as report

    loaded = _load(args)
    if isinstance(loaded, int):
        return loaded
    current, previous = loaded
    if previous is None:
        print(
            "handbook acknowledgements: give the previous release with --since (a folder or a git revision), "
            "or set handbook_baseline in conf.py",
            file=sys.stderr,
        )
        return 2
    plan = ack.plan(previous.handbook, current.handbook, old_label=previous.label)
    hb = current.handbook
    with i18n.language(args.language):
        if args.format == "json":
            json.dump(report.as_data(hb, plan, args.language), sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        elif args.format == "xlsx":
            from openpyxl import Workbook

            out = Path(args.output or "acknowledgements.xlsx")
            head, rows = report.rows(hb, plan, args.language)
            wb = Workbook()
            ws = wb.active
            ws.title = plan.revision.replace("/", "") or "acknowledgements"
            ws.append(head)
            for row in rows:
                ws.append(row)
            for col, width in zip("ABCDEF", (14, 10, 18, 70, 14, 20), strict=True):
                ws.column_dimensions[col].width = width
            wb.save(out)
            print(f"{out}: {len(plan.readers)} people, {len(rows)} items")
        else:
            sys.stdout.write(report.format_text(hb, plan, args.language, args.pending))
    return 1 if plan.pending else 0


def cmd_recall(args) -> int:
    from handbook import i18n
    from handbook.audit import recall
    from handbook.audit import record_report as report

    loaded = _load(args)
    if isinstance(loaded, int):
        return loaded
    current, previous = loaded
    hb = current.handbook
    items = recall.withdrawals(hb, previous.handbook if previous else None)
    revision = hb.company.document.revision.get(None) if hb.company.document.revision else ""
    with i18n.language(args.language):
        if args.format == "json":
            data = [
                {
                    "revision": w.revision,
                    "copy": w.copy,
                    "holder": w.holder.get(args.language),
                    "count": w.count,
                    "medium": w.medium,
                    "returned": w.returned.isoformat() if w.returned else None,
                    "returned_by": w.returned_by.get(args.language) if w.returned_by else None,
                    "recorded": w.recorded,
                }
                for w in items
            ]
            json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            sys.stdout.write(report.recall_text(items, revision, args.language))
    return 1 if any(w.paper and not w.returned for w in items) else 0


def _common(p: argparse.ArgumentParser) -> None:
    data_dir_argument(p)
    p.add_argument(
        "--since",
        default=None,
        metavar="RELEASE",
        help="the previous release: a folder or a git revision (default: handbook_baseline of conf.py)",
    )
    p.add_argument("--language", default="zh_CN", help="language of texts and labels (default: zh_CN)")


def acknowledgements_arguments(p: argparse.ArgumentParser) -> None:
    _common(p)
    p.add_argument("--format", choices=("text", "json", "xlsx"), default="text", help="output format")
    p.add_argument(
        "-o", "--output", default=None, metavar="FILE", help="the workbook (xlsx; default acknowledgements.xlsx)"
    )
    p.add_argument("--pending", action="store_true", help="list only those who have not acknowledged")


def recall_arguments(p: argparse.ArgumentParser) -> None:
    _common(p)
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")


COMMANDS = (
    Command(
        "acknowledgements",
        "who must re-read what since the previous release, and who has acknowledged",
        "Per person, the changed items since the previous release that concern them: their posts' duties, "
        "authority, qualifications and indicators (also 兼任 and 代理), their department's functions, the "
        "process steps and RACI rows of their posts; editorial changes left out. Returned acknowledgements "
        "(`acknowledgements:` in the data) are shown. Exit 0 when everyone has acknowledged, 1 otherwise.",
        acknowledgements_arguments,
        cmd_acknowledgements,
    ),
    Command(
        "recall",
        "the copies of earlier revisions to withdraw, and whether they are back",
        "The copies of the previous release and of earlier revisions the distribution records: holder, "
        "medium, returned (回收日期 / 回收人). Exit 0 when every paper copy is back, 1 otherwise.",
        recall_arguments,
        cmd_recall,
    ),
)
