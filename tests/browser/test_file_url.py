"""The site opened from a file share (``file://``): the way many companies publish an
intranet (a shared folder, a zip on a USB stick).

The example site (the session's ``example`` build) and a ``handbook new`` site are opened
from disk in headless Chromium: the charts are SVG in the page before any script runs
(in the HTML file itself, and with JavaScript disabled), the links in the charts' boxes
lead to pages that exist, search finds a duty word, suggestions come as you type, and no
console error is logged.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import build_in_place, mermaid_dist, require

from handbook.cli import main

CHART_PAGES = ["company.html", "departments/quality.html", "processes/customer-call.html", "processes/index.html"]


def chart_pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html") if "handbook-chart-frame" in p.read_text(encoding="utf-8")]


def assert_charts_are_svg_in_the_html(site: Path, page: Path) -> int:
    """Every chart of ``page`` is an SVG in the file, its boxes drawn; every box link leads
    to a file of the site. Returns the number of box links."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    figures = soup.select("figure.handbook-chart")
    assert figures, page
    assert not soup.select("pre.mermaid"), page  # no source for a script to draw
    assert not [s["src"] for s in soup.select("script[src]") if "mermaid" in s["src"]], page
    links = 0
    for fig in figures:
        svg = fig.select_one(".handbook-chart-frame > svg")
        assert svg is not None, page
        assert svg.select("g.node"), page
        assert svg.get("aria-label") and svg.find("title").get_text() == svg["aria-label"]
        for a in svg.select("a[href]"):
            target = urllib.parse.urlsplit(a["href"])
            assert not target.scheme and not target.netloc, a["href"]  # relative, on the share
            path = (page.parent / urllib.parse.unquote(target.path)).resolve()
            assert path.is_file() and site.resolve() in path.parents, (page, a["href"])
            if target.fragment:
                linked = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
                assert linked.find(id=target.fragment) is not None, (page, a["href"])
            links += 1
    return links


def console_errors(page) -> list[str]:
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: found.append(str(e)))
    return found


def open_file(page, site: Path, path: str) -> None:
    page.goto((site / path).resolve().as_uri())


def wait_for_controls(page) -> None:
    page.wait_for_function(
        "[...document.querySelectorAll('figure.handbook-chart')].every(f => f.dataset.hbReady)", timeout=15_000
    )


def follow_first_box_link(page) -> str:
    """Click the first linked box of the first chart; the URL of the page it opens."""
    box = page.locator("figure.handbook-chart .handbook-chart-frame svg a[href] g.node").first
    with page.expect_navigation(timeout=15_000):
        box.click()
    assert page.url.startswith("file://")
    assert page.locator("h1").first.inner_text().strip()
    return page.url


def search(page, site: Path, query: str) -> list[str]:
    page.goto((site / "search.html").resolve().as_uri() + "?q=" + urllib.parse.quote(query))
    page.wait_for_function(
        "() => { const s = document.querySelector('#search-results .search-summary');"
        " return s && s.innerText.trim().length > 0 && !!(window.HandbookSearch || {}).lastSearch; }",
        timeout=15_000,
    )
    return page.eval_on_selector_all(
        "#search-results ul.search > li > a", "els => els.map(e => e.getAttribute('href'))"
    )


def suggestions_for(page, text: str) -> list[str]:
    box = page.locator("input[data-handbook-suggest]")
    box.fill("")
    box.press_sequentially(text, delay=20)
    page.wait_for_function("() => !document.getElementById('handbook-suggest').hidden", timeout=5000)
    return page.eval_on_selector_all(
        "#handbook-suggest [role=option] .handbook-suggest-title", "els => els.map(e => e.textContent)"
    )


# -- the example site ------------------------------------------------------------------------
def test_every_chart_of_the_example_is_svg_in_its_html_file(example_site):
    pages = chart_pages(example_site)
    assert len(pages) > 20
    links = sum(assert_charts_are_svg_in_the_html(example_site, p) for p in pages)
    assert links > 100
    assert not (example_site / "_static" / "handbook-mermaid").exists()  # no Mermaid shipped to readers


@pytest.mark.parametrize("path", CHART_PAGES)
def test_example_charts_show_from_file_without_javascript(page, example_site, path):
    errors = console_errors(page)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setScriptExecutionDisabled", {"value": True})
    open_file(page, example_site, path)
    assert page.evaluate("() => typeof window.HandbookSearch") == "undefined"  # no script ran
    fig = page.locator("figure.handbook-chart").first
    assert fig.get_attribute("data-hb-ready") is None  # the controls' script did not run
    svg = fig.locator(".handbook-chart-frame > svg")
    box = svg.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 50
    labels = [t.strip() for t in svg.locator("g.node text").all_text_contents()]
    assert sum(1 for t in labels if t) > 1
    body = page.locator("body").inner_text()
    assert "flowchart" not in body and "classDef" not in body  # never the Mermaid source
    assert errors == []


def test_example_from_file_charts_links_search_and_suggestions(page, example_site):
    errors = console_errors(page)
    open_file(page, example_site, "departments/customer-service.html")
    wait_for_controls(page)
    fig = page.locator("figure.handbook-chart").first
    start = float(fig.get_attribute("data-zoom"))
    fig.locator("button.handbook-chart-zoom-in").click()
    assert float(fig.get_attribute("data-zoom")) > start  # the controls work from file://
    node = page.locator("figure.handbook-chart svg a[href] g.node", has_text="客服主管").first
    with page.expect_navigation(timeout=15_000):
        node.click()
    assert page.url == (example_site / "roles" / "cs-supervisor.html").resolve().as_uri()
    assert page.locator("h1").first.inner_text().startswith("客服主管")
    open_file(page, example_site, "company.html")
    wait_for_controls(page)
    assert follow_first_box_link(page).startswith(example_site.resolve().as_uri())
    results = search(page, example_site, "投诉")  # a duty word
    assert results and any(r.startswith("roles/") for r in results)
    target = (example_site / urllib.parse.unquote(results[0].split("#")[0])).resolve()
    assert target.is_file()
    open_file(page, example_site, "roles/purchaser.html")
    assert "客服主管" in suggestions_for(page, "客服")
    assert errors == []


# -- a new company's site --------------------------------------------------------------------
@pytest.fixture(scope="module")
def new_site(tmp_path_factory) -> Path:
    require(mermaid_dist().joinpath("mermaid.esm.min.mjs").exists(), "the npm mermaid package (node_modules)")
    target = tmp_path_factory.mktemp("new-file-url") / "acme"
    assert main(["new", str(target), "--name", "顶峰科技有限公司"]) == 0
    built = build_in_place(target)
    assert built.warnings == "", built.warnings
    return built.outdir


def test_new_project_from_file(page, new_site):
    errors = console_errors(page)
    pages = chart_pages(new_site)
    assert pages
    assert sum(assert_charts_are_svg_in_the_html(new_site, p) for p in pages) > 0
    assert not (new_site / "_static" / "handbook-mermaid").exists()
    open_file(page, new_site, "company.html")
    wait_for_controls(page)
    assert page.locator("figure.handbook-chart .handbook-chart-frame > svg g.node").count() > 1
    assert follow_first_box_link(page).startswith(new_site.resolve().as_uri())
    results = search(page, new_site, "合同")  # 审批公司重大合同与资金支出 (the general manager's duty)
    assert "roles/general-manager.html" in [r.split("#")[0] for r in results]
    assert errors == []
