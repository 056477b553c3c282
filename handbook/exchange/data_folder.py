"""Writing a checked handbook into a data folder without losing anything.

Into a folder without data the files are written. Into a folder holding data the
changes are listed object by object (added, removed, which fields changed) and nothing
is written unless asked (``--force``); then the data files being replaced are first
moved into ``_backup/<date-time>/`` inside the folder (the loader skips folders
starting with ``_``), so every earlier version stays recoverable. No Sphinx imports.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handbook.exchange import yaml_out as dump
from handbook import model as m
from handbook.validate.located_yaml import DATA_SUFFIXES

BACKUP_DIR = "_backup"


@dataclass
class Change:
    sign: str  # "+" added, "-" removed, "~" changed
    kind: str
    ident: str
    title: str
    fields: tuple[str, ...] = ()

    def format(self) -> str:
        what = f"{self.sign} {self.kind} `{self.ident}` {self.title}".rstrip()
        return what + (": " + ", ".join(self.fields) if self.fields else "")


def _objects(hb: m.Handbook) -> dict[tuple[str, str], tuple[str, dict[str, Any]]]:
    out: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
    out[("company", "")] = (hb.company.name.get("zh_CN"), dump.company(hb.company))
    for kind in m.OBJECT_KINDS:
        for ident, obj in hb.store(kind).items():
            out[(kind, ident)] = (hb.title(kind, ident).get("zh_CN"), dump.fields(obj, kind))  # type: ignore[union-attr]
    for p in hb.people:
        key = p.id or p.name.get("zh_CN")
        n = 2
        while ("person", key) in out:  # two people of the same name without ids
            key = f"{p.id or p.name.get('zh_CN')} ({n})"
            n += 1
        out[("person", key)] = (p.name.get("zh_CN") if p.id else "", dump.fields(p, "person"))
    return out


def diff(old: m.Handbook, new: m.Handbook) -> list[Change]:
    """What changes, object by object, from ``old`` to ``new``."""
    a, b = _objects(old), _objects(new)
    out: list[Change] = []
    for key, (title, data) in b.items():
        if key not in a:
            out.append(Change("+", key[0], key[1], title))
        elif a[key][1] != data:
            before = a[key][1]
            changed = tuple(k for k in dict.fromkeys([*before, *data]) if before.get(k) != data.get(k))
            out.append(Change("~", key[0], key[1], title, changed))
    for key, (title, _) in a.items():
        if key not in b:
            out.append(Change("-", key[0], key[1], title))
    return out


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


def replace(folder: Path, plan: dict[str, str], now: dt.datetime | None = None) -> Outcome:
    """Move the folder's data files into a new backup folder, then write the plan."""
    out = Outcome()
    existing = data_files(folder)
    if existing:
        stamp = (now or dt.datetime.now()).strftime("%Y-%m-%dT%H-%M-%S")
        backup = folder / BACKUP_DIR / stamp
        n = 2
        while backup.exists():
            backup = folder / BACKUP_DIR / f"{stamp}-{n}"
            n += 1
        for path in existing:
            dest = backup / path.relative_to(folder)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(path), dest)
        out.backup = backup
    out.written = dump.write_files(plan, folder)
    return out
