"""A build killed while it writes is completed by the next one (issue 28, item 4).

A real ``sphinx-build`` process is killed with SIGKILL once it has written part of the
pages; the next (incremental) build must write the same search index, suggestions and
handbook.json as a clean build — never a short index. Without the marker the pages already
written look current to Sphinx, and the index never holds them again.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from handbook.site.build_marker import MARKER

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _build(src: Path, out: Path) -> subprocess.Popen:
    log = (out.parent / f"{out.name}.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "sphinx", "-b", "html", "-d", str(out / ".doctrees"), str(src), str(out)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _finish(src: Path, out: Path) -> None:
    proc = _build(src, out)
    assert proc.wait(timeout=900) == 0, (out.parent / f"{out.name}.log").read_text()


def _search_files(out: Path) -> dict[str, bytes]:
    data = out / "_static" / "handbook-search"
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in data.glob("*.js")}
    files["handbook.json"] = (out / "handbook.json").read_bytes()
    files["searchindex.js"] = (out / "searchindex.js").read_bytes()
    return files


def _text(page: Path) -> str:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" ", strip=True)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("interrupted") / "src"
    src.mkdir()
    for name in ("conf.py", "index.rst"):
        shutil.copy(ROOT / "tests" / "roots" / "test-search-zh" / name, src / name)
    subprocess.run(
        [sys.executable, "-m", "bench.make_org", "150", "--out", str(src / "org")],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return src


def test_a_build_killed_while_writing_is_completed_by_the_next(project, tmp_path):
    clean = tmp_path / "clean"
    _finish(project, clean)
    assert not (clean / MARKER).exists()
    pages = len(list(clean.rglob("*.html")))
    assert pages > 150

    out = tmp_path / "out"
    proc = _build(project, out)
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline and proc.poll() is None:
        if out.is_dir() and len(list((out / "roles").glob("*.html")) if (out / "roles").is_dir() else ()) >= 40:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.05)
    assert proc.wait() == -signal.SIGKILL, "the build ended before it could be killed while writing"
    written = len(list(out.rglob("*.html")))
    assert 40 <= written < pages  # cut short: some pages, no index yet
    assert (out / MARKER).exists()

    _finish(project, out)  # the next build, incremental
    assert not (out / MARKER).exists()
    assert _search_files(out) == _search_files(clean)
    assert "stopped before it finished" in (tmp_path / "out.log").read_text()
    # every page is there, with the same text as a clean build's (the files' version stamps differ)
    html = sorted(p.relative_to(clean).as_posix() for p in clean.rglob("*.html"))
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html")) == html
    differ = [h for h in html if _text(clean / h) != _text(out / h)]
    assert differ == []

    # and a build after a finished one writes no page again
    before = {p: p.stat().st_mtime_ns for p in (out / "roles").glob("*.html")}
    _finish(project, out)
    assert {p: p.stat().st_mtime_ns for p in (out / "roles").glob("*.html")} == before
