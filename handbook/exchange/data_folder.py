"""Writing a checked handbook into a data folder without losing anything.

Into a folder without data the files are written. Into a folder holding data nothing
is written unless asked (``--force``; ``handbook import`` first lists what would change,
object by object: :func:`handbook.audit.change_report.listing`); then the data files
being replaced are first moved into ``_backup/<folder name>/<date-time>/`` beside the
folder (:func:`backup_root`), so every earlier version stays recoverable and none is
published, exported or checked with the data.
No Sphinx imports.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from handbook.exchange import yaml_out as dump
from handbook.validate.located_yaml import DATA_SUFFIXES

BACKUP_DIR = "_backup"


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


def replace(folder: Path, plan: dict[str, str], now: dt.datetime | None = None) -> Outcome:
    """Move the folder's data files into a new backup folder, then write the plan. A file of
    the plan that is there already holding the same data stays as it is, with its comments
    (an import after a one-cell change rewrites the one file that holds the change)."""
    out = Outcome()
    kept = {n for n in plan if (folder / n).is_file() and same_data(folder / n, plan[n])}
    out.kept = sorted(folder / n for n in kept)
    plan = {n: text for n, text in plan.items() if n not in kept}
    existing = [p for p in data_files(folder) if p not in out.kept]
    if existing:
        stamp = (now or dt.datetime.now()).strftime("%Y-%m-%dT%H-%M-%S")
        root = backup_root(folder)
        backup = root / stamp
        n = 2
        while backup.exists():
            backup = root / f"{stamp}-{n}"
            n += 1
        for path in existing:
            dest = backup / path.relative_to(folder)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(path), dest)
        out.backup = backup
    out.written = dump.write_files(plan, folder)
    return out
