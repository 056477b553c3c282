"""The first hour of a new user: `handbook new` gives a project whose commands work as
printed and as the manual shows, from an empty folder to a site and a PDF.

The "Start a handbook for your company" section of docs/getting-started.md is run exactly as
written: its first ``sh`` block as one shell script in an empty temporary folder (with the
project's ``.venv`` linked in, as it is after ``make html``), so the manual and this test
cannot drift apart (tests/builds/test_docs.py checks that the README's quick start is that block)."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, build_in_place, chromium_path, mermaid_dist, require, run_sphinx_build

from handbook.cli import main

VENV = ROOT / ".venv"


def walkthrough_blocks() -> list[str]:
    """The sh code blocks of the manual's new-company section (docs/getting-started.md)."""
    text = (ROOT / "docs" / "getting-started.md").read_text(encoding="utf-8")
    section = text.split("\n## Start a handbook for your company\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, re.S)


def require_tools() -> None:
    require(mermaid_dist().joinpath("mermaid.esm.min.mjs").exists(), "the npm mermaid package (node_modules)")
    require(
        (VENV / "bin" / "activate").is_file() and (VENV / "bin" / "handbook").is_file(),
        "the project's virtualenv .venv (make setup)",
    )
    require(shutil.which("pdftotext") is not None, "pdftotext (Debian package poppler-utils)")
    require(chromium_path() is not None, "Chromium (Debian package `chromium`)")


class Script:
    """A shell script running in its own process group, its output read as it comes."""

    def __init__(self, script: str, cwd: Path) -> None:
        self.stderr_path = cwd / "stderr.txt"
        self._stderr = open(self.stderr_path, "w", encoding="utf-8")  # noqa: SIM115 - closed by stop()
        self.proc = subprocess.Popen(
            ["bash", "-e", "-c", script],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
            start_new_session=True,
            env={k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"},
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.out: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, pattern: str, timeout: float) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            if line is None:
                break
            self.out.append(line)
            found = re.search(pattern, line)
            if found:
                return found
        self.stop()
        pytest.fail(f"`{pattern}` never came; output:\n{''.join(self.out)}\nstderr:\n{self.stderr}")

    @property
    def stderr(self) -> str:
        if not self._stderr.closed:
            self._stderr.flush()
        return self.stderr_path.read_text(encoding="utf-8")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the script and the server it started
            self.proc.wait(timeout=30)
        self._stderr.close()


@pytest.mark.pdf
def test_the_walkthrough_from_an_empty_folder_to_a_site_and_a_pdf(tmp_path):
    require_tools()
    walkthrough, sphinx_line = walkthrough_blocks()
    commands = walkthrough.strip().splitlines()
    assert commands[-1] == "handbook serve"  # it runs until stopped: the test stops it once it serves
    work = tmp_path / "work"
    work.mkdir()
    (work / ".venv").symlink_to(VENV)  # what `make html` leaves in the clone

    script = Script(walkthrough, work)
    try:
        url = script.wait_for(r"Serving \S+ at (http://127\.0\.0\.1:\d+/)", timeout=600).group(1)
        with urllib.request.urlopen(url + "roles/general-manager.html", timeout=30) as response:
            served = BeautifulSoup(response.read().decode("utf-8"), "html.parser")
    finally:
        script.stop()
    out, err = "".join(script.out), script.stderr
    assert "0 errors, 0 warnings" in out  # handbook check
    assert "Traceback" not in err and "sphinx-doc" not in err, err
    assert "WARNING" not in err and "ERROR" not in err, err
    assert served.select_one("h1").get_text(strip=True).startswith("总经理")

    project = work / "my-handbook"
    home = BeautifulSoup((project / "_build" / "html" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select_one(".handbook-brand-company").get_text(strip=True) == "示例有限公司"
    assert home.select_one(".handbook-brand-title").get_text(strip=True) == "组织机构与岗位职责手册"  # html_title
    assert not list((project / "_build" / "html").rglob("*.doctree"))  # the doctrees stay out of the site
    pdf = project / "_build" / "pdf" / "QM-ORG-001-A0.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "示例有限公司" in text and "总经理助理" in text

    # the same site with Sphinx's own command, as the manual shows it: doctrees outside the site
    shutil.rmtree(project / "_build")
    proc = subprocess.run(
        ["bash", "-e", "-c", ". .venv/bin/activate\n" + sphinx_line], cwd=work, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert (project / "_build" / "html" / "roles" / "general-manager.html").is_file()
    assert list((project / "_build" / "doctrees").rglob("*.doctree"))
    assert not list((project / "_build" / "html").rglob("*.doctree"))


@pytest.mark.pdf
def test_the_commands_handbook_new_prints_run_as_printed(tmp_path):
    """Without activating the virtualenv: `handbook new` prints the command's full path."""
    require_tools()
    proc = subprocess.run(
        [str(VENV / "bin" / "handbook"), "new", "acme", "--name", "顶峰科技有限公司"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    printed = proc.stdout.split("\nNext: ", 1)[1].splitlines()[1:]
    exe = str(VENV / "bin" / "handbook")
    assert [line.split("#")[0].strip() for line in printed] == [
        "cd acme",
        f"{exe} check",
        f"{exe} html",
        f"{exe} pdf",
        f"{exe} serve",
    ]
    script = Script("\n".join(printed), tmp_path)
    try:
        script.wait_for(r"Serving _build/html at http://127\.0\.0\.1:\d+/", timeout=600)
    finally:
        script.stop()
    assert "Traceback" not in script.stderr and "sphinx-doc" not in script.stderr, script.stderr
    assert (tmp_path / "acme" / "_build" / "html" / "company.html").is_file()
    assert (tmp_path / "acme" / "_build" / "pdf" / "QM-ORG-001-A0.pdf").is_file()


def test_new_project_builds_with_sphinx(tmp_path, capsys):
    require(mermaid_dist().joinpath("mermaid.esm.min.mjs").exists(), "the npm mermaid package (node_modules)")
    target = tmp_path / "acme"
    assert main(["new", str(target), "--name", "顶峰科技有限公司"]) == 0
    assert main(["check", str(target / "org"), "--strict"]) == 0
    proc = run_sphinx_build(target, tmp_path / "html", confdir=target)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    role = BeautifulSoup(
        (tmp_path / "html" / "roles" / "general-manager.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert role.select_one("h1").get_text(strip=True).startswith("总经理")
    company = BeautifulSoup((tmp_path / "html" / "company.html").read_text(encoding="utf-8"), "html.parser")
    assert "顶峰科技有限公司" in company.select_one("h1").get_text()
    assert company.select_one("figure.handbook-chart .handbook-chart-frame > svg g.node") is not None


def contents(site) -> list[str]:
    """The pages the index page's table of contents links to, in order."""
    return [a["href"] for a in site.soup("index.html").select(".toctree-wrapper a.reference.internal")]


def test_the_new_projects_contents_list_every_page_its_data_makes(tmp_path, capsys):
    target = tmp_path / "acme"
    assert main(["new", str(target)]) == 0
    built = build_in_place(target)
    assert built.warnings == ""
    toc = [h for h in contents(built) if "#" not in h]
    assert toc == [
        "company.html",
        "departments/index.html",
        "processes/index.html",
        "roles/index.html",
        "indexes/headcount.html",
        "indexes/raci.html",
    ]
    # a duty that names an ISO 9001 clause makes the clause allocation: the contents follow
    data = target / "org" / "10-management.yaml"
    text = data.read_text(encoding="utf-8")
    data.write_text(
        text.replace("      - 组织、协调各部门的工作。", '      - {text: 组织、协调各部门的工作。, clauses: ["5.3"]}'),
        encoding="utf-8",
    )
    again = built.rebuild()
    # (the other clauses now want a lead department: handbook.clause-unassigned, about the data)
    assert [w for w in again.warnings.splitlines() if "clause-unassigned" not in w] == []
    toc = [h for h in contents(again) if "#" not in h]
    assert toc[:2] == ["company.html", "indexes/clauses.html"]
    assert again.soup("indexes/clauses.html").select_one("h1") is not None


def test_the_new_hint_uses_python_dash_m_when_run_in_process(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["/somewhere/pytest"])
    assert main(["new", "hb"]) == 0
    out = capsys.readouterr().out
    assert f"  {sys.executable} -m handbook check    # every problem in the data, with file:line:col\n" in out
    assert "  cd hb\n" in out
