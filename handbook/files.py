"""Writing output files: only when their content changes, and never half.

A file Sphinx or a browser reads is rewritten only when its text changes (an unchanged
file keeps its time, so nothing downstream is redone), and it is written to a temporary
file beside it and renamed over it, so a build killed while writing leaves the old
file or the new one, never a truncated one. No Sphinx.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """``path`` holds ``data`` afterwards, or (if interrupted) what it held before."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` (UTF-8) unless ``path`` holds it already; True when written."""
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except (FileNotFoundError, NotADirectoryError):
        pass
    write_atomic(path, data)
    return True


def copy_if_changed(src: Path, dest: Path) -> bool:
    """Copy ``src`` to ``dest`` unless it holds the same bytes already; True when copied."""
    data = src.read_bytes()
    try:
        if dest.read_bytes() == data:
            return False
    except (FileNotFoundError, NotADirectoryError):
        pass
    write_atomic(dest, data)
    return True
