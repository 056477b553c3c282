"""Writing a checked handbook into a data folder without losing anything.

Into a folder without data the files are written. Into a folder holding data nothing
is written unless asked (``--force``; ``handbook import`` first lists what would change,
object by object: :func:`handbook.audit.change_report.listing`).

The new folder is made complete beside the target first (``.org.import-<pid>/``: the new
data files, and every other file of the folder as a hard link), then swapped in with one
rename (``renameat2(RENAME_EXCHANGE)`` where the system has it), so an import killed at any
moment leaves the old data or the new, never a mix. Only the *handbook's* data files (a
YAML file with ``company:``, ``departments:``, ``roles:``, ``people:`` or ``processes:`` at the
top) are replaced; they go into ``_backup/<folder name>/<date-time>/`` beside the folder
(:func:`backup_root`), so every earlier version stays recoverable and none is published,
exported or checked with the data. A project's other files (``mkdocs.yml``,
``sub/config.yaml``) stay where they are, untouched (the same file, linked into the new
folder). What an interrupted import left beside the folder is cleared by the next one.
No Sphinx imports.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from handbook.exchange import yaml_out as dump
from handbook.schema import KINDS
from handbook.validate.located_yaml import DATA_SUFFIXES

BACKUP_DIR = "_backup"
#: inside a folder being prepared, until it is swapped in: a leftover with it was never in use
_NEW_MARK = ".handbook-import-new"
#: a line starting with one of the top-level keys of a data file (schema ``file``)
_TOP_KEY = re.compile(
    rb"^(?:" + b"|".join(re.escape(k.encode()) for k in KINDS["file"].keys()) + rb")[ \t]*:", re.MULTILINE
)


def backup_root(folder: Path) -> Path:
    """Where the backups of a data folder go: ``_backup/<its name>/`` beside it, outside the
    data (``org/`` -> ``_backup/org/``), so the project's ``.gitignore`` leaves them out."""
    folder = folder.resolve()
    return folder.parent / BACKUP_DIR / folder.name


def data_files(folder: Path) -> list[Path]:
    """The data files of a folder (as the loader finds them)."""
    if not folder.is_dir():
        return []
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith((".", "_"))]
        found += [Path(dirpath) / n for n in filenames if n.endswith(DATA_SUFFIXES) and not n.startswith(".")]
    return sorted(found)


def is_handbook_data(path: Path) -> bool:
    """A YAML file of the handbook (one of its top-level keys), not a project's other YAML."""
    try:
        with path.open("rb") as f:
            head = f.read(1 << 20)
    except OSError:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 (a mistake the loader names): its keys
        with contextlib.suppress(UnicodeDecodeError):
            head = head.decode("utf-16").encode("utf-8")
    return _TOP_KEY.search(head.removeprefix(b"\xef\xbb\xbf")) is not None


def handbook_files(folder: Path) -> list[Path]:
    """The data files an import replaces."""
    return [p for p in data_files(folder) if is_handbook_data(p)]


@dataclass
class Outcome:
    written: list[Path] = field(default_factory=list)
    backup: Path | None = None
    kept: list[Path] = field(default_factory=list)  # files already holding their data: not rewritten


def same_data(path: Path, text: str) -> bool:
    """Whether a data file holds the data ``text`` would write (its comments and layout aside)."""
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) == yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False


def _staging(folder: Path) -> str:
    return f".{folder.name}.import-"


def _new_backup(folder: Path, now: dt.datetime | None) -> Path:
    stamp = (now or dt.datetime.now()).strftime("%Y-%m-%dT%H-%M-%S")
    root = backup_root(folder)
    backup = root / stamp
    n = 2
    while backup.exists():
        backup = root / f"{stamp}-{n}"
        n += 1
    return backup


def _move_data(old_tree: Path, backup: Path, names: list[str]) -> bool:
    """The replaced data files of a swapped-out tree into the backup; True when any were."""
    moved = False
    for rel in names:
        src = old_tree / rel
        if src.is_file() and not src.is_symlink():
            dest = backup / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dest)
            moved = True
    return moved


