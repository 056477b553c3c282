"""`handbook import --force` is atomic and replaces only the handbook's data (issue 28, item 3).

A real `handbook import` process of a large generated workbook is killed with SIGKILL while
it writes: the folder still holds the old data, complete; the next import completes. A
project's other files in the folder are never moved or changed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from handbook.cli import main
from handbook.exchange import data_folder as datadir
from handbook.exchange import yaml_out as dump
from handbook.validate import check_dir

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "source" / "org"


def data(folder) -> dict:
    result = check_dir(str(folder))
    assert result.handbook is not None, [p.format() for p in result.errors]
    return dump.handbook(result.handbook)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}.import-"))


def changed_book(tmp_path: Path) -> Path:
    book = tmp_path / "book.xlsx"
    assert main(["export", str(EXAMPLE), "--to", str(book)]) == 0
    wb = load_workbook(book)
    people = wb["人员"]
    people.delete_rows(next(r[0].row for r in people.iter_rows(min_row=2) if r[0].value == "gao-feng"))
    wb.save(book)
    return book


def test_only_the_handbooks_data_files_are_replaced(tmp_path):
    org = tmp_path / "org"
    shutil.copytree(EXAMPLE, org)
    (org / "mkdocs.yml").write_text("site_name: 手册\nnav:\n  - index.md\n", encoding="utf-8")
    (org / "sub").mkdir()
    (org / "sub" / "config.yaml").write_text("theme: dark\n", encoding="utf-8")
    (org / "notes.txt").write_text("keep me\n", encoding="utf-8")
    (org / ".git").mkdir()
    (org / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (org / "link.yaml").symlink_to("sub/config.yaml")
    others = ("mkdocs.yml", "sub/config.yaml", "notes.txt", ".git/HEAD")
    before = {n: ((org / n).read_bytes(), (org / n).stat().st_ino) for n in others}
    data_before = {p.name: p.read_bytes() for p in EXAMPLE.iterdir()}
    book = changed_book(tmp_path)
    assert main(["import", str(book), "--to", str(org), "--force"]) == 0
    # the other files are the same files, with the same contents, where they were
    assert {n: ((org / n).read_bytes(), (org / n).stat().st_ino) for n in others} == before
    assert (org / "link.yaml").is_symlink() and os.readlink(org / "link.yaml") == "sub/config.yaml"
    # the backup holds exactly the data files replaced
    (backup,) = (tmp_path / "_backup" / "org").iterdir()
    backed = {p.relative_to(backup).as_posix(): p.read_bytes() for p in backup.rglob("*") if p.is_file()}
    # (a data file that already held its data is left as it was, not rewritten, not backed up)
    assert backed == {n: b for n, b in data_before.items() if n in backed}
    assert {n for n in data_before if n not in backed} <= {
        n for n in data_before if (org / n).is_file() and (org / n).read_bytes() == data_before[n]
    }
    assert "people.yaml" in backed
    assert leftovers(org) == [] and not (org / ".handbook-import-new").exists()
    people = [p for p in (org / "people.yaml").read_text(encoding="utf-8").splitlines() if "gao-feng" in p]
    assert people == []


def test_what_counts_as_the_handbooks_data(tmp_path):
    cases = {
        "a.yaml": b"company:\n  name: X\n",
        "b.yaml": b"\xef\xbb\xbf# comment\nroles:\n  - id: r\n",
        "c.yaml": b"\xef\xbb\xbfpeople: []\n",
        "d.yaml": "departments:\n  - id: d\n".encode("utf-16"),
        "mkdocs.yml": b"site_name: x\nnav:\n  - roles: roles.md\n",
        "e.yaml": b"theme:\n  company: nested, not at the top\n",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    assert [p.name for p in datadir.handbook_files(tmp_path)] == ["a.yaml", "b.yaml", "c.yaml", "d.yaml"]


def test_a_folder_with_other_yaml_only_is_written_without_force(tmp_path, capsys):
    org = tmp_path / "project"
    org.mkdir()
    (org / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    assert main(["import", str(changed_book(tmp_path)), "--to", str(org)]) == 0
    assert (org / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: x\n"
    assert (org / "company.yaml").is_file() and not (tmp_path / "_backup").exists()


def test_what_an_interrupted_import_left_is_cleared(tmp_path):
    org = tmp_path / "org"
    shutil.copytree(EXAMPLE, org)
    # killed before the swap: a complete-looking folder with the mark; it was never the data
    never = tmp_path / ".org.import-111"
    shutil.copytree(EXAMPLE, never)
    (never / ".handbook-import-new").touch()
    # killed after the swap: the old folder, its data not yet in the backup
    old = tmp_path / ".org.import-222"
    shutil.copytree(EXAMPLE, old)
    (old / "old-only.yaml").write_text("company:\n  name: 旧\n", encoding="utf-8")
    (org / ".handbook-import-new").touch()  # the swapped-in folder's mark, not yet removed
    backup = datadir.recover(org)
    assert backup is not None and (backup / "old-only.yaml").is_file() and (backup / "company.yaml").is_file()
    assert leftovers(org) == [] and not (org / ".handbook-import-new").exists()
    assert data(org) == data(EXAMPLE)


def test_without_an_exchange_the_two_renames_keep_the_old_folder(tmp_path, monkeypatch):
    org = tmp_path / "org"
    shutil.copytree(EXAMPLE, org)
    monkeypatch.setattr(datadir, "_exchange", lambda a, b: False)
    assert main(["import", str(changed_book(tmp_path)), "--to", str(org), "--force"]) == 0
    assert "gao-feng" not in {p["id"] for p in data(org)["people"]}
    assert leftovers(org) == [] and len(list((tmp_path / "_backup" / "org").iterdir())) == 1
    # killed between the renames: the folder is missing, the old one beside it is put back
    os.rename(org, tmp_path / ".org.import-333-old")
    datadir.recover(org)
    assert "gao-feng" not in {p["id"] for p in data(org)["people"]} and leftovers(org) == []


@pytest.fixture(scope="module")
def big_book(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("big")
    subprocess.run(
        [sys.executable, "-m", "bench.make_org", "1500", "--out", str(base / "big")],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    assert main(["export", str(base / "big"), "--to", str(base / "big.xlsx")]) == 0
    return base / "big", base / "big.xlsx"


def _import(book: Path, org: Path) -> subprocess.Popen:
    log = (org.parent / "import.log").open("ab")  # (a pipe nobody reads would stop it at the change listing)
    return subprocess.Popen(
        [sys.executable, "-m", "handbook", "import", str(book), "--to", str(org), "--force"],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=org.parent,
    )


@pytest.mark.slow
def test_an_import_killed_while_writing_leaves_the_old_data_and_the_next_completes(tmp_path, big_book):
    big, book = big_book
    org = tmp_path / "org"
    shutil.copytree(EXAMPLE, org)
    old = data(org)
    old_files = {p.name: p.read_bytes() for p in org.iterdir()}
    new = data(big)
    outcomes = []
    # killed at the moment its new folder appears beside the target (writing), and again
    # once some of the new files are written
    for written in (0, 40):
        proc = _import(book, org)
        deadline = time.monotonic() + 300
        killed = False
        while time.monotonic() < deadline and proc.poll() is None:
            stages = [p for p in tmp_path.iterdir() if p.name.startswith(".org.import-")]
            if stages and (written == 0 or len(list(stages[0].iterdir())) >= written):
                proc.send_signal(signal.SIGKILL)
                killed = True
                break
            time.sleep(0.001)
        proc.wait()
        assert killed and proc.returncode == -signal.SIGKILL, (tmp_path / "import.log").read_text()
        # the folder holds the old data, complete (not one file more or less), or the new
        now = data(org)
        assert now in (old, new)
        if now == old:
            assert {p.name: p.read_bytes() for p in org.iterdir()} == old_files
        outcomes.append("old" if now == old else "new")
    assert "old" in outcomes  # a kill did land while the new folder was being written
    # the next import completes, and clears what the killed ones left
    proc = _import(book, org)
    proc.wait(timeout=600)
    assert proc.returncode == 0, (tmp_path / "import.log").read_text()
    assert data(org) == new
    assert leftovers(org) == [] and not (org / ".handbook-import-new").exists()
    backups = list((tmp_path / "_backup" / "org").iterdir())
    assert {p.name: p.read_bytes() for p in backups[0].iterdir()} == old_files
