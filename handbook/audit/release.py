"""Releases: the approved content of each revision, kept beside the data, and its fingerprint.

``handbook release`` records the approval of the current revision: it writes the
fingerprint of the content (:mod:`handbook.audit.fingerprint`) into the revision's
``history`` entry, then copies the data folder as released into the snapshot folder
:func:`snapshot_dir` — for the data folder ``source/org`` and revision ``B/1`` that is
``source/releases/B1/org`` (the layout of the example's ``source/releases/B0``), with a
``release.json`` beside it (revision, fingerprint, date, the files and their sha256).

The build and ``handbook check`` compare the data with the released content of its
revision (:func:`approval_state`): when it differs they warn ``changed-since-approval``,
naming what changed, and mark the site and the PDF as a draft of the next revision.
:func:`released` reads a release back (the previous release's data, for who must re-read
what). No Sphinx imports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from handbook import model as m
from handbook.audit import fingerprint as fpr
from handbook.audit.changes import Changes
from handbook.audit.datasets import DatasetError, load_folder
from handbook.problems import Code, Problem
from handbook.status import Status, builtin
from handbook.validate import check_dir

#: the folder of releases, beside the data folder
RELEASES = "releases"
MANIFEST = "release.json"


def token(revision: str) -> str:
    """The folder name of a revision: ``B/1`` -> ``B1`` (letters, digits, ``.``, ``-``, ``_`` kept)."""
    return re.sub(r"[^0-9A-Za-z._-]+", "", revision) or "revision"


def snapshot_dir(data_dir: Path | str, revision: str) -> Path:
    """Where the released data of ``revision`` is kept: ``<data>/../releases/<B1>/<data folder name>``."""
    data = Path(data_dir).absolute()
    return data.parent / RELEASES / token(revision) / data.name


def _revision_text(hb: m.Handbook) -> str:
    rev = hb.company.document.revision
    return rev.get(None) if rev is not None else ""


def released(data_dir: Path | str, revision: str) -> m.Handbook | None:
    """The handbook as ``revision`` was released (its snapshot), or None: no snapshot of it.

    Raises :class:`~handbook.audit.datasets.DatasetError` when the snapshot has errors."""
    folder = snapshot_dir(data_dir, revision)
    if not folder.is_dir():
        return None
    return load_folder(folder).handbook


def previous_release(data_dir: Path | str, hb: m.Handbook) -> tuple[str, m.Handbook] | None:
    """(revision, handbook) of the latest release before the current revision: the last
    ``history`` entry before the current one whose snapshot exists (None: none)."""
    doc = hb.company.document
    current = _revision_text(hb)
    entries = [h.revision.get(None) for h in doc.history]
    if current in entries:
        entries = entries[: entries.index(current)]
    for rev in reversed(entries):
        found = released(data_dir, rev)
        if found is not None:
            return rev, found
    return None


@dataclass(frozen=True)
class ApprovalState:
    """How the data stands to the released content of its revision."""

    revision: str
    current: str  # the fingerprint of the data
    released: str | None  # the fingerprint in the revision's history entry (None: not released)
    entry: m.Revision | None  # the revision's history entry

    @property
    def changed(self) -> bool:
        """Released, and the data differs from what was released."""
        return self.released is not None and self.released != self.current


def state(hb: m.Handbook) -> ApprovalState:
    doc = hb.company.document
    entry = doc.history_entry()
    written = entry.fingerprint.get(None) if entry is not None and entry.fingerprint is not None else None
    released_fp = (fpr.parse(written) or written) if written else None
    return ApprovalState(_revision_text(hb), fpr.fingerprint(hb), released_fp, entry)


def _(message: str) -> str:
    """Marks a marking text as a label to translate where it is shown (as in :mod:`handbook.status`)."""
    return message


def draft_status(draft: Status | None = None) -> Status:
    """The marking of data changed since its revision was approved: a draft of the next revision
    (``draft``: the project's draft status, whose watermark it keeps)."""
    draft = draft or builtin()["draft"]
    return replace(
        draft,
        key="draft",
        aliases=(),
        label=_("Draft of the next revision"),
        stamp=_("Draft of the next revision"),
        note=_("Draft · changed since the approved revision, not approved"),
        watermark=draft.watermark or "DRAFT",
        banner=_("Draft: the content has changed since the approved revision and is not approved."),
        statement=_(
            "This is a draft of the next revision: its content differs from the approved revision, "
            "and it must not be used as a reference."
        ),
        controlled=False,
    )


def changed_items(changes: Changes | None, language: str | None = None, limit: int = 8) -> str:
    """What changed, for a message: ``department 品质部 (duties), role qc-manager (fields) …``."""
    if changes is None:
        return ""
    parts = [f"document {', '.join(f.key for f in changes.document)}"] if changes.document else []
    if changes.company:
        parts.append(f"company {', '.join(f.key for f in changes.company)}")
    for o in changes.objects:
        parts.append(f"{o.kind} {o.title.get(language)} ({', '.join(o.aspects())})")
    more = len(parts) - limit
    return "; ".join(parts[:limit]) + (f"; and {more} more" if more > 0 else "")


def approval_state(
    hb: m.Handbook,
    data_dir: Path | str,
    language: str | None = None,
    statuses: Mapping[str, Status] | None = None,
) -> tuple[m.Handbook, list[Problem], Changes | None]:
    """The handbook as the pages show it, the ``changed-since-approval`` warning, and what changed.

    When the data differs from the released content of its revision, the status becomes a draft
    of the next revision (every page's marking) and one warning names what changed (compared with
    the revision's snapshot, when it is kept)."""
    st = state(hb)
    doc = hb.company.document
    if st.released is None and any(h.fingerprint for h in doc.history):  # releases are used: not this one yet
        problem = Problem(
            st.entry.source if st.entry is not None else hb.company.source,
            Code.NOT_RELEASED,
            f"revision {st.revision or '(none)'} has not been released",
            "the site and the PDF are marked as a draft until `handbook release` records its approval",
        )
        return _as_draft(hb, statuses), [problem], None
    if not st.changed:
        return hb, [], None
    changes: Changes | None = None
    note = ""
    try:
        old = released(data_dir, st.revision)
    except DatasetError as exc:
        old, note = None, f" (its snapshot cannot be read: {str(exc).splitlines()[-1]})"
    if old is not None:
        from handbook.audit.compare import compare

        changes = compare(old, hb)
    elif not note:
        note = f" (no snapshot in {snapshot_dir(data_dir, st.revision)} to name the changes)"
    what = changed_items(changes, language)
    assert st.entry is not None and st.released is not None
    problem = Problem(
        st.entry.source if st.entry.source.path != "<none>" else hb.company.source,
        Code.CHANGED_SINCE_APPROVAL,
        f"the data has changed since revision {st.revision} was released "
        f"(fingerprint {fpr.short(st.released)}, now {fpr.short(st.current)})" + (f": {what}" if what else "") + note,
        f"the site and the PDF are marked as a draft; set `revision` to the next revision, add its `history` "
        f"entry and run `handbook release`, or undo the edit to return to the approved {st.revision}",
    )
    return _as_draft(hb, statuses), [problem], changes


def _as_draft(hb: m.Handbook, statuses: Mapping[str, Status] | None) -> m.Handbook:
    doc = hb.company.document
    marked = replace(hb.company, document=replace(doc, status=draft_status((statuses or {}).get("draft"))))
    return replace(hb, company=marked)


# -- writing a release -------------------------------------------------------------------------------
class ReleaseError(Exception):
    """The release is refused: the message says where and why, and what to do."""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_fingerprint(entry: m.Revision, fp: str) -> None:
    """Write ``fingerprint: <fp>`` into the history entry where it was written (its file and line)."""
    src = entry.source
    path = Path(src.path)
    if not src.line or not path.is_file():
        raise ReleaseError(f"the history entry of {entry.revision} has no known place in the files")
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    i = src.line - 1
    line = lines[i]
    col = src.column - 1
    newline = "\r\n" if line.endswith("\r\n") else "\n"
    if line[col : col + 1] == "{":  # a flow mapping: {revision: B/1, date: …}
        lines[i] = line[: col + 1] + f"fingerprint: '{fp}', " + line[col + 1 :]
    else:  # a block mapping: its first key starts at the column; the new key goes below it
        body = line[:col]
        indent = " " * len(body)
        j = i + 1
        while j < len(lines) and (not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip(" ")) > len(indent)):
            j += 1  # past the first key's own continuation lines
        lines.insert(j, f"{indent}fingerprint: '{fp}'{newline}")
        if not line.endswith(("\n", "\r")):
            lines[i] = line + newline
    path.write_text("".join(lines), encoding="utf-8")


