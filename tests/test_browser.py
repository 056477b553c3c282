"""What only a browser shows: the charts render (as SVG, with every box), clicking a box
opens the role page, and nothing is requested from outside 127.0.0.1.

Runs a real headless Chromium (Debian's ``chromium``) through Playwright against the
example site served on 127.0.0.1 (browsers do not load ES modules from ``file://``).
The fixtures (``example_site``, ``serve``, ``browser``, ``page``) are in conftest.py; a
missing tool skips locally and fails in CI.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup

from conftest import mermaid_dist, require

NODE_LINE = re.compile(r'^\s+n\d+[\[({]+".*"[\])}]+$')
RENDER_TIMEOUT = 30_000


def expected_nodes(html_file: Path) -> list[int]:
    """The number of boxes in each chart's Mermaid source, read before any rendering."""
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    return [sum(1 for line in pre.get_text().splitlines() if NODE_LINE.match(line))
            for pre in soup.select("pre.mermaid")]


def wait_for_charts(page, n: int) -> None:
    """Wait until every chart is an SVG with its boxes drawn (Mermaid inserts the SVG first)."""
    page.wait_for_function(
        """n => { const pres = [...document.querySelectorAll('pre.mermaid')];
                 return pres.length >= n && pres.every(p => p.querySelector('svg g.node')); }""",
        arg=n, timeout=RENDER_TIMEOUT)
    page.wait_for_timeout(200)


def assert_local_only(page, base: str) -> None:
    host = urlparse(base).netloc
    outside = [u for u in page.requests_seen if urlparse(u).scheme not in ("data", "blob", "about")
               and urlparse(u).netloc != host]
    assert outside == []
    assert page.errors_seen == []


def rendered_node_counts(page) -> list[int]:
    return page.eval_on_selector_all("pre.mermaid", "pres => pres.map(p => p.querySelectorAll('svg g.node').length)")


@pytest.fixture(scope="module")
def example_url(example_site, serve):
    return serve(example_site)


@pytest.mark.parametrize("path", ["company.html", "departments/customer-service.html", "processes/customer-call.html"])
def test_charts_render_with_every_node(page, example_url, example_site, path):
    expected = expected_nodes(example_site / path)
    assert expected and all(n > 1 for n in expected)
    page.goto(example_url + path)
    wait_for_charts(page, len(expected))
    assert rendered_node_counts(page) == expected
    # no Mermaid parse error box ("Syntax error in text")
    assert page.locator("text=Syntax error").count() == 0
    # CJK labels are set in an explicit font family (foreignObject labels are not clipped)
    label = page.locator("pre.mermaid svg g.node").first
    font = label.evaluate("n => getComputedStyle(n.querySelector('span, div, text') || n).fontFamily")
    assert "Noto Sans CJK SC" in font
    assert_local_only(page, example_url)


def test_labels_are_not_clipped(page, example_url, example_site):
    page.goto(example_url + "departments/customer-service.html")
    wait_for_charts(page, len(expected_nodes(example_site / "departments/customer-service.html")))
    clipped = page.eval_on_selector_all("pre.mermaid svg foreignObject", """fos => fos.filter(fo => {
        const inner = fo.firstElementChild; if (!inner) return false;
        const box = fo.getBoundingClientRect(), r = inner.getBoundingClientRect();
        return r.width > box.width + 1 || r.height > box.height + 1; }).length""")
    assert clipped == 0


def test_clicking_a_node_opens_the_role_page(page, example_url, example_site):
    page.goto(example_url + "departments/customer-service.html")
    wait_for_charts(page, len(expected_nodes(example_site / "departments/customer-service.html")))
    node = page.locator("pre.mermaid svg g.node", has_text="客服主管").first
    with page.expect_navigation(timeout=RENDER_TIMEOUT):
        node.click()
    assert page.url.endswith("/roles/cs-supervisor.html")
    assert page.locator("h1").first.inner_text().startswith("客服主管")
    assert_local_only(page, example_url)


# -- hostile data in a real browser ------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_site(site, serve):
    require(mermaid_dist().joinpath("mermaid.esm.min.mjs").exists(), "the npm mermaid package (node_modules)")
    built = site("hostile")
    assert built.warnings == ""
    return built.outdir, serve(built.outdir)


@pytest.mark.parametrize("path", ["company.html", "departments/evil.html", "processes/evil-flow.html"])
def test_hostile_charts_render_without_injection(page, hostile_site, path):
    outdir, base = hostile_site
    expected = expected_nodes(outdir / path)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(base + path)
    wait_for_charts(page, len(expected))
    assert rendered_node_counts(page) == expected
    assert page.locator("text=Syntax error").count() == 0
    assert dialogs == []  # no alert() from the data ran
    assert page.eval_on_selector_all("pre.mermaid svg script, pre.mermaid svg b, pre.mermaid svg img",
                                     "els => els.length") == 0
    assert_local_only(page, base)
