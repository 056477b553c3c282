"""Charts drawn at build time for the site: one drawing per chart, whatever page shows it
(placeholder links), given each page's links, ids, name and fonts (handbook.charts.inline_svg)."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from handbook.charts.inline_svg import chart_links, inline_svg, placeholder_source
from handbook.charts.mermaid_js import CJK_FONTS
from handbook.charts.mermaid_text import to_mermaid
from handbook.charts.model import Chart, ChartEdge, ChartNode

CHART = Chart(
    "org",
    "TB",
    (
        ChartNode("n0", ("总经理",), ("role", "gm"), css="head"),
        ChartNode("n1", ("行政部",), ("department", "admin")),
        ChartNode("n2", ("待定",)),
        ChartNode("n3", ("司机",), ("role", "driver")),
    ),
    (ChartEdge("n0", "n1"), ChartEdge("n1", "n3")),
    name="公司组织架构图，2 个岗位",
)

#: what Mermaid draws for it (shortened): the root id scopes the CSS; boxes are links
DRAWN = (
    '<svg id="hbchart-0123456789abcdef" width="120" height="90" viewBox="0 0 120 90" '
    'role="graphics-document document"><style>#hbchart-0123456789abcdef{font-family:Noto Sans CJK SC;}'
    "#hbchart-0123456789abcdef .node{fill:#eee}</style>"
    '<marker id="hbchart-0123456789abcdef_flowchart-v2-pointEnd"></marker>'
    '<a xlink:href="#hb-link-0"><g class="node" id="flowchart-n0-0"><text>总经理</text></g></a>'
    '<a xlink:href="#hb-link-1"><g class="node" id="flowchart-n1-1"><text>行政部</text></g></a>'
    '<g class="node" id="flowchart-n2-2"><text>待定</text></g>'
    '<a xlink:href="#hb-link-2"><g class="node" id="flowchart-n3-3"><text>司机</text></g></a>'
    '<path id="L_n0_n1_0_0" marker-end="url(#hbchart-0123456789abcdef_flowchart-v2-pointEnd)"></path></svg>'
)


def test_the_drawn_source_is_the_same_for_every_page():
    source = placeholder_source(CHART)
    assert chart_links(CHART) == [("role", "gm"), ("department", "admin"), ("role", "driver")]
    clicks = re.findall(r'click (n\d) href "([^"]*)"', source)
    assert clicks == [("n0", "#hb-link-0"), ("n1", "#hb-link-1"), ("n3", "#hb-link-2")]
    # everything else is the page's own source
    real = to_mermaid(CHART, lambda link: f"../{link[0]}s/{link[1]}.html")
    assert re.sub(r'href "[^"]*"', "", source) == re.sub(r'href "[^"]*"', "", real)


def test_inline_svg_gets_the_pages_links_ids_name_and_fonts():
    out = inline_svg(
        DRAWN,
        chart_id="hbchart-0123456789abcdef",
        ident="department-admin.chart",
        name=CHART.name,
        hrefs=["../roles/gm.html", None, "../roles/driver.html#x&y"],
        fonts=CJK_FONTS,
    )
    svg = BeautifulSoup(out, "html.parser").svg
    assert svg["id"] == "department-admin-chart-svg"  # a CSS id selector takes it as is
    assert svg["aria-label"] == CHART.name and svg.title.get_text() == CHART.name
    assert svg.find("title") is next(iter(svg.children))  # the first child names it
    links = [a.get("href") for a in svg.find_all("a")]
    assert links == ["../roles/gm.html", None, "../roles/driver.html#x&y"]  # no target: not a link
    assert "hb-link" not in out and "xlink:href" not in out
    ids = [t["id"] for t in svg.find_all(id=True)]
    assert all(i.startswith("department-admin-chart-") for i in ids)
    assert "url(#department-admin-chart-svg_flowchart-v2-pointEnd)" in out
    style = svg.style.get_text()
    assert "#department-admin-chart-svg{font-family:'Noto Sans CJK SC'" in style
    assert "hbchart-" not in out


def test_a_name_with_markup_stays_text():
    out = inline_svg(DRAWN, chart_id="hbchart-0123456789abcdef", ident="c", name='<b>"x"</b>', hrefs=[], fonts="x")
    svg = BeautifulSoup(out, "html.parser").svg
    assert svg["aria-label"] == '<b>"x"</b>' and svg.title.get_text() == '<b>"x"</b>'
    assert svg.find("b") is None and svg.find("a", href=True) is None
