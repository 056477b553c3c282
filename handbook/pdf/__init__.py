"""The ISO 9001 audit PDF: ``handbook pdf`` or ``sphinx-build -b handbookpdf``.

One controlled document from the same data and pages as the site: cover and
document-control page (编制 / 审核 / 批准), revision history, table of contents and PDF
bookmarks, a running header (document number, revision, title) and footer (page X of
Y) on every page, vector org charts and process flows, every role's job description on
its own page. Laid out by WeasyPrint; charts drawn once by headless Chromium with the
site's Mermaid and cached by content hash.
"""

from __future__ import annotations

import sys
from pathlib import Path


def setup_pdf(app) -> None:
    """Register the ``handbookpdf`` builder and its theme (its settings are in handbook.config)."""
    from .builder import HandbookPDFBuilder

    app.add_builder(HandbookPDFBuilder)
    app.add_html_theme("handbookpdf", str(Path(__file__).parent / "theme"))


def cmd_pdf(args) -> int:
    from sphinx.cmd.build import build_main

    out = Path(args.out)
    argv = ["-b", "handbookpdf", "-d", str(out / ".doctrees"), args.source, str(out)]
    if args.conf:
        argv += ["-c", args.conf]
    for flag, on in (("-W", args.W), ("--keep-going", args.keep_going), ("-E", args.fresh_env), ("-q", args.quiet)):
        if on:
            argv.append(flag)
    argv += ["-v"] * args.verbose
    for d in args.define or []:
        argv += ["-D", d]
    if args.jobs:
        argv += ["-j", args.jobs]
    status = build_main(argv)
    if status == 0:
        pdfs = sorted(out.glob("*.pdf"), key=lambda p: p.stat().st_mtime)
        if pdfs:
            print(f"PDF: {pdfs[-1]}", file=sys.stdout)
    return status


def add_pdf_command(sub) -> None:
    """The ``handbook pdf`` subcommand (cli.py calls this from build_parser)."""
    p = sub.add_parser("pdf", help="build the ISO 9001 audit PDF",
                       description="Build the whole handbook as one controlled PDF (cover, approvals, revision "
                                   "history, contents, bookmarks, vector charts, every role on its own page). "
                                   "Same as `sphinx-build -b handbookpdf SOURCE OUT`.")
    p.add_argument("--source", default="source", help="the Sphinx source folder (default: source)")
    p.add_argument("--conf", default=None, help="folder of conf.py (default: the source folder)")
    p.add_argument("--out", default="_build/pdf", help="output folder (default: _build/pdf)")
    p.add_argument("-W", action="store_true", help="turn warnings into errors")
    p.add_argument("--keep-going", action="store_true", help="with -W: report every warning, then fail")
    p.add_argument("-E", "--fresh-env", action="store_true", help="read every page again")
    p.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    p.add_argument("-v", "--verbose", action="count", default=0)
    p.add_argument("-D", "--define", action="append", metavar="SETTING=VALUE", help="override a conf.py setting")
    p.add_argument("-j", "--jobs", default=None, help="parallel reading (as sphinx-build -j)")
    p.set_defaults(func=cmd_pdf)


__all__ = ["setup_pdf", "add_pdf_command", "cmd_pdf"]
