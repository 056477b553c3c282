"""What only a browser shows: the charts render (as SVG, with every box), clicking a box
opens the role page, and nothing is requested from outside 127.0.0.1.

Runs a real headless Chromium (Debian's ``chromium``) through Playwright against the
example site served on 127.0.0.1 (the same site from ``file://``: test_file_url.py). The
charts are drawn at build time (inline SVG); a site that draws them in the browser
(``handbook_chart_drawing = "browser"``) is measured the same way.
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
    """The number of boxes of each chart in the HTML file, before any script ran: in its
    Mermaid source (drawn in the browser) or its drawing (drawn at build time)."""
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    counts = []
    for frame in soup.select("figure.handbook-chart .handbook-chart-frame"):
        pre = frame.select_one("pre.mermaid")
        if pre is not None:
            counts.append(sum(1 for line in pre.get_text().splitlines() if NODE_LINE.match(line)))
        else:
            counts.append(len(frame.select("svg g.node")))
    return counts


def wait_for_charts(page, n: int) -> None:
    """Wait until every chart is an SVG with its boxes drawn and sized by handbook-charts.js."""
    page.wait_for_function(
        """n => { const frames = [...document.querySelectorAll('figure.handbook-chart .handbook-chart-frame')];
                 return frames.length >= n && frames.every(p => p.querySelector('svg g.node'))
                   && [...document.querySelectorAll('figure.handbook-chart')].every(f => f.dataset.hbReady); }""",
        arg=n,
        timeout=RENDER_TIMEOUT * 2,
    )
    page.wait_for_timeout(200)


GEOMETRY_JS = (Path(__file__).parent / "js" / "chart_geometry.js").read_text(encoding="utf-8")


def chart_geometry(page) -> list[dict]:
    """Per chart: connectors through a box that is not one of their ends, curved
    connectors, the smallest label's size on screen (tests/browser/js/chart_geometry.js)."""
    return page.evaluate(GEOMETRY_JS)


def assert_conventions(page, path: str) -> list[dict]:
    charts = chart_geometry(page)
    assert charts, path
    for c in charts:
        assert c["rendered"] and c["unknown"] == [], (path, c)
        assert c["through"] == [], (path, c["through"])  # no connector crosses another box
        if c["kind"] == "org":
            assert c["curves"] == 0, (path, c)  # elbow connectors only
            assert c["upward"] == [], (path, c["upward"])  # top-down: a superior above its reports
        assert round(c["minLabelPx"], 1) >= 12, (path, c["minLabelPx"])
        assert c["name"], path  # the SVG has its short accessible name
    return charts


def assert_local_only(page, base: str) -> None:
    host = urlparse(base).netloc
    outside = [
        u
        for u in page.requests_seen
        if urlparse(u).scheme not in ("data", "blob", "about") and urlparse(u).netloc != host
    ]
    assert outside == []
    assert page.errors_seen == []


def rendered_node_counts(page) -> list[int]:
    return page.eval_on_selector_all(
        "figure.handbook-chart .handbook-chart-frame",
        "frames => frames.map(p => p.querySelectorAll('svg g.node').length)",
    )


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
    # CJK labels are set in an explicit font family
    label = page.locator(".handbook-chart-frame svg g.node").first
    font = label.evaluate("n => getComputedStyle(n.querySelector('span, div, text') || n).fontFamily")
    assert "Noto Sans CJK SC" in font
    assert_local_only(page, example_url)


def test_labels_are_not_clipped(page, example_url, example_site):
    page.goto(example_url + "departments/customer-service.html")
    wait_for_charts(page, len(expected_nodes(example_site / "departments/customer-service.html")))
    # every label inside its box, in the reader's fonts (the build measured them in its own)
    clipped = page.eval_on_selector_all(
        ".handbook-chart-frame svg g.node",
        """nodes => nodes.filter(n => {
        const shape = n.querySelector('rect.label-container, rect.basic, polygon, path, circle');
        const label = n.querySelector('text, foreignObject > *');
        if (!shape || !label || !label.textContent.trim()) return false;
        const box = shape.getBoundingClientRect(), r = label.getBoundingClientRect();
        return r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1;
        }).map(n => n.textContent)""",
    )
    assert clipped == []


def test_clicking_a_node_opens_the_role_page(page, example_url, example_site):
    page.goto(example_url + "departments/customer-service.html")
    wait_for_charts(page, len(expected_nodes(example_site / "departments/customer-service.html")))
    node = page.locator(".handbook-chart-frame svg g.node", has_text="客服主管").first
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
    assert (
        page.eval_on_selector_all(
            ".handbook-chart-frame svg script, .handbook-chart-frame svg b, .handbook-chart-frame svg img",
            "els => els.length",
        )
        == 0
    )
    assert_local_only(page, base)


