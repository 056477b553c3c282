"""``handbook release`` and ``handbook verify``: record an approval bound to its content, and check a PDF.

``handbook release [PROJECT]`` writes the fingerprint of the content into the current
revision's ``history`` entry and keeps the released data in ``releases/<revision>/``
beside the data folder (:mod:`handbook.audit.release`). It refuses, with the place and the
reason, when the data has errors or the revision was released with other content.

``handbook verify FILE.pdf [PROJECT]`` reads the revision and fingerprint the PDF carries
in its metadata and says whether it was made from the released content of that revision
(exit 0) or not (exit 1, with the reason); exit 2 when the PDF or the project cannot be read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from handbook.audit import fingerprint as fpr
from handbook.audit import release as rel
from handbook.cli.check import _conf_settings, conf_for
from handbook.cli.output import print_problems
from handbook.cli.registry import Command
from handbook.cli.sphinx_run import ProjectError, find_project
from handbook.problems import display_path
from handbook.validate import check_dir


def _data_dir(project_arg: str | None, command: str) -> Path:
    project = find_project(project_arg, command)
    return project.data_dir


def _statuses(data_dir: Path):
    """The document statuses of the project's conf.py (handbook_document_statuses), else the built-in ones."""
    conf = _conf_settings(conf_for(str(data_dir)))
    return conf[1] if conf is not None else None


def _checked(data_dir: Path, command: str):
    """The handbook of the data folder, or None after printing its errors."""
    result = check_dir(str(data_dir), statuses=_statuses(data_dir))
    if result.handbook is None:
        print_problems(result.errors, sys.stderr, True, "")
        n = len(result.errors)
        print(
            f"handbook {command}: {n} error{'s' if n != 1 else ''} in {display_path(data_dir)}: "
            "fix them first (`handbook check` lists them)",
            file=sys.stderr,
        )
    return result.handbook


def cmd_release(args) -> int:
    try:
        data_dir = _data_dir(args.project, "release")
    except ProjectError as exc:
        print(f"handbook release: {exc}", file=sys.stderr)
        return 2
    hb = _checked(data_dir, "release")
    if hb is None:
        return 1
    try:
        done = rel.release(data_dir, hb, today=args.today, statuses=_statuses(data_dir))
    except rel.ReleaseError as exc:
        print(f"handbook release: refused: {exc}", file=sys.stderr)
        return 1
    where = display_path(done.snapshot)
    if done.already:
        print(f"{done.revision} was released with this content already (fingerprint {fpr.short(done.fingerprint)})")
        print(f"Snapshot: {where}")
        return 0
    print(f"Released {done.revision}: fingerprint {done.fingerprint}")
    print(f"  written into the history entry of {done.revision}; the released data is kept in {where}")
    print("  next: build the PDF (`handbook pdf`), check it with `handbook verify FILE.pdf`, issue the copies")
    return 0


def read_pdf_mark(path: Path) -> tuple[str, str] | None:
    """(revision, fingerprint) from a PDF's metadata; None when it carries none."""
    import logging

    from pypdf import PdfReader

    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL)  # its complaints about a broken file: the one message below says it
    try:
        meta = PdfReader(str(path)).metadata or {}
    finally:
        log.setLevel(level)
    return fpr.from_keywords(str(meta.get("/Keywords", "") or ""))


def cmd_verify(args) -> int:
    pdf = Path(args.pdf)
    if not pdf.is_file():
        print(f"handbook verify: {args.pdf} is not a file", file=sys.stderr)
        return 2
    try:
        mark = read_pdf_mark(pdf)
    except Exception as exc:  # pypdf raises many kinds for a file that is not a PDF
        print(f"handbook verify: {args.pdf} cannot be read as a PDF: {exc}", file=sys.stderr)
        return 2
    if mark is None:
        print(f"{args.pdf}: NOT VERIFIED: the PDF carries no content fingerprint (not made by `handbook pdf`)")
        return 1
    revision, made_from = mark
    try:
        data_dir = _data_dir(args.project, "verify")
    except ProjectError as exc:
        print(f"handbook verify: {exc}", file=sys.stderr)
        return 2
    hb = _checked(data_dir, "verify")
    if hb is None:
        return 2
    doc = hb.company.document
    entry = next((h for h in doc.history if h.revision.get(None) == revision), None)
    released_fp = fpr.parse(entry.fingerprint.get(None)) if entry is not None and entry.fingerprint else None
    current = fpr.fingerprint(hb)
    shown = f"{args.pdf} (revision {revision or '?'}, fingerprint {fpr.short(made_from)})"
    if released_fp is None:
        why = (
            f"revision {revision} has not been released (`handbook release`)"
            if entry is not None
            else f"the data has no history entry for revision {revision or '?'}"
        )
        print(f"{shown}: NOT VERIFIED: {why}")
        return 1
    if made_from != released_fp:
        why = f"it was not made from the released content of {revision} (released fingerprint {fpr.short(released_fp)})"
        if made_from == current:
            why += "; it was made from the current data, which has changed since the release: a draft"
        print(f"{shown}: NOT VERIFIED: {why}")
        return 1
    print(f"{shown}: made from the released content of {revision}")
    if current != released_fp:
        print(f"  note: the data has changed since {revision} was released (now {fpr.short(current)})")
    return 0


def _date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{text}` is not a date: write YYYY-MM-DD") from None


def release_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", nargs="?", default=None, metavar="PROJECT", help="the folder holding conf.py")
    p.add_argument(
        "--today", type=_date_arg, default=None, metavar="YYYY-MM-DD", help="the release date (default: today)"
    )


def verify_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("pdf", metavar="FILE.pdf", help="the PDF to verify")
    p.add_argument("project", nargs="?", default=None, metavar="PROJECT", help="the folder holding conf.py")


COMMANDS = (
    Command(
        "release",
        "record the approval of the current revision, bound to its content",
        "Record the approval of the current revision: write the fingerprint (sha256) of the content into "
        "the revision's history entry and keep the released data in releases/<revision>/ beside the data "
        "folder. Refused when the data has errors or the revision was released with other content.",
        release_arguments,
        cmd_release,
    ),
    Command(
        "verify",
        "check that a PDF was made from the released content",
        "Read the revision and content fingerprint from a PDF's metadata and compare them with the "
        "project's release: exit 0 when the PDF was made from the released content, 1 otherwise (with "
        "the reason), 2 when the PDF or the project cannot be read.",
        verify_arguments,
        cmd_verify,
    ),
)