def _copy_snapshot(data_dir: Path, target: Path, hb: m.Handbook, fp: str, today: dt.date) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".release-", dir=target.parent))
    try:
        staged = tmp / target.name
        shutil.copytree(data_dir, staged, ignore=shutil.ignore_patterns(".*", "__pycache__", "*.bak", "*~"))
        files = sorted(p for p in staged.rglob("*") if p.is_file())
        manifest = {
            "revision": _revision_text(hb),
            "fingerprint": fp,
            "released": today.isoformat(),
            "data": target.name,
            "files": {p.relative_to(staged).as_posix(): _sha256(p) for p in files},
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        (target.parent / MANIFEST).unlink(missing_ok=True)
        staged.rename(target)
        (tmp / MANIFEST).rename(target.parent / MANIFEST)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@dataclass(frozen=True)
class Released:
    revision: str
    fingerprint: str
    snapshot: Path
    already: bool  # the revision was released with this content before (nothing written but a missing snapshot)


def release(
    data_dir: Path | str,
    hb: m.Handbook,
    today: dt.date | None = None,
    statuses: Mapping[str, Status] | None = None,
) -> Released:
    """Record the approval of the current revision of ``hb`` (read from ``data_dir`` without errors).

    Raises :class:`ReleaseError` when it cannot: no revision, no history entry for it, no approval,
    or the revision was released with other content (then a new revision is needed)."""
    data = Path(data_dir)
    doc = hb.company.document
    revision = _revision_text(hb)
    where = hb.company.source
    if not revision:
        raise ReleaseError(f"{where}: the document has no `revision`: give `document: {{revision: A/0}}`")
    entry = doc.history_entry()
    if entry is None:
        raise ReleaseError(
            f"{where}: revision {revision} has no `history` entry: add "
            f"`{{revision: {revision}, date: …, author: …, approved_by: …, summary: …}}` to `history`, "
            "then release"
        )
    if doc.approved_by is None:
        raise ReleaseError(f"{where}: revision {revision} has no `approved_by`: record who approved it, then release")
    st = state(hb)
    target = snapshot_dir(data, revision)
    if st.released is not None:
        if st.changed:
            raise ReleaseError(
                f"{entry.source}: revision {revision} was released with other content (fingerprint "
                f"{fpr.short(st.released)}; the data now has {fpr.short(st.current)}): a released revision "
                "is not changed. Start a new revision: set `revision` to the next one (e.g. "
                f"{next_revision(revision)}), add its `history` entry, have it approved, then release it"
            )
        if not target.is_dir():
            _copy_snapshot(data, target, hb, st.current, today or dt.date.today())
        return Released(revision, st.current, target, already=True)
    path = Path(entry.source.path)
    before = path.read_bytes() if path.is_file() else b""
    write_fingerprint(entry, st.current)
    reread = check_dir(str(data), statuses=statuses)
    after = reread.handbook.company.document.history_entry() if reread.handbook is not None else None
    if after is None or after.fingerprint is None or after.fingerprint.get(None) != st.current:
        path.write_bytes(before)  # the file as it was: the edit did not read back
        raise ReleaseError(
            f"{entry.source}: the fingerprint could not be written into this history entry; add "
            f"`fingerprint: '{st.current}'` to it by hand and release again"
        )
    _copy_snapshot(data, target, hb, st.current, today or dt.date.today())
    return Released(revision, st.current, target, already=False)


def next_revision(revision: str) -> str:
    """``B/1`` -> ``B/2``; ``A0`` -> ``A1``; else the revision with ``+1``."""
    found = re.search(r"(\d+)(?!.*\d)", revision)
    if not found:
        return revision + "+1"
    return revision[: found.start()] + str(int(found.group(1)) + 1) + revision[found.end() :]


def identity(data_dir: Path | str) -> str:
    """What identifies the releases kept beside ``data_dir``, cheaply ("" when there are none)."""
    from handbook.validate.located_yaml import fingerprint

    folder = Path(data_dir).absolute().parent / RELEASES
    if not folder.is_dir():
        return ""
    return "releases:" + "".join(
        f"{p.name}={fingerprint(p / Path(data_dir).name)};" for p in sorted(folder.iterdir()) if p.is_dir()
    )