# -- org-chart conventions, measured on the rendered charts ----------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "company.html",
        "departments/quality.html",
        "departments/ecommerce.html",
        "departments/rd.html",
        "departments/customer-service.html",
        "processes/customer-call.html",
        "processes/material-procurement.html",
    ],
)
def test_example_charts_follow_org_chart_conventions(page, example_url, example_site, path):
    page.goto(example_url + path)
    wait_for_charts(page, len(expected_nodes(example_site / path)))
    charts = assert_conventions(page, path)
    if path == "company.html":
        assert charts[0]["name"] == "深圳市华意隆实业发展有限公司组织架构图，23 个部门"


@pytest.fixture(scope="session")
def big_org_url(big_org, serve):
    return serve(big_org)


def test_generated_org_charts_follow_org_chart_conventions(page, big_org_url, big_org):
    """A 5-level tree with 2,000 roles: the company chart, the department with the most
    roles, the deepest department and a process."""
    from handbook.validate import check_dir

    hb = check_dir(str(big_org.parent.parent / "org")).handbook
    biggest = max(hb.departments, key=lambda d: sum(1 for r in hb.roles.values() if r.department == d))

    def depth(d):
        return 1 + (depth(hb.departments[d].parent) if hb.departments[d].parent else 0)

    deepest = max(hb.departments, key=depth)
    assert depth(deepest) == 5
    paths = [
        "company.html",
        f"departments/{biggest}.html",
        f"departments/{deepest}.html",
        f"processes/{next(iter(hb.processes))}.html",
    ]
    for path in paths:
        page.goto(big_org_url + path)
        wait_for_charts(page, len(expected_nodes(big_org / path)))
        assert_conventions(page, path)
    assert_local_only(page, big_org_url)


def test_chart_controls_work_with_the_keyboard(page, example_url, example_site):
    page.goto(example_url + "company.html")
    wait_for_charts(page, 1)
    fig = page.locator("figure.handbook-chart").first
    frame = fig.locator(".handbook-chart-frame")
    # the scrolling region is reachable with Tab and named
    assert frame.get_attribute("tabindex") == "0" and frame.get_attribute("aria-label")
    zoom = lambda: float(fig.get_attribute("data-zoom"))  # noqa: E731
    start = zoom()
    fig.locator("button.handbook-chart-zoom-in").focus()
    page.keyboard.press("Enter")
    assert zoom() > start
    frame.focus()
    page.keyboard.press("-")
    page.keyboard.press("-")
    assert zoom() < start
    page.keyboard.press("0")
    assert zoom() == 1
    full = fig.locator("button.handbook-chart-fullscreen")
    full.focus()
    page.keyboard.press("Enter")
    assert full.get_attribute("aria-pressed") == "true"
    box = fig.bounding_box()
    assert box["width"] >= 1270 and box["height"] >= 890  # fills the window
    page.keyboard.press("Escape")
    assert full.get_attribute("aria-pressed") == "false"
    # focus is visible on the buttons and the frame
    full.focus()
    assert full.evaluate("b => getComputedStyle(b).outlineStyle") != "none"


def test_text_version_lists_the_tree(page, example_url, example_site):
    soup = BeautifulSoup((example_site / "departments/quality.html").read_text(encoding="utf-8"), "html.parser")
    fig = soup.select_one("figure.handbook-chart")
    details = fig.select_one("details.handbook-chart-text")
    assert details.summary.get_text() == "文字版"
    frame = fig.select_one(".handbook-chart-frame")
    assert frame["aria-details"] == details["id"] and frame["role"] == "region"
    svg = frame.select_one("svg")  # drawn at build time, named for assistive technology
    assert svg["aria-label"] == fig["data-chart-name"] and svg.title.get_text() == fig["data-chart-name"]
    assert not fig.select("pre.mermaid")
    top = details.select_one(":scope > ul > li")
    assert top.a.get_text() == "质量部主管" and top.a["href"].endswith("quality-manager.html")
    assert "虚线汇报" in details.get_text() and "待招" in details.get_text()
    legend = fig.select_one("ul.handbook-chart-legend").get_text()
    assert "虚线汇报" in legend and "部门外岗位" in legend and "有空缺" in legend
    flow = BeautifulSoup(
        (example_site / "processes/customer-call.html").read_text(encoding="utf-8"), "html.parser"
    ).select_one("figure.handbook-chart details ol")
    assert len(flow.find_all("li", recursive=False)) == 9 and "下一步" in flow.get_text()
