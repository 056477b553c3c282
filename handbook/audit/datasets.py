"""Load a data set to compare: a folder, or the data folder as it was at a git revision.

``handbook diff B0 HEAD`` and the ``handbook_baseline`` setting name either a folder of
YAML files or a git revision (a tag such as ``B0``, a branch, a commit). A revision is
read with ``git archive`` into a temporary folder — the user's work tree and index are
never touched — and checked like any folder; messages name the files as
``B0:source/org/company.yaml:12:5``. No Sphinx imports.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from handbook import model as m
from handbook.problems import Problem, Source
from handbook.validate import check_dir


class DatasetError(Exception):
    """A data set cannot be read: the message says why and what to do."""


@dataclass(frozen=True)
class Dataset:
    handbook: m.Handbook
    label: str  # the document's revision, else the spec
    source: str  # "source/org", or "B0:source/org"
    warnings: tuple[Problem, ...] = ()


def _git(args: list[str], cwd: Path, binary: bool = False) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=not binary, timeout=120)
    except FileNotFoundError:
        raise DatasetError("git is not installed, so a git revision cannot be read (give a folder instead)") from None
    except subprocess.TimeoutExpired:
        raise DatasetError(f"`git {' '.join(args)}` took too long") from None


def _existing(path: Path) -> Path:
    """The folder itself, or its nearest existing parent (the data folder may be gone in the work tree)."""
    path = path.absolute()
    while not path.is_dir() and path != path.parent:
        path = path.parent
    return path


def repository_of(data_dir: Path) -> tuple[Path, str]:
    """(the git work tree holding ``data_dir``, the data folder's path inside it, posix)."""
    here = _existing(data_dir)
    top = _git(["rev-parse", "--show-toplevel"], here)
    if top.returncode != 0:
        raise DatasetError(f"{data_dir} is not in a git repository, so a revision cannot be read from it")
    root = Path(top.stdout.strip())
    try:
        rel = data_dir.absolute().resolve().relative_to(root.resolve())
    except ValueError:
        raise DatasetError(f"{data_dir} is not inside the git repository {root}") from None
    return root, rel.as_posix()


def resolve_revision(root: Path, revision: str) -> str | None:
    """The commit a revision names (None: no such revision)."""
    if revision.startswith("-"):
        return None
    found = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"], root)
    return found.stdout.strip() if found.returncode == 0 and found.stdout.strip() else None


def _relabel(p: Problem, tmp: str, shown: str) -> Problem:
    def fix(s: Source) -> Source:
        return replace(s, path=s.path.replace(tmp, shown, 1)) if s.path.startswith(tmp) else s

    return replace(p, source=fix(p.source), related=tuple(fix(r) for r in p.related))


def _label(hb: m.Handbook, fallback: str) -> str:
    rev = hb.company.document.revision
    return rev.get(None) if rev is not None else fallback


def _checked(
    folder: str, shown_source: str, tmp_prefix: str | None = None, shown_prefix: str = ""
) -> tuple[m.Handbook, tuple[Problem, ...]]:
    result = check_dir(folder)
    problems = result.problems
    if tmp_prefix is not None:
        problems = [_relabel(p, tmp_prefix, shown_prefix) for p in problems]
    if result.handbook is None:
        shown = "\n".join(p.format() for p in problems if p.is_error)
        n = len(result.errors)
        raise DatasetError(
            f"{shown}\n{shown_source}: {n} error{'s' if n != 1 else ''} in the data; it cannot be compared"
        )
    return result.handbook, tuple(p for p in problems if not p.is_error)


def load_folder(folder: Path) -> Dataset:
    if not folder.is_dir():
        raise DatasetError(f"{folder} is not a folder")
    shown = _display(folder)
    hb, warnings = _checked(str(folder), shown)
    return Dataset(hb, _label(hb, shown), shown, warnings)


def load_revision(revision: str, data_dir: Path) -> Dataset:
    """The data folder ``data_dir`` as it was at ``revision`` of its git repository."""
    root, rel = repository_of(data_dir)
    commit = resolve_revision(root, revision)
    if commit is None:
        raise DatasetError(
            f"`{revision}` is neither a folder nor a git revision of the repository at {root} "
            "(a tag, a branch or a commit; `git tag` lists the tags)"
        )
    listed = _git(["ls-tree", "-d", "--name-only", commit, "--", rel], root)
    if rel != "." and (listed.returncode != 0 or not listed.stdout.strip()):
        raise DatasetError(f"revision `{revision}` has no folder {rel} (the data folder)")
    archive = _git(["archive", "--format=tar", commit, "--", rel], root, binary=True)
    if archive.returncode != 0:
        message = archive.stderr.decode("utf-8", "replace").strip()
        raise DatasetError(f"git could not read {rel} at `{revision}`: {message}")
    shown_source = f"{revision}:{rel}"
    tmp = tempfile.mkdtemp(prefix="handbook-baseline-")
    try:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(tmp, filter="data")
            else:  # pragma: no cover - Python before 3.11.4
                tar.extractall(tmp)
        folder = os.path.join(tmp, rel)
        hb, warnings = _checked(folder, shown_source, _display(Path(folder)), shown_source)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return Dataset(hb, _label(hb, revision), shown_source, warnings)


def _display(path: Path) -> str:
    from handbook.problems import display_path

    return display_path(path)


def identity(spec: str, data_dir: Path, base: Path | None = None) -> str:
    """What identifies the data set ``spec`` names, cheaply (no parsing): a folder's
    fingerprint, or the commit a revision resolves to ("" when it names nothing)."""
    from handbook.validate.located_yaml import fingerprint

    folder = Path(spec) if base is None else (base / spec)
    if spec and folder.is_dir():
        return "folder:" + fingerprint(folder)
    try:
        root, rel = repository_of(data_dir)
    except DatasetError:
        return ""
    commit = resolve_revision(root, spec.strip())
    return f"git:{commit}:{rel}" if commit else ""


def load(spec: str, data_dir: Path, base: Path | None = None) -> Dataset:
    """A data set named by ``spec``: a folder (relative to ``base``, default the working
    folder), else a git revision of the repository holding ``data_dir``."""
    folder = Path(spec) if base is None else (base / spec)
    if spec and folder.is_dir():
        return load_folder(folder)
    if not spec.strip():
        raise DatasetError("no data set given")
    return load_revision(spec.strip(), data_dir)
