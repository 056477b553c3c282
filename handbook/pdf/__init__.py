"""The ISO 9001 audit PDF: ``handbook pdf`` or ``sphinx-build -b handbookpdf``.

One controlled document from the same data and pages as the site: cover and
document-control page (status, 编制 / 审核 / 批准 with their records), distribution
record, revision history, table of contents and PDF bookmarks, a running header
(document number, revision, title, the current department or role) and footer (status
note or numbered copy, page X of Y) on every page, vector org charts and process flows,
every role on its own page — and each role's job description (岗位说明书) as a PDF of its
own with a signature block. Laid out by WeasyPrint; charts drawn once by headless
Chromium with the site's Mermaid and cached by content hash.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def setup_pdf(app) -> None:
    """Register the ``handbookpdf`` builder and its theme (its settings are in handbook.config)."""
    from .builder import HandbookPDFBuilder

    app.add_builder(HandbookPDFBuilder)
    app.add_html_theme("handbookpdf", str(Path(__file__).parent / "theme"))


def cmd_pdf(args) -> int:
    """``handbook pdf [PROJECT]``, or with ``--source``/``--conf`` for another layout."""
    from ..build import build_project, options_from, run_sphinx

    options = options_from(args)
    if args.copy is not None:
        options.define += (f"handbook_pdf_copy={args.copy}",)
    if args.role:
        options.define += ("handbook_pdf_roles=" + ",".join(args.role),)
    started = time.time()
    if args.source is None and args.conf is None:  # the project: the folder named, or the working folder
        status, out = build_project("handbookpdf", "pdf", args.project, options, "pdf", args.out)
    else:
        source = Path(args.project or args.source or "source")
        out = Path(args.out or "_build/pdf")
        status = run_sphinx("handbookpdf", source, Path(args.conf) if args.conf else source, out,
                            out / ".doctrees", options, "pdf")
    if status == 0 and out is not None:  # what this build wrote
        from ..loader import display_path

        for label, folder in (("PDF", out), ("Job description", out / "roles")):
            written = sorted(p for p in folder.glob("*.pdf") if p.stat().st_mtime >= started - 1)
            if label == "PDF" or len(written) <= 3:
                for p in written:
                    print(f"{label}: {display_path(p)}", file=sys.stdout)
            else:
                print(f"Job descriptions: {len(written)} PDFs in {display_path(folder)}", file=sys.stdout)
    return status


def _copy_number(text: str) -> int:
    import argparse

    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"`{text}` is not a copy number (1, 2, …)")
    return int(text)


def add_pdf_command(sub) -> None:
    """The ``handbook pdf`` subcommand (cli.py calls this from build_parser)."""
    from ..build import add_build_options

    p = sub.add_parser("pdf", help="build the ISO 9001 audit PDF",
                       description="Build the whole handbook as one controlled PDF (cover, approvals, revision "
                                   "history, contents, bookmarks, vector charts, every role on its own page), named "
                                   "with its revision, and every role's job description as roles/<id>.pdf. "
                                   "In the folder `handbook new` made, no arguments are needed: the PDF goes to "
                                   "_build/pdf. Same as `sphinx-build -b handbookpdf SOURCE OUT`.")
    p.add_argument("project", nargs="?", default=None, metavar="PROJECT",
                   help="the folder holding conf.py (default: the working folder)")
    p.add_argument("--source", default=None, help="the Sphinx source folder, when it is not the folder of conf.py")
    p.add_argument("--conf", default=None, help="folder of conf.py (default: the source folder)")
    p.add_argument("--out", default=None, help="output folder (default: _build/pdf in the project)")
    add_build_options(p)
    p.add_argument("--copy", type=_copy_number, default=None, metavar="N",
                   help="build controlled copy N (its number and holder from `distribution` on the cover and in "
                        "every footer), as <number>-<revision>-copyN.pdf")
    p.add_argument("--role", action="append", metavar="ID",
                   help="only the job description (岗位说明书) of this role, as roles/ID.pdf (repeatable); "
                        "without it the document and every role's job description are written")
    p.set_defaults(func=cmd_pdf)


__all__ = ["setup_pdf", "add_pdf_command", "cmd_pdf"]
