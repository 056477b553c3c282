"""The ``handbook`` command: check | new | codes (and build helpers).

``main(argv) -> int`` never lets a traceback reach the user for bad input: data
problems are printed with ``file:line:col`` and the exit status says what happened
(0 fine, 1 errors in the data, 2 bad usage).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from importlib import resources
from pathlib import Path

from . import __version__
from .data_commands import add_data_commands
from .pdf import add_pdf_command
from .problems import Code, codes_table_markdown
from .validate import check_dir

DEFAULT_DATA_DIR = "source/org"


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


def cmd_check(args) -> int:
    result = check_dir(args.data_dir)
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
    print(f"\nNext: edit {target / 'org'}, then run\n"
          f"  handbook check {target / 'org'}\n"
          f"  sphinx-build -b html {target} {target / '_build' / 'html'}")
    return 0


def cmd_serve(args) -> int:
    import functools
    import http.server

    folder = Path(args.directory)
    if not (folder / "index.html").exists():
        print(f"handbook serve: {folder} has no index.html; build the site first (make html)", file=sys.stderr)
        return 2
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    with http.server.ThreadingHTTPServer((args.bind, args.port), handler) as httpd:
        host, port = httpd.server_address[:2]
        print(f"Serving {folder} at http://{host}:{port}/ (Ctrl+C to stop)")
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
    p.add_argument("data_dir", nargs="?", default=DEFAULT_DATA_DIR, metavar="DATA_DIR",
                   help=f"folder of YAML files (default: {DEFAULT_DATA_DIR})")
    p.add_argument("--format", choices=("human", "json"), default="human", help="output format")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
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

    p = sub.add_parser("serve", help="serve a built site on 127.0.0.1 for preview",
                       description="Serve the built HTML over HTTP (browsers do not load the charts' "
                                   "JavaScript modules from file://).")
    p.add_argument("directory", nargs="?", default="_build/html")
    p.add_argument("--port", type=int, default=8000)
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
