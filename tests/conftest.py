"""Shared fixtures: Sphinx test roots, the built example handbook, a local HTTP server
and a real headless Chromium.

A test that needs a tool that is missing (Chromium, pdftotext, the Mermaid package)
*fails* when ``CI`` is set and is skipped otherwise: a silent skip in CI would hide the
install step a new user will miss. ``make test`` installs all of them.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

pytest_plugins = ["sphinx.testing.fixtures"]

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def require(condition: bool, what: str) -> None:
    """Skip locally, fail in CI, when a tool the test needs is missing."""
    if condition:
        return
    message = f"{what} is missing (`make test` installs it)"
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def mermaid_dist() -> Path:
    return ROOT / "node_modules" / "mermaid" / "dist"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where ``@pytest.mark.sphinx(testroot="x")`` finds ``tests/roots/test-x``."""
    return TESTS / "roots"


def build_site(srcdir: Path, outdir: Path, builder: str = "html", confdir: Path | None = None,
               extra: list[str] | None = None) -> subprocess.CompletedProcess:
    """Run a real ``sphinx-build`` (as a user would) and return the finished process."""
    cmd = [sys.executable, "-m", "sphinx", "-b", builder, "-q", "-W", "--keep-going", "-d",
           str(outdir / ".doctrees"), str(srcdir), str(outdir)]
    if confdir is not None:
        cmd += ["-c", str(confdir)]
    cmd += extra or []
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=900)


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The example handbook, built once per test session with ``-W --keep-going``."""
    require(mermaid_dist().joinpath("mermaid.esm.min.mjs").exists(), "the npm mermaid package (node_modules)")
    out = tmp_path_factory.mktemp("example-html")
    proc = build_site(ROOT / "source", out, confdir=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature from the stdlib
        pass


@pytest.fixture(scope="session")
def serve():
    """``serve(folder) -> base URL``: a static HTTP server on 127.0.0.1 (random port)."""
    servers = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}/"

    yield start
    for s in servers:
        s.shutdown()
        s.server_close()


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """A real headless Chromium driven by Playwright (no browser download: Debian's chromium)."""
    exe = chromium_path()
    require(exe is not None, "Chromium (Debian package `chromium`)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "the Python package playwright")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        b = p.chromium.launch_persistent_context(
            str(profile), executable_path=exe, headless=True, args=CHROMIUM_ARGS[1:],
            viewport={"width": 1280, "height": 900}, locale="zh-CN")
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    """A fresh tab that records every request, so tests can assert none leaves 127.0.0.1."""
    pg = browser.new_page()
    pg.requests_seen = []  # type: ignore[attr-defined]
    pg.errors_seen = []  # type: ignore[attr-defined]
    pg.on("request", lambda r: pg.requests_seen.append(r.url))  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors_seen.append(str(e)))  # type: ignore[attr-defined]
    yield pg
    pg.close()
