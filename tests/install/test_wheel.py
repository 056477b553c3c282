"""The wheel works on its own: built from this clone, installed into a fresh virtualenv
outside it, in an empty folder with no ``node_modules`` anywhere on the path and a HOME of
its own, ``handbook new co && cd co && handbook html && handbook pdf`` draw the charts with
the Mermaid the wheel carries, and ``handbook --version`` is the wheel's version.

The wheel is built as a release is, by ``python -m build``: an sdist first, whose build hook
copies Mermaid and its ELK layout from the clone's ``node_modules`` (setup.py,
scripts/vendor_js.py), then the wheel from that sdist alone, with no ``node_modules``. Its
dependencies come from the machine's package index as pip resolves them."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, chromium_path, flat, require

pytestmark = [pytest.mark.slow, pytest.mark.pdf]

TIMEOUT = 900


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, f"{cmd} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc


def clean_env(home: Path, venv: Path | None) -> dict[str, str]:
    """Only what a user's shell has: a PATH with the virtualenv first (no clone, no
    node_modules), a HOME of its own, the package index's settings."""
    env = {k: v for k, v in os.environ.items() if k.startswith(("PIP_", "LANG", "LC_", "HANDBOOK_CHROMIUM", "CI"))}
    path = ["/usr/local/bin", "/usr/bin", "/bin"]
    env["PATH"] = os.pathsep.join([str(venv / "bin"), *path] if venv else path)
    env["HOME"] = str(home)
    env["XDG_CACHE_HOME"] = str(home / ".cache")
    if venv is not None:
        env["VIRTUAL_ENV"] = str(venv)
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(the virtualenv, the wheel's version, a work folder) after building and installing the wheel."""
    require((ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.esm.min.mjs").exists(), "node_modules (npm ci)")
    require(importlib.util.find_spec("build") is not None, "the Python package build (pip install -e '.[test]')")
    require(shutil.which("pdftotext") is not None, "pdftotext (Debian package poppler-utils)")
    require(chromium_path() is not None, "Chromium (Debian package `chromium`)")
    tmp = tmp_path_factory.mktemp("wheel")
    assert ROOT not in tmp.parents and tmp not in ROOT.parents
    home, dist, work = tmp / "home", tmp / "dist", tmp / "work"
    for d in (home, dist, work):
        d.mkdir()
    env = clean_env(home, None)
    run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)], tmp, env)
    (wheel,) = dist.glob("handbook-*.whl")
    (sdist,) = dist.glob("handbook-*.tar.gz")
    version = wheel.name.split("-")[1]
    assert sdist.name == f"handbook-{version}.tar.gz"
    with tarfile.open(sdist) as t:  # the sdist carries the copy: a wheel built from it needs no npm
        assert f"handbook-{version}/handbook/charts/vendor/mermaid/dist/mermaid.esm.min.mjs" in t.getnames()
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    venv = tmp / "venv"
    run([sys.executable, "-m", "venv", str(venv)], tmp, env)
    run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", f"{wheel}[pdf]"], tmp, clean_env(home, venv))
    return venv, version, names, work, home


def test_the_wheel_carries_mermaid_its_elk_layout_and_their_licences(installed):
    _, _, names, _, _ = installed
    vendor = "handbook/charts/vendor/"
    assert vendor + "mermaid/dist/mermaid.esm.min.mjs" in names
    assert vendor + "@mermaid-js/layout-elk/dist/mermaid-layout-elk.esm.min.mjs" in names
    assert any(n.startswith(vendor + "mermaid/dist/chunks/mermaid.esm.min/") for n in names)
    assert any(n.startswith(vendor + "@mermaid-js/layout-elk/dist/chunks/mermaid-layout-elk.esm.min/") for n in names)
    assert {
        vendor + "mermaid/LICENSE",
        vendor + "@mermaid-js/layout-elk/LICENSE",
        vendor + "THIRD_PARTY_NOTICES.md",
    } <= names
    ours = [n for n in names if n.startswith(vendor)]
    assert not [n for n in ours if n.endswith(".map") or n.endswith(".d.ts")]  # only what the site and PDF load
    assert not [n for n in ours if "/mermaid.core" in n or "esm.mjs" in n.split("/")[-1]]
    # the classic script, for the reader's browser when the build cannot draw
    assert vendor + "mermaid/dist/mermaid.min.js" in names


def test_a_new_project_builds_its_site_and_pdf_with_charts_from_the_installed_wheel(installed):
    venv, version, _, work, home = installed
    env = clean_env(home, venv)
    assert not any((d / "node_modules").exists() for d in (work, *work.parents))

    out = run(["handbook", "--version"], work, env).stdout.strip()
    assert out == f"handbook {version}"

    run(["handbook", "new", "co"], work, env)
    co = work / "co"
    found = run(
        ["python", "-c", "from handbook.charts.mermaid_js import find_mermaid_dir; print(find_mermaid_dir('.', '.'))"],
        co,
        env,
    ).stdout.strip()
    assert Path(found).is_relative_to(venv), found  # the wheel's own copy, not the clone's

    html = run(["handbook", "html"], co, env)
    assert "Mermaid" not in html.stderr and "Traceback" not in html.stderr, html.stderr
    assert "WARNING" not in html.stderr, html.stderr
    page = BeautifulSoup((co / "_build/html/departments/gm-office.html").read_text(encoding="utf-8"), "html.parser")
    chart = page.select_one(".handbook-chart-org")
    assert chart is not None
    assert chart.find("svg") is not None  # drawn at build time, by the headless Chromium the PDF uses
    assert "总经理助理" in chart.get_text()
    assert not (co / "_build/html/_static/handbook-mermaid/mermaid.min.js").exists()  # readers need no Mermaid

    pdf = run(["handbook", "pdf"], co, env)
    assert "Traceback" not in pdf.stderr and "ChartRenderError" not in pdf.stderr, pdf.stderr
    (book,) = (co / "_build/pdf").glob("QM-ORG-*.pdf")
    text = subprocess.run(["pdftotext", str(book), "-"], capture_output=True, text=True, check=True).stdout
    pages = [flat(p) for p in text.split("\f")]
    # the department's org chart, drawn as vector text: a box's title and its staffing line
    chart_pages = [p for p in pages if re.search(r"编制\s*1-2\s*·\s*在岗\s*0", p)]
    assert chart_pages, "no chart text in the PDF"
    assert any("总经理助理" in p and "总经理办公室" in p for p in chart_pages)


def test_without_a_headless_browser_the_site_of_the_installed_wheel_draws_in_the_readers_browser(installed):
    """No Chromium at build time: one warning, and the wheel's classic Mermaid script in the site."""
    venv, _, _, work, home = installed
    env = {**clean_env(home, venv), "HANDBOOK_CHROMIUM": str(work / "no-such-browser")}
    run(["handbook", "new", "co2"], work, env)
    html = subprocess.run(
        ["handbook", "html"], cwd=work / "co2", env=env, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert html.returncode == 0 and "Traceback" not in html.stderr, html.stderr
    assert html.stderr.count("chart-drawing") == 1, html.stderr
    static = work / "co2/_build/html/_static/handbook-mermaid"
    (carried,) = venv.glob("lib/python*/site-packages/handbook/charts/vendor/mermaid/dist/mermaid.min.js")
    assert (static / "mermaid.min.js").read_bytes() == carried.read_bytes()
