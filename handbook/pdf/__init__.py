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
    """``handbook pdf [PROJECT]``, or with ``--source``/``--conf`` for another layout."""
    from ..build import build_project, options_from, run_sphinx

    options = options_from(args)
    if args.source is None and args.conf is None:  # the project: the folder named, or the working folder
        status, out = build_project("handbookpdf", "pdf", args.project, options, "pdf", args.out)
    else:
        source = Path(args.project or args.source or "source")
        out = Path(args.out or "_build/pdf")
        status = run_sphinx("handbookpdf", source, Path(args.conf) if args.conf else source, out,
                            out / ".doctrees", options, "pdf")
    if status == 0 and out is not None:
        pdfs = sorted(out.glob("*.pdf"), key=lambda p: p.stat().st_mtime)
        if pdfs:
            from ..loader import display_path

            print(f"PDF: {display_path(pdfs[-1])}", file=sys.stdout)
    return status


def add_pdf_command(sub) -> None:
    """The ``handbook pdf`` subcommand (cli.py calls this from build_parser)."""
    from ..build import add_build_options

    p = sub.add_parser("pdf", help="build the ISO 9001 audit PDF",
                       description="Build the whole handbook as one controlled PDF (cover, approvals, revision "
                                   "history, contents, bookmarks, vector charts, every role on its own page). "
                                   "In the folder `handbook new` made, no arguments are needed: the PDF goes to "
                                   "_build/pdf. Same as `sphinx-build -b handbookpdf SOURCE OUT`.")
    p.add_argument("project", nargs="?", default=None, metavar="PROJECT",
                   help="the folder holding conf.py (default: the working folder)")
    p.add_argument("--source", default=None, help="the Sphinx source folder, when it is not the folder of conf.py")
    p.add_argument("--conf", default=None, help="folder of conf.py (default: the source folder)")
    p.add_argument("--out", default=None, help="output folder (default: _build/pdf in the project)")
    add_build_options(p)
    p.set_defaults(func=cmd_pdf)


__all__ = ["setup_pdf", "add_pdf_command", "cmd_pdf"]
