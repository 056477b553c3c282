"""``handbook html`` and ``handbook pdf``: build a project's site or audit PDF with Sphinx.

In the folder ``handbook new`` made no arguments are needed; :mod:`handbook.cli.sphinx_run`
finds the project and turns every failure to start into one line.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from handbook.cli.registry import Command
from handbook.cli.sphinx_run import add_build_options, build_project, options_from, run_sphinx
from handbook.problems import display_path


def cmd_html(args) -> int:
    status, out = build_project("html", "html", args.project, options_from(args), "html", args.out)
    if status == 0 and out is not None:
        print(f"Site: {display_path(out / 'index.html')} (preview it with `handbook serve`)")
    return status


def html_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "project",
        nargs="?",
        default=None,
        metavar="PROJECT",
        help="the folder holding conf.py (default: the working folder)",
    )
    p.add_argument("--out", default=None, help="output folder (default: _build/html in the project)")
    add_build_options(p)


def cmd_pdf(args) -> int:
    """``handbook pdf [PROJECT]``, or with ``--source``/``--conf`` for another layout."""
    options = options_from(args)
    if args.copy is not None:
        options.define += (f"handbook_pdf_copy={args.copy}",)
    if args.role:
        from handbook.validate.values import ID_RE

        bad = [r for r in args.role if r != "all" and not ID_RE.match(r)]
        if bad:
            print(
                f"handbook pdf: --role {bad[0]!r} is not a role id (ids are lower-case letters, digits, - and _, "
                "e.g. --role general-manager)",
                file=sys.stderr,
            )
            return 2
        options.define += ("handbook_pdf_roles=" + ",".join(args.role),)
    started = time.time()
    if args.source is None and args.conf is None:  # the project: the folder named, or the working folder
        status, out = build_project("handbookpdf", "pdf", args.project, options, "pdf", args.out)
    else:
        source = Path(args.project or args.source or "source")
        out = Path(args.out or "_build/pdf")
        status = run_sphinx(
            "handbookpdf", source, Path(args.conf) if args.conf else source, out, out / ".doctrees", options, "pdf"
        )
    if status == 0 and out is not None:  # what this build wrote
        for label, folder in (("PDF", out), ("Job description", out / "roles")):
            written = sorted(p for p in folder.glob("*.pdf") if p.stat().st_mtime >= started - 1)
            if label == "PDF" or len(written) <= 3:
                for p in written:
                    print(f"{label}: {display_path(p)}", file=sys.stdout)
            else:
                print(f"Job descriptions: {len(written)} PDFs in {display_path(folder)}", file=sys.stdout)
    return status


def _copy_number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"`{text}` is not a copy number (1, 2, …)")
    return int(text)


def pdf_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "project",
        nargs="?",
        default=None,
        metavar="PROJECT",
        help="the folder holding conf.py (default: the working folder)",
    )
    p.add_argument("--source", default=None, help="the Sphinx source folder, when it is not the folder of conf.py")
    p.add_argument("--conf", default=None, help="folder of conf.py (default: the source folder)")
    p.add_argument("--out", default=None, help="output folder (default: _build/pdf in the project)")
    add_build_options(p)
    p.add_argument(
        "--copy",
        type=_copy_number,
        default=None,
        metavar="N",
        help="build controlled copy N (its number and holder from `distribution` on the cover and in "
        "every footer), as <number>-<revision>-copyN.pdf",
    )
    p.add_argument(
        "--role",
        action="append",
        metavar="ID",
        help="only the job description (岗位说明书) of this role, as roles/ID.pdf (repeatable); "
        "without it the document and every role's job description are written",
    )


HTML = Command(
    "html",
    "build the site into _build/html",
    "Build the intranet site with Sphinx. In the folder `handbook new` made, no "
    "arguments are needed: the site goes to _build/html.",
    html_arguments,
    cmd_html,
)
PDF = Command(
    "pdf",
    "build the ISO 9001 audit PDF",
    "Build the whole handbook as one controlled PDF (cover, approvals, revision "
    "history, contents, bookmarks, vector charts, every role on its own page), named "
    "with its revision, and every role's job description as roles/<id>.pdf. "
    "In the folder `handbook new` made, no arguments are needed: the PDF goes to "
    "_build/pdf. Same as `sphinx-build -b handbookpdf SOURCE OUT`.",
    pdf_arguments,
    cmd_pdf,
)
