"""The built example site loads nothing from outside: no CDN script, stylesheet, font or
image, in any page, any stylesheet or any inline module script.

(A link a reader clicks, ``<a href="https://…">``, is not a load and is allowed.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

EXTERNAL = re.compile(r"^\s*(?:https?:)?//", re.I)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""", re.I)
CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'");\s]+)""", re.I)
JS_IMPORT = re.compile(r"""(?:\bimport\s*\(\s*|\bfrom\s*|\bimport\s+)['"]([^'"]+)['"]""")
FETCH = re.compile(r"""\b(?:fetch|importScripts)\s*\(\s*['"]([^'"]+)['"]""")


def external_loads(html: str) -> list[str]:
    """Every resource an HTML page would load from another host."""
    soup = BeautifulSoup(html, "html.parser")
    found: list[str] = []
    for tag in soup.find_all("script"):
        if tag.get("src"):
            found.append(tag["src"])
        else:
            text = tag.get_text()
            found += JS_IMPORT.findall(text) + FETCH.findall(text)
    for tag in soup.find_all("link", href=True):
        rel = {r.lower() for r in tag.get("rel", [])}
        if rel & {
            "stylesheet",
            "icon",
            "shortcut",
            "preload",
            "modulepreload",
            "prefetch",
            "preconnect",
            "dns-prefetch",
            "manifest",
            "apple-touch-icon",
        }:
            found.append(tag["href"])
    for tag in soup.find_all(["img", "iframe", "embed", "source", "audio", "video", "input"]):
        for attr in ("src", "srcset", "poster", "data"):
            if tag.get(attr):
                found += [part.strip().split(" ")[0] for part in tag[attr].split(",")]
    for tag in soup.find_all("object", data=True):
        found.append(tag["data"])
    for style in soup.find_all("style"):
        found += css_loads(style.get_text())
    for tag in soup.find_all(style=True):
        found += css_loads(tag["style"])
    return [u for u in found if EXTERNAL.match(u)]


def css_loads(css: str) -> list[str]:
    return CSS_URL.findall(css) + CSS_IMPORT.findall(css)


# -- the checker itself must be able to fail ----------------------------------------------------
@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="https://cdn.jsdelivr.net/npm/mermaid/dist/mermaid.min.js"></script>',
        '<script type="module">import mermaid from "https://cdn.jsdelivr.net/npm/mermaid@11/dist/mermaid.esm.min.mjs";</script>',
        '<script type="module">const m = await import("https://unpkg.com/mermaid");</script>',
        '<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Noto+Sans+SC">',
        '<style>@import url("https://fonts.googleapis.com/css2?family=Noto");</style>',
        "<style>@font-face { src: url(https://example.com/font.woff2) }</style>",
        '<img src="https://example.com/logo.png">',
        "<div style=\"background: url('http://example.com/bg.png')\"></div>",
    ],
)
def test_checker_finds_external_loads(snippet):
    assert external_loads(f"<html><head>{snippet}</head><body></body></html>")


def test_checker_allows_local_loads_and_links():
    page = (
        '<script src="_static/doctools.js"></script><link rel="stylesheet" href="../_static/x.css">'
        '<script type="module">import mermaid from "./_static/handbook-mermaid/mermaid.esm.min.mjs";</script>'
        '<a href="https://www.iso.org/">ISO</a>'
    )
    assert external_loads(page) == []


# -- the example site ------------------------------------------------------------------------------
def test_no_page_loads_anything_external(example_site: Path):
    pages = list(example_site.rglob("*.html"))
    assert len(pages) > 50
    offenders = {}
    for page in pages:
        found = external_loads(page.read_text(encoding="utf-8"))
        if found:
            offenders[page.relative_to(example_site).as_posix()] = found
    assert offenders == {}


def test_no_stylesheet_loads_anything_external(example_site: Path):
    offenders = {}
    for css in (example_site / "_static").rglob("*.css"):
        found = [u for u in css_loads(css.read_text(encoding="utf-8", errors="replace")) if EXTERNAL.match(u)]
        if found:
            offenders[css.name] = found
    assert offenders == {}


def test_the_example_ships_no_mermaid(example_site: Path):
    """Its charts are drawn at build time: readers download no chart library."""
    assert not (example_site / "_static" / "handbook-mermaid").exists()
    assert not list(example_site.rglob("*.mjs"))
    page = BeautifulSoup(
        (example_site / "departments" / "customer-service.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert page.select("figure.handbook-chart .handbook-chart-frame > svg")
    assert not [s for s in page.find_all("script") if "mermaid" in s.get("src", "") + s.get_text()]


# -- charts drawn in the browser --------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser_drawn(site):
    """The basic root draws its charts in the browser (handbook_chart_drawing = "browser")."""
    from conftest import mermaid_dist, require

    require(mermaid_dist().joinpath("mermaid.min.js").exists(), "the npm mermaid package (node_modules)")
    built = site("basic")
    assert built.warnings == ""
    return built


def test_mermaid_drawn_in_the_browser_is_a_local_classic_script(browser_drawn):
    dist = browser_drawn.outdir / "_static" / "handbook-mermaid"
    assert sorted(p.name for p in dist.iterdir()) == ["mermaid.min.js"]  # no ES module, no chunks
    text = (dist / "mermaid.min.js").read_text(encoding="utf-8", errors="replace")
    assert not re.search(r"""(?:\bimport\s*\(\s*|\bfrom\s*)['"](?:https?:)?//""", text)
    soup = browser_drawn.soup("departments/office.html")
    assert soup.select("figure.handbook-chart pre.mermaid")
    scripts = [s for s in soup.find_all("script") if "mermaid" in s.get("src", "")]
    assert [s["src"] for s in scripts] == [
        "../_static/handbook-mermaid/mermaid.min.js",
        "../_static/handbook-mermaid-run.js",
    ]
    assert all(s.get("type") in (None, "text/javascript") for s in scripts)  # classic: runs from file://
    assert (browser_drawn.outdir / "departments" / scripts[0]["src"]).resolve().is_file()
    assert not [s for s in soup.find_all("script") if s.get("type") == "module"]


def test_charts_drawn_in_the_browser_work_from_file(page, browser_drawn):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto((browser_drawn.outdir / "departments" / "office.html").as_uri())
    page.wait_for_function(
        "[...document.querySelectorAll('figure.handbook-chart pre.mermaid')].every(p => p.querySelector('svg g.node'))",
        timeout=30_000,
    )
    assert "flowchart" not in page.locator("body").inner_text()  # never the source
    assert page.errors_seen == [] and errors == []


def test_without_chromium_the_build_warns_once_and_draws_in_the_browser(site, monkeypatch):
    from conftest import mermaid_dist, require

    require(mermaid_dist().joinpath("mermaid.min.js").exists(), "the npm mermaid package (node_modules)")
    monkeypatch.setenv("HANDBOOK_CHROMIUM", "/nonexistent/chromium")
    built = site("hostile")  # draws at build time by default
    lines = [line for line in built.warnings.splitlines() if line.strip()]
    assert len(lines) == 1 and "[handbook.chart-drawing]" in lines[0], built.warnings
    assert "drawn in the reader's browser" in lines[0]
    soup = built.soup("company.html")
    assert soup.select("figure.handbook-chart pre.mermaid") and not soup.select(".handbook-chart-frame > svg")
    assert (built.outdir / "_static" / "handbook-mermaid" / "mermaid.min.js").is_file()
    assert any(s.get("src", "").endswith("handbook-mermaid/mermaid.min.js") for s in soup.find_all("script"))