def recover(folder: Path, now: dt.datetime | None = None) -> Path | None:
    """Clear what an interrupted import left beside ``folder``: a folder never swapped in is
    removed; the old folder of a finished swap gives its data files to a backup (returned)."""
    folder = Path(os.path.abspath(folder))
    backup = None
    with contextlib.suppress(OSError):
        (folder / _NEW_MARK).unlink()  # swapped in, the mark not yet removed
    parent = folder.parent
    if not parent.is_dir():
        return None
    if not folder.exists():  # killed between the two renames of a system without an exchange: put it back
        for entry in sorted(parent.glob(f"{_staging(folder)}*-old")):
            os.rename(entry, folder)
            break
    for entry in sorted(parent.iterdir()):
        if not entry.name.startswith(_staging(folder)) or not entry.is_dir() or entry.is_symlink():
            continue
        if not (entry / _NEW_MARK).exists():  # the old data of a finished swap
            names = [p.relative_to(entry).as_posix() for p in handbook_files(entry)]
            if names:
                backup = backup or _new_backup(folder, now)
                _move_data(entry, backup, names)
        shutil.rmtree(entry, ignore_errors=True)
    return backup


def _link_tree(src: Path, dest: Path, skip: set[str]) -> None:
    """``dest`` as ``src`` without the files in ``skip``: files hard-linked (copied where a
    link cannot be made), symbolic links as links, folders made with their mode."""
    for dirpath, dirnames, filenames in os.walk(src):
        rel = Path(dirpath).relative_to(src)
        target_dir = dest / rel
        for d in dirnames:
            s = Path(dirpath) / d
            if s.is_symlink():
                os.symlink(os.readlink(s), target_dir / d)
            else:
                (target_dir / d).mkdir()
                shutil.copymode(s, target_dir / d)
        dirnames[:] = [d for d in dirnames if not (Path(dirpath) / d).is_symlink()]
        for name in filenames:
            r = (rel / name).as_posix()
            if r in skip:
                continue
            s, t = Path(dirpath) / name, target_dir / name
            if s.is_symlink():
                os.symlink(os.readlink(s), t)
            elif s.is_file():
                try:
                    os.link(s, t)
                except OSError:
                    shutil.copy2(s, t)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2``); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV, errno.EBUSY):
        return False
    raise OSError(err, os.strerror(err), str(b))


def replace(folder: Path, plan: dict[str, str], now: dt.datetime | None = None) -> Outcome:
    """Make the folder hold the plan's data files: old data into a new backup, the rest untouched.
    A file of the plan that is there already holding the same data stays as it is, with its
    comments (an import after a one-cell change rewrites the one file that holds the change)."""
    out = Outcome()
    folder = Path(os.path.realpath(folder))  # a link to the data folder: the folder itself
    out.backup = recover(folder, now)
    kept = {n for n in plan if (folder / n).is_file() and same_data(folder / n, plan[n])}
    out.kept = sorted(folder / n for n in kept)
    plan = {n: text for n, text in plan.items() if n not in kept}
    stage = folder.parent / f"{_staging(folder)}{os.getpid()}"
    if stage.exists():
        shutil.rmtree(stage)
    folder.parent.mkdir(parents=True, exist_ok=True)
    stage.mkdir()
    (stage / _NEW_MARK).touch()
    replaced: list[str] = []
    if folder.is_dir():
        shutil.copymode(folder, stage)
        replaced = [p.relative_to(folder).as_posix() for p in handbook_files(folder)]
        replaced = [n for n in replaced if n not in kept]
        # a file of the plan also replaces a non-data file of that name (as writing it always did)
        replaced += [n for n in plan if n not in replaced and (folder / n).exists()]
        _link_tree(folder, stage, set(replaced))
    dump.write_files(plan, stage)
    if not folder.exists():
        os.rename(stage, folder)  # nothing to swap with
    elif _exchange(stage, folder):
        pass  # the stage now holds the old folder
    else:  # no atomic exchange here: two renames, the old folder kept until the new one is in place
        old = folder.parent / f"{_staging(folder)}{os.getpid()}-old"
        os.rename(folder, old)
        os.rename(stage, folder)
        os.rename(old, stage)
    with contextlib.suppress(OSError):
        (folder / _NEW_MARK).unlink()
    if stage.exists():
        backup = out.backup or _new_backup(folder, now)
        if _move_data(stage, backup, replaced):
            out.backup = backup
        shutil.rmtree(stage, ignore_errors=True)
    out.written = [folder / name for name in plan]
    return out
