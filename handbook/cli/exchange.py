"""The data-in/data-out commands: ``handbook import | export | template | schema``.

Exit status as for ``handbook check``: 0 done, 1 problems in the data (or a change that
needs ``--force``), 2 bad usage. No Sphinx imports.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from handbook.cli.output import print_problems
from handbook.cli.registry import Command
from handbook.problems import display_path


def _refuse_existing(path: Path, force: bool, what: str) -> bool:
    if path.exists() and not force:
        print(
            f"handbook {what}: {display_path(path)} exists; nothing was written (--force replaces it)", file=sys.stderr
        )
        return True
    return False


def cmd_import(args) -> int:
    from handbook.audit.change_report import listing
    from handbook.audit.compare import compare
    from handbook.exchange import data_folder as datadir
    from handbook.exchange import yaml_out as dump
    from handbook.exchange.importing import import_files, known_ids
    from handbook.validate import check_dir

    target = Path(args.to)
    if target.exists() and not target.is_dir():
        print(f"handbook import: {display_path(target)} is a file; --to names the data folder", file=sys.stderr)
        return 2
    existing = datadir.handbook_files(target)  # a project's other YAML files (mkdocs.yml) are not replaced
    old = check_dir(str(target)) if existing else None
    imp = import_files(args.files, known_ids(old.handbook if old else None))
    result = imp.result
    from handbook.cli.check import conf_for, project_language

    print_problems(result.problems, language=project_language(conf_for(str(target)) if target.is_dir() else None))
    if result.handbook is None:
        print("nothing was written: fix the errors above and import again", file=sys.stderr)
        return 1
    hb = result.handbook
    print(
        f"read {len(hb.departments)} departments, {len(hb.roles)} roles, {len(hb.people)} people, "
        f"{len(hb.processes)} processes"
    )
    plan = dump.file_plan(hb, dump.schema_line(target))
    shown = display_path(target)
    if existing:
        if old is not None and old.handbook is not None:
            changes = listing(compare(old.handbook, hb, stored=True), hb.company.name)
            if not changes:
                print(f"{shown} already holds this data; nothing was written")
                return 0
            print(
                f"changes to {shown} ({sum(c.sign == '~' for c in changes)} changed, "
                f"{sum(c.sign == '+' for c in changes)} added, {sum(c.sign == '-' for c in changes)} removed):"
            )
            for c in changes:
                print("  " + c.format())
        else:
            print(f"{shown} holds data with errors ({len(existing)} files); it cannot be compared object by object")
        if args.dry_run or not args.force:
            print(
                f"nothing was written{'' if args.dry_run else '; run again with --force to replace the data'} "
                f"(the files replaced are kept in {display_path(datadir.backup_root(target))}/)"
            )
            return 0 if args.dry_run else 1
    elif args.dry_run:
        print("would write: " + ", ".join(plan))
        return 0
    outcome = datadir.replace(target, plan)
    if outcome.backup is not None:
        print(f"the earlier data files are in {display_path(outcome.backup)}")
    kept = f" ({len(outcome.kept)} unchanged files left as they were)" if outcome.kept else ""
    print(f"wrote {len(outcome.written)} files to {shown}{kept}; check them with `handbook check {shown}`")
    return 0


def cmd_export(args) -> int:
    from handbook.exchange import exporting as export
    from handbook.validate import check_dir

    fmt = args.format or (
        "json"
        if args.to.endswith(".json")
        else "xlsx"
        if args.to.endswith((".xlsx", ".xlsm"))
        else "csv"
        if Path(args.to).is_dir() or not Path(args.to).suffix
        else ""
    )
    if not fmt:
        print(f"handbook export: cannot tell the format of {args.to}; give --format xlsx|csv|json", file=sys.stderr)
        return 2
    result = check_dir(args.data_dir)
    if result.handbook is None:
        print_problems(result.errors, sys.stderr)
        print("nothing was written: the data has errors (`handbook check` lists them)", file=sys.stderr)
        return 1
    hb = result.handbook
    target = Path(args.to)
    if fmt == "csv":
        files = export.csv_files(hb, args.language)
        if target.exists() and not target.is_dir():
            print(f"handbook export: {display_path(target)} is a file; CSV export writes a folder", file=sys.stderr)
            return 2
        clash = [n for n in files if (target / n).exists()]
        if clash and not args.force:
            print(
                f"handbook export: {display_path(target)} already holds {', '.join(clash)}; nothing was written "
                "(--force replaces them)",
                file=sys.stderr,
            )
            return 1
        from handbook.exchange.sheet_files import write_csv

        target.mkdir(parents=True, exist_ok=True)
        for name, sheet in files.items():
            write_csv(sheet, target / name)
        print(f"wrote {len(files)} CSV files (UTF-8) to {display_path(target)}")
        return 0
    if _refuse_existing(target, args.force, "export"):
        return 1
    if target.parent and not target.parent.exists():
        target.parent.mkdir(parents=True)
    if fmt == "json":
        target.write_text(export.dumps_json(hb, show_people=not args.no_people), encoding="utf-8")
    else:
        export.write_workbook(hb, target, args.language)
    print(f"wrote {display_path(target)}")
    return 0


def cmd_template(args) -> int:
    from handbook.exchange import exporting as export

    target = Path(args.path)
    if target.suffix.lower() != ".xlsx":
        print("handbook template: the template is an .xlsx workbook (e.g. book.xlsx)", file=sys.stderr)
        return 2
    if _refuse_existing(target, args.force, "template"):
        return 1
    export.write_workbook(None, target, args.language)
    print(f"wrote {display_path(target)}: fill it in, then `handbook import {display_path(target)} --to org`")
    return 0


def cmd_schema(args) -> int:
    from handbook.exchange.json_schema import dumps

    text = dumps()
    if args.to:
        target = Path(args.to)
        if _refuse_existing(target, args.force, "schema"):
            return 1
        target.write_text(text, encoding="utf-8")
        print(f"wrote {display_path(target)}")
    else:
        sys.stdout.write(text)
    return 0


def import_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE", help=".xlsx workbook or .csv files (one per sheet)")
    p.add_argument("--to", required=True, metavar="DATA_DIR", help="the data folder to write")
    p.add_argument("--force", action="store_true", help="replace the data of a folder that holds data")
    p.add_argument("--dry-run", action="store_true", help="check and list the changes; write nothing")


def export_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("data_dir", metavar="DATA_DIR", help="folder of YAML files")
    p.add_argument("--to", required=True, metavar="PATH", help="book.xlsx, handbook.json, or a folder for CSV")
    p.add_argument("--format", choices=("xlsx", "csv", "json"), help="default: from the --to name")
    p.add_argument("--language", default="zh_CN", choices=("zh_CN", "en"), help="sheet and column names")
    p.add_argument("--no-people", action="store_true", help="JSON: leave out people's names")
    p.add_argument("--force", action="store_true", help="replace files that exist")


def template_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="BOOK.xlsx")
    p.add_argument("--language", default="zh_CN", choices=("zh_CN", "en"), help="sheet and column names")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")


def schema_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--to", metavar="FILE", help="write it to a file instead")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")


COMMANDS = (
    Command(
        "import",
        "read an Excel workbook or CSV files into the data folder",
        "Read a workbook (.xlsx) or CSV files (UTF-8, UTF-8 with BOM, GB18030/GBK) in the "
        "layout of `handbook template`, check them as `handbook check` does, and write "
        "the YAML data. Into a folder holding data it lists the changes and writes only "
        "with --force, keeping the files it replaces in _backup/ beside the folder.",
        import_arguments,
        cmd_import,
    ),
    Command(
        "export",
        "write the data as a workbook, CSV files or handbook.json",
        "Write the data in the workbook layout (edit it in Excel, then `handbook "
        "import` it again), as one CSV file per sheet, or as handbook.json with every "
        "object and its derived relations.",
        export_arguments,
        cmd_export,
    ),
    Command(
        "template",
        "write an empty, documented workbook to fill in",
        "Write an empty workbook with a sheet per kind of object (公司 / 部门 / 岗位 / "
        "人员 / 流程 …), a note on every column and a 说明 sheet.",
        template_arguments,
        cmd_template,
    ),
    Command(
        "schema",
        "print the JSON Schema of a data file",
        "Print the JSON Schema (draft 2020-12) of one YAML data file, generated from the "
        "format's declaration, for editors with the YAML language server.",
        schema_arguments,
        cmd_schema,
    ),
)
