"""Shared fixtures: building test sites, the built example handbook, a local HTTP server
and a real headless Chromium.

**One way to build a test site**: the ``site`` fixture copies a test root
(``tests/roots/test-<name>``) or any folder to a fresh temporary folder — the extension
writes its page stubs into the source folder — and builds it in-process with
``sphinx.testing``'s ``SphinxTestApp``; ``example`` is the example handbook built the
same way. Tests of the commands themselves (``sphinx-build``'s exit status and messages,
``handbook pdf``) run them as subprocesses (:func:`run_sphinx_build`).

Markers follow from the fixtures a test uses (see :func:`pytest_collection_modifyitems`):
``browser`` for Chromium, ``pdf`` for the PDF toolchain, ``slow`` for the example builds,
so the quick run (``make test-quick``: ``-m "not slow"``) never includes them by mistake.

A test that needs a tool that is missing (Chromium, pdftotext, the Mermaid package)
*fails* when ``CI`` is set and is skipped otherwise: a silent skip in CI would hide the
install step a new user will miss. ``make test`` installs all of them.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors
from sphinx.util.docutils import docutils_namespace

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


#: Noto Sans CJK SC draws ·, • and ・ with one glyph, so a PDF page whose text holds a bullet
#: gives its middle dots back as bullets: read as the middle dot
ONE_GLYPH = str.maketrans({"•": "·", "・": "·"})


def flat(text: str) -> str:
    """Text without whitespace: PDF text extraction breaks lines where the layout does (and
    the one glyph of ·, • and ・ is read as ·)."""
    return re.sub(r"\s+", "", text).translate(ONE_GLYPH)


def pdf_outline(reader) -> list[tuple[int, str, int]]:
    """A PDF's bookmarks (pypdf reader): (depth, title, page index) in order."""
    out: list[tuple[int, str, int]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return out


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


@dataclass
class Site:
    """A built test site."""

    app: SphinxTestApp
    srcdir: Path
    outdir: Path

    @property
    def warnings(self) -> str:
        return strip_colors(self.app.warning.getvalue())

    def soup(self, page: str) -> BeautifulSoup:
        return BeautifulSoup((self.outdir / page).read_text(encoding="utf-8"), "html.parser")

    def rebuild(self, builder: str | None = None, **confoverrides) -> Site:
        """Build the same source folder again (an incremental build), with a new application."""
        return build_in_place(self.srcdir, builder or self.app.builder.name, **confoverrides)


def build_in_place(
    srcdir: Path,
    builder: str = "html",
    *,
    build: bool = True,
    parallel: int = 0,
    warning: StringIO | None = None,
    connect: dict | None = None,
    **confoverrides,
) -> Site:
    """Build ``srcdir`` itself (its ``conf.py``) into ``srcdir/_build/<builder>``.

    ``warning``: a stream of your own for the log (to read it after a data error stopped
    the build); ``connect``: ``{event: callback}`` to connect before building."""
    with docutils_namespace():  # SphinxTestApp does not clean up after a SystemExit (a data error)
        app = SphinxTestApp(
            builder,
            srcdir=srcdir,
            status=StringIO(),
            warning=warning or StringIO(),
            confoverrides=confoverrides or None,
            parallel=parallel,
        )
        try:
            for event, callback in (connect or {}).items():
                app.connect(event, callback)
            if build:
                app.build()
        finally:
            app.cleanup()
    return Site(app, Path(app.srcdir), Path(app.outdir))


def copy_source(root: str | Path, dest: Path) -> Path:
    """Copy a test root (by name) or a folder to ``dest``; returns ``dest``."""
    src = root if isinstance(root, Path) else TESTS / "roots" / f"test-{root}"
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("_build", "__pycache__"))
    return dest


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """``site(root, builder="html", **confoverrides) -> Site``: copy a test root (a name such
    as ``"basic"``, or a folder) to a fresh folder and build it."""

    def make(root: str | Path, builder: str = "html", **options) -> Site:
        name = root if isinstance(root, str) else root.name
        src = copy_source(root, tmp_path_factory.mktemp(f"{name}-{builder}") / "src")
        return build_in_place(src, builder, **options)

    return make


