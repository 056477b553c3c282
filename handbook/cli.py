"""The ``handbook`` command: check | new | codes | html | pdf | serve | diff | clauses.

``main(argv) -> int`` never lets a traceback reach the user for bad input: data
problems are printed with ``file:line:col`` and the exit status says what happened
(0 fine, 1 errors in the data, 2 bad usage).

In the folder ``handbook new`` makes, every command works without arguments: the
project is found by its ``conf.py`` (see :mod:`handbook.build`), ``check`` reads its
``handbook_data_dir``, ``html`` and ``pdf`` write into its ``_build/``, and ``serve``
serves ``_build/html``.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import sys
from importlib import resources
from pathlib import Path

from . import __version__
from .build import ProjectError, add_build_options, build_project, conf_setting, find_project, options_from
from .data_commands import add_data_commands
from .loader import display_path
from .pdf import add_pdf_command
from .problems import Code, codes_table_markdown
from .validate import check_dir

DEFAULT_DATA_DIR = "source/org"
DEFAULT_PORT = 8000


def _print_human(result, out, quiet: bool) -> None:
    for p in result.problems:
        if quiet and not p.is_error:
            continue
        print(p.format(), file=out)
    n_err, n_warn = len(result.errors), len(result.warnings)
    if result.handbook is not None:
        hb = result.handbook
        summary = (f"{len(result.files)} files: {len(hb.departments)} departments, {len(hb.roles)} roles, "
                   f"{len(hb.people)} people, {len(hb.processes)} processes; "
                   f"headcount {hb.company_staffing.headcount}, filled {hb.company_staffing.filled}, "
                   f"vacant {hb.company_staffing.vacant}")
        print(summary, file=out)
    print(f"{n_err} error{'s' if n_err != 1 else ''}, {n_warn} warning{'s' if n_warn != 1 else ''}", file=out)


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
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{text}` is not a date: write YYYY-MM-DD") from None


def conf_for(data_dir: str) -> Path | None:
    """The conf.py folder whose ``handbook_data_dir`` is this data folder (it or up to three
    folders above it: ``handbook new``'s layout and the example's)."""
    from .build import conf_setting

    target = Path(data_dir).resolve()
    for up in list(target.parents)[:3]:
        conf = up / "conf.py"
        if conf.is_file() and (up / conf_setting(conf, "handbook_data_dir", "org")).resolve() == target:
            return up
    return None


def _conf_settings(folder: Path | None) -> tuple[object, object] | None:
    """``(today, statuses)`` from ``folder/conf.py`` (handbook_today, handbook_document_statuses),
    read without running it (plain values, as conf.py usually holds them)."""
    import ast
    import datetime as dt

    from .status import table

    if folder is None:
        return None, None
    path = folder / "conf.py"
    if not path.is_file():
        print(f"handbook check: {path} does not exist", file=sys.stderr)
        return None
    values: dict[str, object] = {}
    try:
        for node in ast.parse(path.read_text(encoding="utf-8"), str(path)).body:
            if isinstance(node, ast.Assign):
                for t in node.targets:
                    if isinstance(t, ast.Name) and t.id in ("handbook_today", "handbook_document_statuses"):
                        try:
                            values[t.id] = ast.literal_eval(node.value)
                        except ValueError:
                            print(f"{path}: {t.id} is not a plain value; `handbook check` uses the built-in one",
                                  file=sys.stderr)
    except (OSError, SyntaxError, UnicodeDecodeError) as exc:
        print(f"handbook check: {path}: {exc}", file=sys.stderr)
        return None
    statuses, problems = table(values.get("handbook_document_statuses") or {})  # type: ignore[arg-type]
    for problem in problems:
        print(f"{path}: handbook_document_statuses: {problem}", file=sys.stderr)
    today = values.get("handbook_today") or None
    try:
        today = dt.date.fromisoformat(today) if today else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        print(f"{path}: handbook_today = {today!r} is not a date (YYYY-MM-DD); using today", file=sys.stderr)
        today = None
    return today, statuses


def cmd_check(args) -> int:
    import datetime as dt

    data_dir = data_dir_for(args.data_dir)
    conf = _conf_settings(Path(args.conf) if args.conf else conf_for(data_dir))
    if conf is None:
        return 2
    conf_today, statuses = conf
    today = args.today or conf_today or dt.date.today()
    result = check_dir(data_dir, today=today, statuses=statuses)  # type: ignore[arg-type]
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
        _print_human(result, sys.stdout, args.quiet)
    if result.errors or (args.strict and result.warnings):
        return 1
    return 0


def cmd_codes(args) -> int:
    if args.format == "markdown":
        sys.stdout.write(codes_table_markdown())
    else:
        for code in Code:
            print(f"{code.value:26} {code.severity.value:8} {code.__doc__}")  # type: ignore[attr-defined]
    return 0


def cmd_new(args) -> int:
    target = Path(args.directory)
    if target.exists() and not target.is_dir():
        print(f"handbook new: {target} is a file; nothing was written", file=sys.stderr)
        return 2
    if target.exists() and any(target.iterdir()):
        print(f"handbook new: {target} exists and is not empty; nothing was written", file=sys.stderr)
        return 2
    template = resources.files("handbook") / "templates" / "new"
    written = []
    with resources.as_file(template) as src:
        for path in sorted(Path(src).rglob("*")):
            if path.is_dir() or "__pycache__" in path.parts:
                continue
            rel = path.relative_to(src)
            dest = target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            # the name goes inside "..." in the YAML and Python files: escape it there (JSON escapes suit both)
            name = json.dumps(args.name, ensure_ascii=False)[1:-1] if path.suffix in (".yaml", ".py") else args.name
            text = path.read_text(encoding="utf-8").replace("{{company}}", name)
            dest.write_text(text, encoding="utf-8")
            written.append(dest)
    for w in written:
        print(f"  created {w}")
    exe = handbook_command()
    print(f"\nNext: edit the YAML files in {target / 'org'}, then run:\n"
          f"  cd {shlex.quote(str(target))}\n"
          f"  {exe} check    # every problem in the data, with file:line:col\n"
          f"  {exe} html     # the site, into _build/html\n"
          f"  {exe} pdf      # the audit PDF, into _build/pdf\n"
          f"  {exe} serve    # preview the site on http://127.0.0.1:8000/")
    return 0


def handbook_command() -> str:
    """The handbook command as the user can type it: `handbook` when it is on the PATH,
    else its full path (or `python -m handbook` with the full path of this Python)."""
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name == "handbook" and script.is_file():
        on_path = shutil.which("handbook")
        if on_path and os.path.samefile(on_path, script):
            return "handbook"
        return shlex.quote(os.path.abspath(script))
    return f"{shlex.quote(sys.executable)} -m handbook"


def cmd_html(args) -> int:
    status, out = build_project("html", "html", args.project, options_from(args), "html", args.out)
    if status == 0 and out is not None:
        print(f"Site: {display_path(out / 'index.html')} (preview it with `handbook serve`)")
    return status

def cmd_diff(args) -> int:
    """Compare two data sets: exit 0 when they are the same, 1 when they differ, 2 on trouble."""
    from . import diff
    from .revisions import DatasetError, load, load_folder

    data_dir = Path(data_dir_for(args.data_dir))
    old_spec, base = args.old, None
    if old_spec is None:  # the project's own baseline (handbook_baseline in conf.py)
        try:
            project = find_project(None, "diff")
        except ProjectError:
            project = None
        old_spec = conf_setting(project.confdir / "conf.py", "handbook_baseline", "") if project else ""
        if not old_spec:
            print("handbook diff: give OLD (a folder or a git revision), or set handbook_baseline in conf.py",
                  file=sys.stderr)
            return 2
        base = project.confdir if project else None
    try:
        old = load(old_spec, data_dir, base)
        new = load(args.new, data_dir) if args.new else load_folder(data_dir)
    except DatasetError as exc:
        print(f"handbook diff: {exc}", file=sys.stderr)
        return 2
    same_label = old.label == new.label  # e.g. both say B/1: name them by where they were read
    changes = diff.compare(old.handbook, new.handbook, old.source if same_label else old.label,
                           new.source if same_label else new.label, old.source, new.source)
    if args.format == "json":
        sys.stdout.write(diff.dumps(changes, args.language))
    elif args.format == "markdown":
        sys.stdout.write(diff.format_markdown(changes, args.language))
    else:
        sys.stdout.write(diff.format_text(changes, args.language))
    return 1 if changes else 0


def cmd_clauses(args) -> int:
    from .clauses import catalog

    cat = catalog()
    if args.format == "json":
        json.dump({"standard": {"zh_CN": cat.standard_zh, "en": cat.standard_en},
                   "clauses": [{"number": c.number, "zh_CN": c.zh, "en": c.en, "lead_required": c.owner}
                               for c in cat.clauses.values()]}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for c in cat.clauses.values():
        mark = "*" if c.owner else " "
        print(f"{c.number:8} {mark} {c.zh}  {c.en}")
    print(f"\n{cat.standard_en} ({cat.standard_zh}); * = needs a lead department by default")
    return 0


def cmd_serve(args) -> int:
    import functools
    import http.server

    folder = Path(args.directory) if args.directory else Path("_build/html")
    if not (folder / "index.html").exists() and (folder / "_build" / "html" / "index.html").exists():
        folder = folder / "_build" / "html"  # a project folder: its built site
    if not (folder / "index.html").exists():
        print(f"handbook serve: {folder} has no index.html; build the site first (`handbook html`)", file=sys.stderr)
        return 2
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    # the default port may be taken (another preview still running): then the next free one
    ports = [args.port] if args.port is not None else list(range(DEFAULT_PORT, DEFAULT_PORT + 20))
    for n, port in enumerate(ports):
        try:
            httpd = http.server.ThreadingHTTPServer((args.bind, port), handler)
            break
        except OSError:
            if n == len(ports) - 1:
                raise
    with httpd:
        host, port = httpd.server_address[:2]
        print(f"Serving {folder} at http://{host}:{port}/ (Ctrl+C to stop)", flush=True)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="handbook",
        description="Check a company handbook's YAML data and help build it with Sphinx.",
    )
    parser.add_argument("--version", action="version", version=f"handbook {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("check", help="check the data and print every problem",
                       description="Check the handbook data and print every problem with file:line:col. "
                                   "Exit status 1 if there are errors, 0 otherwise.")
    p.add_argument("data_dir", nargs="?", default=None, metavar="DATA_DIR",
                   help="folder of YAML files, or a project folder (default: the data folder of the conf.py "
                        f"in the working folder, else {DEFAULT_DATA_DIR})")
    p.add_argument("--format", choices=("human", "json"), default="human", help="output format")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.add_argument("--today", type=_date_arg, default=None, metavar="YYYY-MM-DD",
                   help="check the review date (review_due) against this date (default: handbook_today of "
                        "conf.py, else today)")
    p.add_argument("--conf", default=None, metavar="DIR",
                   help="read handbook_document_statuses and handbook_today from DIR/conf.py (default: the "
                        "conf.py whose handbook_data_dir is the data folder, found beside it or above it)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("new", help="start a handbook for a new company",
                       description="Write a minimal, valid handbook (conf.py, index page, org data) into a new folder.")
    p.add_argument("directory", help="the folder to create (must not exist or be empty)")
    p.add_argument("--name", default="示例有限公司", help="the company name")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("codes", help="list the problem codes",
                       description="List every problem code with its severity and meaning.")
    p.add_argument("--format", choices=("text", "markdown"), default="text")
    p.set_defaults(func=cmd_codes)

    p = sub.add_parser("html", help="build the site into _build/html",
                       description="Build the intranet site with Sphinx. In the folder `handbook new` made, no "
                                   "arguments are needed: the site goes to _build/html.")
    p.add_argument("project", nargs="?", default=None, metavar="PROJECT",
                   help="the folder holding conf.py (default: the working folder)")
    p.add_argument("--out", default=None, help="output folder (default: _build/html in the project)")
    add_build_options(p)
    p.set_defaults(func=cmd_html)

    p = sub.add_parser("diff", help="what changed between two data sets (folders or git revisions)",
                       description="Compare two data sets object by object: departments, roles and processes "
                                   "added, removed, renamed, moved or changed, duty by duty, plus staffing and "
                                   "document control. OLD and NEW are folders, or git revisions of the data "
                                   "folder (`handbook diff B0 HEAD`); NEW defaults to the data folder as it is. "
                                   "Exit status 0: the same, 1: different, 2: trouble.")
    p.add_argument("old", metavar="OLD", nargs="?", default=None,
                   help="the released data: a folder, or a git revision (tag, branch, commit); default: the "
                        "project's handbook_baseline")
    p.add_argument("new", metavar="NEW", nargs="?", default=None,
                   help="the new data: a folder or a git revision (default: DATA_DIR as it is now)")
    p.add_argument("--data", dest="data_dir", default=None, metavar="DATA_DIR",
                   help="the data folder whose revisions OLD and NEW name (default: the data folder of the conf.py "
                        f"in the working folder, else {DEFAULT_DATA_DIR})")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text", help="output format")
    p.add_argument("--language", default="zh_CN",
                   help="language of texts and labels (default: zh_CN; texts fall back to the first given)")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("clauses", help="list the ISO 9001 clauses duties may name",
                       description="List the ISO 9001:2015 clauses (GB/T 19001-2016 titles) that `clauses:` "
                                   "tags and `clause_owners` may name; * marks those needing a lead by default.")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_clauses)

    p = sub.add_parser("serve", help="serve a built site on 127.0.0.1 for preview",
                       description="Serve the built HTML over HTTP (browsers do not load the charts' "
                                   "JavaScript modules from file://).")
    p.add_argument("directory", nargs="?", default=None,
                   help="the built site, or a project folder (default: _build/html)")
    p.add_argument("--port", type=int, default=None,
                   help=f"the port (default: {DEFAULT_PORT}, or the next free one)")
    p.add_argument("--bind", default="127.0.0.1")
    p.set_defaults(func=cmd_serve)
    add_pdf_command(sub)
    add_data_commands(sub)
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
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 1
    except OSError as exc:  # a busy port, a folder we may not write to, a full disk …
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        print(f"handbook {args.command}: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
