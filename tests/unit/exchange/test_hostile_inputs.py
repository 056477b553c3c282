"""The hostile corpus (:mod:`hostile_corpus`): each file gives exactly its expected line and exit
status, in a real `handbook` process under a memory limit — no traceback, never exhausted."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from hostile_corpus import make

MEMORY = 1536 * 1024 * 1024  # address space: far below what the bombs needed (2-3 GB and more)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    return folder, {c.name: c for c in make(folder)}


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


NAMES = [
    "strings-bomb.xlsx",
    "many-cells.xlsx",
    "stray-cell.xlsx",
    "merged-sheet.xlsx",
    "laughs.xlsx",
    "external-entity.xlsx",
    "corrupt-part.xlsx",
    "strict.xlsx",
    "encrypted.xlsx",
    "old.xlsx",
    "calc.xlsx",
    "calc.ods",
    "text.xlsx",
    "formula.xlsx",
    "hidden-lists.xlsx",
    "big5.csv",
    "roles.csv",
    "laughs-org",
]


@pytest.mark.parametrize("name", NAMES)
def test_each_hostile_file_gives_its_line(corpus, name, tmp_path):
    folder, cases = corpus
    case = cases[name]
    if case.command == "import":
        args = ["import", case.name, "--to", str(tmp_path / "org")]
    else:
        args = ["check", case.name]
    proc = subprocess.run(
        [sys.executable, "-m", "handbook", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_limited,
    )
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out and "MemoryError" not in out, out
    assert proc.returncode == case.status, out
    assert case.line in out.splitlines(), out


def test_the_corpus_is_all_tested(corpus):
    assert sorted(corpus[1]) == sorted(NAMES)