def example_source(dest: Path) -> Path:
    """The example handbook as one self-contained source folder: source/ plus conf.py and _templates/."""
    shutil.copytree(
        ROOT / "source",
        dest,
        ignore=shutil.ignore_patterns(
            "_build", "__pycache__", "roles", "departments", "processes", "indexes", "company.rst"
        ),
    )  # not stubs
    conf = (ROOT / "conf.py").read_text(encoding="utf-8")
    conf = conf.replace('handbook_data_dir = "source/org"', 'handbook_data_dir = "org"')
    conf = conf.replace('handbook_baseline = "source/', 'handbook_baseline = "')  # the released data, in releases/
    (dest / "conf.py").write_text(conf, encoding="utf-8")
    for folder in ("_templates", "_static"):  # the company's own templates and files, next to conf.py
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, dest / folder)
    return dest


def run_sphinx_build(
    srcdir: Path, outdir: Path, builder: str = "html", confdir: Path | None = None, extra: list[str] | None = None
) -> subprocess.CompletedProcess:
    """Run the real ``sphinx-build`` command, for tests of the command itself (exit status, messages)."""
    cmd = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        builder,
        "-q",
        "-W",
        "--keep-going",
        "-d",
        str(outdir / ".doctrees"),
        str(srcdir),
        str(outdir),
    ]
    if confdir is not None:
        cmd += ["-c", str(confdir)]
    cmd += extra or []
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=900)


@pytest.fixture(scope="session")
def example(tmp_path_factory) -> Site:
    """The example handbook, built once per test session; it must build without a warning."""
    require(mermaid_dist().joinpath("mermaid.esm.min.mjs").exists(), "the npm mermaid package (node_modules)")
    src = example_source(tmp_path_factory.mktemp("example") / "src")
    built = build_in_place(src, handbook_today="2026-12-01")  # the review date: not when the tests run
    assert built.warnings == "", built.warnings
    return built


@pytest.fixture(scope="session")
def example_site(example) -> Path:
    """The example handbook's HTML output folder."""
    return example.outdir


@pytest.fixture(scope="session")
def big_org(tmp_path_factory) -> Path:
    """A generated handbook (python -m bench.make_org 2000 --depth 5) built once per session; its
    HTML output folder."""
    require(mermaid_dist().joinpath("mermaid.esm.min.mjs").exists(), "the npm mermaid package (node_modules)")
    src = tmp_path_factory.mktemp("big-org") / "src"
    subprocess.run(
        [sys.executable, "-m", "bench.make_org", "2000", "--depth", "5", "--out", str(src / "org")],
        check=True,
        capture_output=True,
        timeout=600,
        cwd=ROOT,
    )
    template = ROOT / "handbook" / "cli" / "project_template"
    for name in ("conf.py", "index.md"):
        (src / name).write_text(
            (template / name).read_text(encoding="utf-8").replace("{{company}}", "合成公司"), encoding="utf-8"
        )
    built = build_in_place(src)
    assert built.warnings == "", built.warnings[:3000]
    return built.outdir


#: fixtures that decide a test's markers
MARKING_FIXTURES = {
    "browser": ("browser",),
    "page": ("browser",),
    "example_pdf": ("pdf",),
    "pages": ("pdf",),
    "docctl_pdfs": ("pdf",),
    "plumber": ("pdf",),
    "example": ("slow",),
    "example_site": ("slow",),
    "big_org": ("slow",),
}


def pytest_collection_modifyitems(config, items) -> None:
    """Mark tests by the fixtures they use: Chromium -> browser, the PDF -> pdf; both and the
    example -> slow."""
    for item in items:
        marks = {m for f in getattr(item, "fixturenames", ()) for m in MARKING_FIXTURES.get(f, ())}
        marks |= {m.name for m in item.iter_markers() if m.name in ("browser", "pdf")}
        if marks & {"browser", "pdf"}:
            marks.add("slow")
        for m in sorted(marks):
            item.add_marker(getattr(pytest.mark, m))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
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
            str(profile),
            executable_path=exe,
            headless=True,
            args=CHROMIUM_ARGS[1:],
            viewport={"width": 1280, "height": 900},
            locale="zh-CN",
        )
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
